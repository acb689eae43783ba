#!/usr/bin/env bash
# Runs on the GPU machine (device call with carry [".carry/gpu", ".gl"]): the per-tier bench with
# WebGPU, then the CPU provider of that machine for comparison. No ffmpeg there: generation only.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup-node.sh"
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
for providers in webgpu cpu; do
  "$work/node" "$work/bench-model.mjs" --model "${MODEL:-$PWD/models/shapes-v1/model.json}" --providers "$providers" \
    --runs "${RUNS:-5}" --no-encode 2>&1
done
