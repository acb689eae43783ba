#!/usr/bin/env bash
# Packs what a GPU machine without Node needs for the GPU benches, in two carries (a device call
# carries 64 MiB at most with the tracked tree, so they travel in two calls to the same machine):
#   .carry/gpu     this machine's node, onnxruntime-node with only its linux/x64 binaries, the benches
#                  bundled with esbuild (bench-model, bench-gpu, the WebGPU probe, the model process) and the Lua scripts
#                  the bundled queue code reads beside it; .gl holds the Vulkan loader debs (about 37 MB)
#   .carry/worker  a static ffmpeg (npm's @ffmpeg-installer/linux-x64) and this machine's redis-server
#                  with the two libraries Ubuntu lacks, for the real worker (about 17 MB)
# All are git-ignored. Then run scripts/gpu/bench-gpu.sh there (its header says how).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out=.carry/gpu
rm -rf "$out" && mkdir -p "$out"
xz -T0 -c "$(command -v node)" > "$out/node.xz"
tar -C node_modules -cJf "$out/ort.tar.xz" --exclude='onnxruntime-node/bin/napi-v6/darwin' \
  --exclude='onnxruntime-node/bin/napi-v6/win32' --exclude='onnxruntime-node/bin/napi-v6/linux/arm64' \
  onnxruntime-node onnxruntime-common
bundles=$(mktemp -d)
for script in scripts/bench-model.ts scripts/bench-gpu.ts scripts/gpu/probe-webgpu.ts src/model/process/model-process.ts; do
  npx esbuild "$script" --bundle --platform=node --format=esm --target=node20 \
    --external:onnxruntime-node --outfile="$bundles/$(basename "$script" .ts).mjs" --log-level=warning \
    --banner:js="import { createRequire } from 'node:module'; const require = createRequire(import.meta.url); const __dirname = import.meta.dirname;"
done
cp $(find src -name '*.lua') "$bundles/"
tar -C "$bundles" -cJf "$out/bundles.tar.xz" . && rm -rf "$bundles"
if [[ ! -d .gl ]] || ! ls .gl/*.deb >/dev/null 2>&1; then
  mkdir -p .gl /tmp/amd64/partial
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  # shellcheck disable=SC2086 # $o is a list of apt options
  apt-get $o update -qq && (cd .gl && apt-get $o download libvulkan1 libglvnd0 libglx0 libegl1 libgl1 libopengl0 libgles2 >/dev/null)
fi

worker=.carry/worker
rm -rf "$worker" && mkdir -p "$worker"
pack=$(mktemp -d)
(cd "$pack" && npm pack --silent @ffmpeg-installer/linux-x64@4.1.0 >/dev/null && tar -xzf ./*.tgz)
xz -T0 -c "$pack/package/ffmpeg" > "$worker/ffmpeg.xz" && rm -rf "$pack"
tar -chJf "$worker/redis.tar.xz" -C / "$(readlink -f "$(command -v redis-server)" | cut -c2-)" \
  lib/x86_64-linux-gnu/liblzf.so.1 lib/x86_64-linux-gnu/libjemalloc.so.2
du -sh "$out" "$worker" .gl
