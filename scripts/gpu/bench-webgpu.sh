#!/usr/bin/env bash
# Runs on the GPU machine (device call with carry [".carry/gpu", ".gl"]): unpacks node and
# onnxruntime-node, points Vulkan at the NVIDIA driver and runs the bench per tier with WebGPU,
# then the CPU provider of that machine for comparison. No ffmpeg there: generation only.
set -uo pipefail
for f in .gl/*.deb; do dpkg -x "$f" /; done
ldconfig
export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
work=/tmp/clipbot-gpu && mkdir -p "$work/node_modules"
xz -dc .carry/gpu/node.xz > "$work/node" && chmod +x "$work/node"
tar -C "$work/node_modules" -xJf .carry/gpu/ort.tar.xz
cp .carry/gpu/bench-model.mjs "$work/"
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
for providers in webgpu cpu; do
  "$work/node" "$work/bench-model.mjs" --model "${MODEL:-$PWD/models/shapes-v1/model.json}" --providers "$providers" \
    --runs "${RUNS:-5}" --no-encode 2>&1
done
