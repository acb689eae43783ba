#!/usr/bin/env bash
# Sourced by the GPU scripts on the GPU machine: points Vulkan at the NVIDIA driver and unpacks node,
# onnxruntime-node and the bundled benches from .carry/gpu (prepare-carry.sh) into $work, once per
# machine (a later call on the same warm machine finds them there and carries only what it adds).
work=/tmp/clipbot-gpu
export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
if [[ ! -x $work/node ]]; then
  if [[ ! -f .carry/gpu/node.xz ]]; then
    echo "no node here and no .carry/gpu to unpack: run scripts/gpu/prepare-carry.sh and carry .carry/gpu and .gl" >&2
    exit 2
  fi
  for f in .gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
  mkdir -p "$work/node_modules"
  xz -dc .carry/gpu/node.xz > "$work/node" && chmod +x "$work/node"
  tar -C "$work/node_modules" -xJf .carry/gpu/ort.tar.xz
  tar -C "$work" -xJf .carry/gpu/bundles.tar.xz
fi
