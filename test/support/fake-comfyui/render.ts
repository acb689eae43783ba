import { spawn } from 'node:child_process';

export interface RenderSpec {
  width: number;
  height: number;
  frames: number;
  fps: number;
}

/**
 * What Wan22ImageToVideoLatent → VAEDecode really yields for a graph: the latent is
 * `[1, 48, (length - 1) // 4 + 1, height // 16, width // 16]` (comfy_extras/nodes_wan.py), so the
 * decoded clip has `((length - 1) // 4) * 4 + 1` frames per batch item of `16 * (width // 16)` ×
 * `16 * (height // 16)` pixels; VAEDecode folds the batch into one run of frames.
 */
export function decodedShape(width: number, height: number, length: number, batch: number) {
  return {
    width: Math.floor(width / 16) * 16,
    height: Math.floor(height / 16) * 16,
    frames: (Math.floor((length - 1) / 4) * 4 + 1) * batch,
  };
}

/** Writes a real H.264 MP4 (ffmpeg's lavfi `testsrc2`) of the given shape. */
export function renderMp4(file: string, spec: RenderSpec, signal?: AbortSignal): Promise<void> {
  const args = [
    ...['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-f', 'lavfi'],
    ...['-i', `testsrc2=size=${spec.width}x${spec.height}:rate=${spec.fps}`],
    ...['-frames:v', String(spec.frames), '-c:v', 'libx264', '-preset', 'ultrafast'],
    ...['-pix_fmt', 'yuv420p', '-movflags', '+faststart', file],
  ];
  return run(args, signal).then(() => undefined);
}

/** A small JPEG, as a KSampler preview frame. */
export function previewJpeg(): Promise<Buffer> {
  return run([
    ...['-hide_banner', '-loglevel', 'error', '-nostdin', '-f', 'lavfi', '-i', 'testsrc2=size=64x36'],
    ...['-frames:v', '1', '-f', 'mjpeg', 'pipe:1'],
  ]);
}

function run(args: string[], signal?: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'], ...(signal ? { signal } : {}) });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`ffmpeg exited ${code}: ${err.trim()}`)),
    );
  });
}
