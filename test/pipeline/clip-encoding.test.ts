import { describe, expect, it } from 'vitest';
import { encodeMp4, probeMp4 } from '../../src/media/index.ts';
import { OnnxVideoModel } from '../../src/model/index.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';

describe('a generated clip encoded to MP4', () => {
  it('is H.264 yuv420p with the tier frame count, the manifest fps and the matching duration', async () => {
    const model = await OnnxVideoModel.load(BUNDLED_MANIFEST);
    const clip = await model.generate({ prompt: 'a yellow star spinning at night', seed: 9, tier: 'low' });
    await model.dispose();
    const encoded = await encodeMp4(clip.frames, { upscale: 4 });
    const probe = await probeMp4(encoded.bytes);
    expect(probe).toMatchObject({
      codec: 'h264',
      pixelFormat: 'yuv420p',
      width: clip.tier.width * 4,
      height: clip.tier.height * 4,
      frameCount: clip.tier.frames,
      fps: model.fps,
    });
    expect(probe.durationSeconds).toBeCloseTo(clip.tier.frames / model.fps, 1);
    expect(encoded.bytes.length).toBeLessThanOrEqual(10 * 1024 * 1024);
  });
});
