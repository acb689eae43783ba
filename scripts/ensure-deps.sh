#!/usr/bin/env bash
# Installs what clipbot needs and lacks, then gets out of the way: npm packages (npm ci) when
# node_modules is missing or older than package-lock.json, and Debian's ffmpeg and redis-server
# (apt-get, with sudo when not root) when a binary is missing, and fonts-dejavu-core (the captions'
# font) when its font is; with --test also Debian's chromium,
# which the playground's browser test drives. Silent when everything is present.
# Runs before `npm test` (with --test) and before starting the bot; safe to run any number of times.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { echo "ensure-deps: $*" >&2; }

# npm writes node_modules/.package-lock.json at the end of every install, so it dates node_modules
# itself; the folder's own mtime moves whenever a tool drops a cache in it.
if [[ ! -f node_modules/.package-lock.json ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "node_modules is missing or older than package-lock.json: running npm ci"
  # .npmrc sets onnxruntime-node-install=skip: its postinstall would fetch CUDA from NuGet and fail offline.
  npm ci --no-audit --no-fund
fi

missing=()
packages=()
for bin in ffmpeg ffprobe redis-server; do
  command -v "$bin" >/dev/null 2>&1 || missing+=("$bin")
done
((${#missing[@]} > 0)) && packages+=(ffmpeg redis-server)
# Captions are drawn with DejaVu Sans (src/media/caption.ts).
if [[ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]]; then
  missing+=(DejaVuSans.ttf)
  packages+=(fonts-dejavu-core)
fi
if [[ "${1:-}" == "--test" ]] && ! command -v chromium >/dev/null 2>&1; then
  missing+=(chromium)
  packages+=(chromium)
fi
if ((${#missing[@]} > 0)); then
  say "missing ${missing[*]}: installing the Debian packages ${packages[*]}"
  if ! command -v apt-get >/dev/null 2>&1; then
    say "apt-get not found: install ${packages[*]} with this system's package manager"
    exit 1
  fi
  if [[ $(id -u) -eq 0 ]]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    say "not root and no sudo: run 'apt-get install ${packages[*]}' as root"
    exit 1
  fi
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${packages[@]}"
fi
