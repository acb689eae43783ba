// A caption asked with /video ends burned into the clip, through admission, the queue and the worker.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShownReply, VideoRequest } from '../../src/core/index.ts';
import { useBundledModel } from '../support/bundled-model.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { messageTarget, RecordingAdapter } from '../support/recording-adapter.ts';
import { startTestBot, startTestWorker } from '../support/test-spine.ts';

const run = promisify(execFile);

describe('captions asked with /video', () => {
  const redis = useLocalRedis();
  const bundled = useBundledModel();
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clipbot-captions-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Near-white pixels in the bottom quarter of an MP4's first frame. */
  const brightAtBottom = async (bytes: Uint8Array): Promise<number> => {
    const file = join(dir, `${Math.random().toString(36).slice(2)}.mp4`);
    await writeFile(file, bytes);
    const args = ['-v', 'error', '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'];
    const { stdout } = await run('ffmpeg', args, { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 });
    const side = Math.round(Math.sqrt(stdout.length));
    let count = 0;
    for (let i = Math.floor(side * 0.75) * side; i < stdout.length; i++) if ((stdout[i] ?? 0) > 220) count++;
    return count;
  };

  it('burns the caption into the clip; the same request with another caption is another clip; a blocked term in a caption is refused', async () => {
    const prefix = `cap${Date.now()}`;
    const adapter = new RecordingAdapter();
    const bot = await startTestBot(redis, { prefix, adapters: [adapter], manifest: bundled.manifest });
    const worker = await startTestWorker(redis, bundled.model, bot.parts);
    try {
      const ask = async (id: string, options: VideoRequest['options']): Promise<ShownReply> => {
        await bot.bot.handler.onVideoRequest(
          {
            requestId: id,
            tenant: { platform: 'playground', id: 'playground' },
            user: { id: `u-${id}` },
            channelId: 'c1',
            prompt: 'a red ball bouncing on a black background',
            options: { quality: 'low', seed: 11, ...options },
            receivedAt: Date.now(),
            uploadLimitBytes: 10 * 1024 * 1024,
          },
          messageTarget(id),
        );
        const end = Date.now() + 60_000;
        for (;;) {
          const last = adapter.rendered.filter((r) => r.target.replyId === id).at(-1)?.reply;
          if (last && (last.kind === 'done' || last.kind === 'refused' || last.kind === 'failed'))
            return last;
          if (Date.now() > end) throw new Error(`no final reply for ${id}`);
          await new Promise((r) => setTimeout(r, 25));
        }
      };
      const plain = await ask('plain', {});
      const captioned = await ask('captioned', { caption: 'Happy birthday, "Sam": 100% %{pts}' });
      if (plain.kind !== 'done' || captioned.kind !== 'done') throw new Error('expected two clips');
      expect(captioned.jobId).not.toBe(plain.jobId); // not answered from the cache
      expect(await brightAtBottom(plain.clip.bytes)).toBe(0);
      expect(await brightAtBottom(captioned.clip.bytes)).toBeGreaterThan(100);

      const tooLong = await ask('long', { caption: 'x'.repeat(101) });
      expect(tooLong).toMatchObject({ kind: 'refused', reason: 'invalid-input' });
      expect(tooLong.kind === 'refused' && tooLong.message).toMatch(
        /caption is too long: 101 characters, the limit is 100/,
      );
      const blocked = await ask('blocked', { caption: 'a bestiality joke' });
      expect(blocked).toMatchObject({ kind: 'refused', reason: 'blocked-prompt' });
    } finally {
      await worker.close(0);
      await bot.close();
    }
  }, 120_000);
});
