import { describe, expect, it } from 'vitest';
import { checkStartImage, readImageHeader } from '../../src/admission/index.ts';
import {
  type AttachedImage,
  IMAGE_MAX_BYTES,
  ImageUnavailableError,
  imageFromBytes,
} from '../../src/core/index.ts';
import { testPicture } from '../support/test-images.ts';

const WAN = { name: 'wan2.2-ti2v-5b', takesImage: true };

describe('readImageHeader', () => {
  it.each([
    ['png', 'png'],
    ['jpeg', 'jpeg'],
    ['webp', 'webp'],
    ['webp-lossless', 'webp'],
  ] as const)('reads the format and size of a %s from its bytes', async (encoding, format) => {
    expect(readImageHeader(await testPicture(encoding, 333, 127))).toEqual({
      format,
      width: 333,
      height: 127,
    });
  });

  it('reads an extended WebP (VP8X) canvas', () => {
    const bytes = Buffer.alloc(30);
    bytes.write('RIFF', 0);
    bytes.writeUInt32LE(22, 4);
    bytes.write('WEBPVP8X', 8);
    bytes.writeUInt32LE(10, 16);
    bytes.writeUIntLE(1919, 24, 3);
    bytes.writeUIntLE(1079, 27, 3);
    expect(readImageHeader(bytes)).toEqual({ format: 'webp', width: 1920, height: 1080 });
  });

  it('knows nothing else: a GIF, text, a truncated PNG', async () => {
    expect(readImageHeader(await testPicture('gif', 100, 100))).toBeUndefined();
    expect(readImageHeader(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
    expect(readImageHeader((await testPicture('png', 100, 100)).subarray(0, 20))).toBeUndefined();
    expect(readImageHeader(new Uint8Array())).toBeUndefined();
  });
});

describe('checkStartImage', () => {
  it('takes a PNG, JPEG or WebP and gives its hash, format and size', async () => {
    const bytes = await testPicture('jpeg', 640, 480);
    const checked = await checkStartImage(imageFromBytes('cat.jpg', bytes), WAN);
    if (!checked.ok) throw new Error(checked.message);
    expect(checked.image).toMatchObject({ name: 'cat.jpg', format: 'jpeg', width: 640, height: 480 });
    expect(checked.image.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Buffer.from(checked.image.bytes).equals(bytes)).toBe(true);
  });

  it('refuses every picture for a model that makes clips from text only, before reading it', async () => {
    let reads = 0;
    const image: AttachedImage = {
      name: 'cat.png',
      read: async () => {
        reads++;
        return new Uint8Array();
      },
    };
    const checked = await checkStartImage(image, { name: 'shapes-v1', takesImage: false });
    expect(checked).toEqual({
      ok: false,
      message: expect.stringContaining("This server's model (shapes-v1) makes clips from text only"),
    });
    expect(reads).toBe(0);
  });

  it('refuses a file declared over 10 MB without downloading it, and one whose bytes run over', async () => {
    let asked = 0;
    const declared: AttachedImage = {
      name: 'huge.png',
      declaredBytes: 12 * 1024 * 1024,
      read: async (max) => {
        asked = max;
        return new Uint8Array(max + 1);
      },
    };
    const first = await checkStartImage(declared, WAN);
    expect(first).toEqual({ ok: false, message: 'Your image "huge.png" is 12.0 MB; the limit is 10 MB.' });
    expect(asked).toBe(0);
    const { declaredBytes: _, ...undeclared } = declared;
    const second = await checkStartImage(undeclared, WAN);
    expect(second).toEqual({ ok: false, message: 'Your image "huge.png" is larger than 10 MB, the limit.' });
    expect(asked).toBe(IMAGE_MAX_BYTES);
  });

  it('refuses what is not a PNG, JPEG or WebP by its bytes, whatever its name says', async () => {
    const gif = await testPicture('gif', 200, 200);
    const checked = await checkStartImage(imageFromBytes('looks-like.png', gif), WAN);
    expect(checked).toEqual({
      ok: false,
      message: expect.stringContaining('Your image "looks-like.png" is not a PNG, JPEG or WebP picture'),
    });
  });

  it('refuses a picture too small to animate, or too large to decode', async () => {
    const small = await checkStartImage(imageFromBytes('icon.png', await testPicture('png', 32, 200)), WAN);
    expect(small).toEqual({
      ok: false,
      message:
        'Your image "icon.png" is 32×200 pixels; a picture needs 64 to 8,192 pixels a side and 50 megapixels at most.',
    });
    const wide = Buffer.from(await testPicture('png', 64, 64));
    wide.writeUInt32BE(9000, 16); // the header claims 9000 pixels across
    const large = await checkStartImage(imageFromBytes('wide.png', wide), WAN);
    expect(large.ok).toBe(false);
  });

  it("passes on the platform's reason when the file cannot be read, and rethrows anything else", async () => {
    const gone: AttachedImage = {
      name: 'cat.png',
      read: () => Promise.reject(new ImageUnavailableError('That file was deleted from Slack.')),
    };
    expect(await checkStartImage(gone, WAN)).toEqual({
      ok: false,
      message: 'That file was deleted from Slack.',
    });
    const broken: AttachedImage = {
      name: 'cat.png',
      read: () => Promise.reject(new Error('socket hang up')),
    };
    await expect(checkStartImage(broken, WAN)).rejects.toThrow('socket hang up');
  });

  it('shows a hostile file name as plain text', async () => {
    const checked = await checkStartImage(
      imageFromBytes('<@everyone>`**x**`.gif', Buffer.from('GIF89a')),
      WAN,
    );
    expect(checked.ok || checked.message).toContain('"@everyonex.gif"');
  });
});
