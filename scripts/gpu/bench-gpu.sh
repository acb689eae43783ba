#!/usr/bin/env bash
# `npm run bench:gpu`: the GPU path's numbers on one machine, in two phases (two device calls to the
# same warm machine, since node, onnxruntime-node, ffmpeg and redis do not fit in one call's carry):
#   PHASE=model   carry [".carry/gpu", ".gl"]: builds the fp16 step graph (step_graph.py --fp16, into
#                 $OUT), then per graph (fp32, fp16) ms a step and clips a second per tier at batch 1, 2,
#                 4 and 8 and the prompt-adherence rates, probes WebGPU graph capture and GPU-resident
#                 outputs, profiles a step's dispatches per tier, and runs the PyTorch bf16 + CUDA graph
#                 reference on the same machine
#   PHASE=worker  carry [".carry/worker"]: clips a second through the model in its process alone and
#                 through the real worker (Redis, BullMQ, batching, ffmpeg) at batch 1 and 4, for both
#                 graphs (FP16=0: the shipped one only)
# Prepare the carries here first: bash scripts/gpu/prepare-carry.sh. Output: JSON lines.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/setup-node.sh"
out=${OUT:-$work/out}
mkdir -p "$out" "$work/graphs"
model=$PWD/models/shapes-v1/model.json
fp16=$work/graphs/denoiser_step_fp16.onnx
# Each run has a limit, so a hang shows as a timeout (exit 124) with what it printed, not a silent call.
bench() { timeout "${BENCH_LIMIT_S:-240}" "$work/node" "$work/bench-gpu.mjs" --model "$model" --providers "${PROVIDERS:-webgpu}" "$@"; }
# The fp16 step graph, made from the shipped one (python3 with onnx and onnxruntime: the PyTorch image has them).
make_fp16() {
  [[ -f $fp16 ]] || python3 "$PWD/models/shapes-v1/train/step_graph.py" "$PWD/models/shapes-v1/denoiser_step.onnx" \
    "$work/graphs" --fp16
}
case "${PHASE:-model}" in
  model)
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
    grep PRETTY_NAME /etc/os-release; ldd --version | head -1
    make_fp16 && cp "$fp16" "$out/"
    bench --adherence --worker-tiers ''
    [[ -f $fp16 ]] && bench --denoiser "$fp16" --adherence --worker-tiers ''
    probe() { timeout 120 "$work/node" "$work/probe-webgpu.mjs" "$@" '{"preferredLayout":"NHWC"}' 2>&1 | grep '^{'; }
    for way in dynamic static capture gpu-buffer; do
      for graph in "$PWD/models/shapes-v1/denoiser_step.onnx" "$fp16"; do
        [[ -f $graph ]] && probe "$way" "$graph"
      done
    done
    # Dispatches a step and their GPU time (timestamp queries), per tier's latent shape, one job.
    for shape in 1,8,8,8 1,12,16,16 1,16,24,24; do
      PROBE_SHAPE=$shape probe profile "$PWD/models/shapes-v1/denoiser_step.onnx"
    done
    PYTHONUNBUFFERED=1 python3 "$PWD/scripts/gpu/torch_reference.py"
    ;;
  worker)
    if [[ -f .carry/worker/ffmpeg.xz ]]; then
      xz -dc .carry/worker/ffmpeg.xz > "$work/ffmpeg" && chmod +x "$work/ffmpeg"
      mkdir -p "$work/redis" && tar -C "$work/redis" -xJf .carry/worker/redis.tar.xz
      export FFMPEG_PATH=$work/ffmpeg
      # One binary is both: it runs as the server when its name says redis-server.
      ln -sf "$(find "$work/redis" -name 'redis-check-rdb' -o -name 'redis-server' | head -1)" "$work/redis-server"
      LD_LIBRARY_PATH=$work/redis/lib/x86_64-linux-gnu "$work/redis-server" --port 6390 --bind 127.0.0.1 --save '' \
        --appendonly no --daemonize yes --maxmemory-policy noeviction
    else
      redis-server --port 6390 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --maxmemory-policy noeviction
    fi
    for _ in $(seq 50); do (echo PING > /dev/tcp/127.0.0.1/6390) 2>/dev/null && break; sleep 0.1; done
    if ! (echo PING > /dev/tcp/127.0.0.1/6390) 2>/dev/null; then
      echo "redis did not start on 127.0.0.1:6390" >&2
      [[ -e $work/redis-server ]] && LD_LIBRARY_PATH=$work/redis/lib/x86_64-linux-gnu ldd "$work/redis-server" >&2
      exit 3
    fi
    echo "redis up; ffmpeg: $("${FFMPEG_PATH:-ffmpeg}" -version | head -1)" >&2
    export REDIS_URL=redis://127.0.0.1:6390
    # The model rows here warm the shapes the worker's batches use (WebGPU compiles them on first use).
    warm=(--tiers low,medium --batches 1,2,4 --runs 1 --worker-jobs "${JOBS:-32}" --worker-in-hand 2,3)
    bench "${warm[@]}"
    # FP16=0 leaves the fp16 graph's rows out (a shorter call).
    [[ ${FP16:-1} == 0 ]] || { make_fp16 >&2 && bench "${warm[@]}" --denoiser "$fp16"; }
    ;;
esac
