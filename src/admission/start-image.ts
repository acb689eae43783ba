import { createHash } from 'node:crypto';
import {
  type AttachedImage,
  IMAGE_MAX_BYTES,
  IMAGE_SIDES,
  ImageUnavailableError,
  shownFileName,
} from '../core/index.ts';
import { type ImageFormat, readImageHeader } from './image-header.ts';

/** An attached picture that passed admission: its bytes and what they are. */
export interface CheckedImage {
  bytes: Uint8Array;
  sha256: string;
  name: string;
  format: ImageFormat;
  width: number;
  height: number;
}

/** The outcome of {@link checkStartImage}: the picture, or why it is refused in words for the user. */
export type ImageCheck = { ok: true; image: CheckedImage } | { ok: false; message: string };

/** What admission knows of the model a picture is for. */
export interface ImageModel {
  name: string;
  /** Whether it can start a clip from a picture (its manifest names a start-image input). */
  takesImage: boolean;
}

const MB = 1024 * 1024;

function megabytes(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MB`;
}

/**
 * Admission of a start image: the model must take one (the bundled model refuses, clearly), the
 * declared size and then the bytes read must be within {@link IMAGE_MAX_BYTES}, the bytes must be a
 * PNG, JPEG or WebP by their own header (not by name or declared type), and its sides within
 * {@link IMAGE_SIDES}. A picture the platform cannot give (deleted, not visible to the bot) is a
 * refusal with the platform's reason; anything else thrown is a fault of ours and is rethrown.
 */
export async function checkStartImage(image: AttachedImage, model: ImageModel): Promise<ImageCheck> {
  const name = shownFileName(image.name);
  if (!model.takesImage)
    return {
      ok: false,
      message: `This server's model (${model.name}) makes clips from text only, so it cannot bring a picture to life. Send the prompt again without the image.`,
    };
  const limit = `the limit is ${IMAGE_MAX_BYTES / MB} MB`;
  if (image.declaredBytes !== undefined && image.declaredBytes > IMAGE_MAX_BYTES)
    return { ok: false, message: `Your image ${name} is ${megabytes(image.declaredBytes)}; ${limit}.` };
  let bytes: Uint8Array;
  try {
    bytes = await image.read(IMAGE_MAX_BYTES);
  } catch (error) {
    if (error instanceof ImageUnavailableError) return { ok: false, message: error.message };
    throw error;
  }
  if (bytes.length > IMAGE_MAX_BYTES)
    return { ok: false, message: `Your image ${name} is larger than ${IMAGE_MAX_BYTES / MB} MB, the limit.` };
  const header = readImageHeader(bytes);
  if (!header)
    return {
      ok: false,
      message: `Your image ${name} is not a PNG, JPEG or WebP picture (I read the file itself, not its name). Save it as one of those and attach it again.`,
    };
  const { width, height } = header;
  const { min, max, maxPixels } = IMAGE_SIDES;
  if (Math.min(width, height) < min || Math.max(width, height) > max || width * height > maxPixels)
    return {
      ok: false,
      message: `Your image ${name} is ${width}×${height} pixels; a picture needs ${min} to ${max.toLocaleString('en-US')} pixels a side and ${maxPixels / 1e6} megapixels at most.`,
    };
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { ok: true, image: { bytes, sha256, name: image.name.slice(0, 200), ...header } };
}
