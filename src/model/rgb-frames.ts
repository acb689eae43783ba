/** Planar float frames [frames, 3, height, width] in [0, 1] → one packed RGB24 buffer per frame. */
export function toRgbFrames(data: Float32Array, frames: number, height: number, width: number): Uint8Array[] {
  const plane = height * width;
  const out: Uint8Array[] = [];
  for (let f = 0; f < frames; f++) {
    const base = f * 3 * plane;
    const rgb = new Uint8Array(plane * 3);
    for (let p = 0; p < plane; p++) {
      for (let c = 0; c < 3; c++) {
        const v = data[base + c * plane + p] as number;
        rgb[p * 3 + c] = Math.round(Math.min(1, Math.max(0, v)) * 255);
      }
    }
    out.push(rgb);
  }
  return out;
}
