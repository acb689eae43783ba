#!/usr/bin/env bash
# Packs what a GPU machine without Node needs to run bench:model with the WebGPU provider: this
# machine's node binary, onnxruntime-node with only its linux/x64 binaries, the bench bundled with
# esbuild, and the Vulkan loader debs. Everything lands in .carry/gpu and .gl (both git-ignored),
# to be named in the device call's `carry`. Then run scripts/gpu/bench-webgpu.sh there.
# Size: .carry/gpu is about 37 MB and the model 21 MB; a device call carries 64 MiB at most with the
# tracked tree, so move models/shapes-v1/train/resume/ out of the checkout for that one call.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out=.carry/gpu
rm -rf "$out" && mkdir -p "$out"
xz -T0 -c "$(command -v node)" > "$out/node.xz"
tar -C node_modules -cJf "$out/ort.tar.xz" --exclude='onnxruntime-node/bin/napi-v6/darwin' \
  --exclude='onnxruntime-node/bin/napi-v6/win32' --exclude='onnxruntime-node/bin/napi-v6/linux/arm64' \
  onnxruntime-node onnxruntime-common
npx esbuild scripts/bench-model.ts --bundle --platform=node --format=esm --target=node20 \
  --external:onnxruntime-node --outfile="$out/bench-model.mjs" --log-level=warning \
  --banner:js="import { createRequire } from 'node:module'; const require = createRequire(import.meta.url); const __dirname = import.meta.dirname;"
if [[ ! -d .gl ]] || ! ls .gl/*.deb >/dev/null 2>&1; then
  mkdir -p .gl /tmp/amd64/partial
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  # shellcheck disable=SC2086 # $o is a list of apt options
  apt-get $o update -qq && (cd .gl && apt-get $o download libvulkan1 libglvnd0 libglx0 libegl1 libgl1 libopengl0 libgles2 >/dev/null)
fi
du -sh "$out" .gl
