import { describe, expect, it } from 'vitest';
import { RedisArtifactStore } from '../../src/artifacts/index.ts';
import { failureReply } from '../../src/jobs/index.ts';
import { readStartImage } from '../../worker/start-image.ts';
import { useLocalRedis } from '../support/local-redis.ts';

describe('the start image a job reads back', () => {
  const redis = useLocalRedis();
  const image = {
    key: 'image-0123456789abcdef0123',
    sha256: '0123456789abcdef0123',
    name: 'cat.jpeg',
    format: 'jpeg',
    width: 640,
    height: 480,
  };

  it('comes from the artifact store, named by its content', async () => {
    const artifacts = new RedisArtifactStore(redis.client(), 60_000, `si-${Date.now()}:`);
    await artifacts.put(image.key, Buffer.from('jpeg bytes'));
    const read = await readStartImage(artifacts, image);
    expect(read.fileName).toBe('clipbot-0123456789abcdef.jpg');
    expect(Buffer.from(read.bytes).toString()).toBe('jpeg bytes');
  });

  it('gone while the job waited, ends the job with a reply that asks for it again', async () => {
    const artifacts = new RedisArtifactStore(redis.client(), 60_000, `si-${Date.now()}:`);
    const error = await readStartImage(artifacts, image).catch((e: Error) => e);
    expect(failureReply(error as Error)).toEqual({
      code: 'INVALID_OPTIONS',
      message:
        'I can\'t make that video: the picture "cat.jpeg" is no longer kept (it waited too long in the queue); attach it again',
    });
  });
});
