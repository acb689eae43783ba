/** A picture size in pixels. */
export interface Size {
  width: number;
  height: number;
}

/** How to size the encoded picture; without either option the input size is kept (made even). */
export interface ScaleOptions {
  /** Exact output size; odd values are rounded up to even. Wins over `upscale`. */
  scaleTo?: Size;
  /** Integer enlargement factor, e.g. 4 turns a 64x64 clip into 256x256 for chat display. */
  upscale?: number;
}

const roundUpEven = (n: number): number => n + (n % 2);

/** The size to encode at: scaleTo or input × upscale, each side rounded up to even (yuv420p needs it). */
export function outputSize(input: Size, options: ScaleOptions): Size {
  const factor = options.upscale ?? 1;
  const base = options.scaleTo ?? { width: input.width * factor, height: input.height * factor };
  return { width: roundUpEven(base.width), height: roundUpEven(base.height) };
}

/**
 * The ffmpeg filter that turns the input picture into `output`, or undefined when none is needed.
 * A one-pixel odd edge is padded and smeared (the original pixels stay exact, no black line). This runs
 * in planar RGB: fillborders cannot take packed rgb24, and converting to yuv420p between pad and
 * fillborders would mix the black pad into the edge's chroma.
 * enlargements use nearest-neighbour so tiny clips stay crisp; reductions use area averaging.
 */
export function videoFilter(input: Size, output: Size): string | undefined {
  const dw = output.width - input.width;
  const dh = output.height - input.height;
  if (dw === 0 && dh === 0) return undefined;
  if (dw >= 0 && dw <= 1 && dh >= 0 && dh <= 1) {
    return `format=gbrp,pad=${output.width}:${output.height}:0:0,fillborders=right=${dw}:bottom=${dh}:mode=smear`;
  }
  const flags = dw >= 0 && dh >= 0 ? 'neighbor' : 'area';
  return `scale=${output.width}:${output.height}:flags=${flags},setsar=1`;
}

/** Shrinks a size by `factor`, keeping the aspect ratio, both sides even and the short side ≥ minSide. */
export function shrinkSize(size: Size, factor: number, minSide: number): Size {
  const floor = minSide / Math.min(size.width, size.height);
  const f = Math.min(1, Math.max(factor, floor));
  const even = (n: number): number => Math.max(2, 2 * Math.round(n / 2));
  return { width: even(size.width * f), height: even(size.height * f) };
}
