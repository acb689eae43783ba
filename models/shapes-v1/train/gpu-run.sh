#!/usr/bin/env bash
# Drives training on the lent GPU machine: starts train.py in its own session (so it outlives one
# device call), then waits and reports. Usage: MINUTES=24 WAIT=240 [RESUME=resume/x.pt] bash gpu-run.sh [export]
set -u
CK_DIR=/root/ck
CK=$CK_DIR/ckpt.pt
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$CK_DIR"
nvidia-smi --query-gpu=name,memory.used,utilization.gpu --format=csv,noheader
if [ ! -f "$CK" ] && ls .carry/pack.tar.part-* >/dev/null 2>&1; then
  cat .carry/pack.tar.part-* | tar -C "$CK_DIR" -xf - ./light.pt && mv "$CK_DIR/light.pt" "$CK" \
    && echo "restored checkpoint from carried parts"
fi
if [ ! -f "$CK" ] && [ -n "${RESUME:-}" ]; then
  cp "$RESUME" "$CK" && echo "resuming from $RESUME"
fi
if [ "${1:-}" != "export" ] && ! pgrep -f "train.py --checkpoint" >/dev/null; then
  PYTHONUNBUFFERED=1 setsid nohup python3 "$HERE/train.py" --checkpoint "$CK" --minutes "${MINUTES:-24}" --lr "${LR:-3e-4}" --high-share "${HIGH_SHARE:-0.3}" \
    >> "$CK_DIR/log.txt" 2>&1 < /dev/null &
  echo "started training for ${MINUTES:-24} minutes"
fi
sleep "${WAIT:-240}"
while [ "${1:-}" = "export" ] && pgrep -f "train.py --checkpoint" >/dev/null; do sleep 5; done
tail -n 60 "$CK_DIR/log.txt"
python3 - "$CK" "$CK_DIR/light.pt" <<'PY'
import sys, torch
s = torch.load(sys.argv[1], map_location='cpu', weights_only=False)
# Resume point small enough to travel back: no optimiser moments, the EMA weights as the live ones.
s['opt'] = s['dec_opt'] = None
s['text'], s['denoiser'] = s['ema']['text'], s['ema']['denoiser']
torch.save(s, sys.argv[2])
PY
rm -rf "$CK_DIR/pack" && mkdir -p "$CK_DIR/pack" && cp "$CK_DIR/light.pt" "$CK_DIR/pack/"
if [ "${1:-}" = "export" ]; then
  python3 "$HERE/export.py" "$CK" "$CK_DIR/pack/export" 2>&1 | grep -v -i warn | tail -3
fi
tar -C "$CK_DIR/pack" -cf - . | split -b 15M - "$OUT/pack.tar.part-"
cp "$CK_DIR/log.txt" "$OUT/log.txt"
ls -la "$OUT"
