import { describe, expect, it } from 'vitest';
import { DEFAULT_BLOCKLIST } from '../../src/admission/index.ts';
import type { ButtonAction, ReplyTarget, ShownReply, VideoRequest } from '../../src/core/index.ts';
import type { GenerateWorker } from '../../worker/generate-worker.ts';
import { useBundledModel } from '../support/bundled-model.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { messageTarget, RecordingAdapter } from '../support/recording-adapter.ts';
import { startTestBot, startTestWorker } from '../support/test-spine.ts';

describe('the spine: adapter → admission → queue → worker → artifact → delivery → reply', () => {
  const redis = useLocalRedis();
  const bundled = useBundledModel();

  async function spine() {
    const prefix = `s${Date.now()}${Math.random()}`.replace('.', '');
    const adapter = new RecordingAdapter();
    const {
      parts,
      bot,
      close: closeBot,
    } = await startTestBot(redis, { prefix, adapters: [adapter], manifest: bundled.manifest });
    let worker: GenerateWorker | undefined;
    /** The worker starts when the test says, so requests can queue up first. */
    const startWorker = async () => {
      worker = await startTestWorker(redis, bundled.model, parts);
    };
    const service = bot.handler;
    const close = async () => {
      await worker?.close(0);
      await closeBot();
    };
    return { service, adapter, startWorker, parts, artifacts: parts.artifacts, close };
  }

  const request = (
    id: string,
    prompt: string,
    user = 'u1',
    options: VideoRequest['options'] = {},
  ): VideoRequest => ({
    requestId: id,
    tenant: { platform: 'playground', id: 'playground' },
    user: { id: user },
    channelId: 'c1',
    prompt,
    options: { quality: 'low', ...options },
    receivedAt: Date.now(),
    uploadLimitBytes: 10 * 1024 * 1024,
  });
  const target = (id: string): ReplyTarget => messageTarget(id);
  const repliesFor = (adapter: RecordingAdapter, id: string): ShownReply[] =>
    adapter.rendered.filter((r) => r.target.replyId === id).map((r) => r.reply);
  const until = async (check: () => boolean, ms = 60_000) => {
    const end = Date.now() + ms;
    while (!check()) {
      if (Date.now() > end) throw new Error('timed out waiting');
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  it('a request is queued with its position, shows progress, and ends in one MP4 equal to the stored one', async () => {
    const { service, adapter, startWorker, artifacts, close } = await spine();
    await service.onVideoRequest(
      request('r1', 'a red ball bouncing on a white background', 'u1', { seed: 5 }),
      target('m1'),
    );
    expect(repliesFor(adapter, 'm1')[0]).toMatchObject({ kind: 'queued', position: 1 });
    await startWorker();
    await until(() => repliesFor(adapter, 'm1').some((r) => r.kind === 'done'));
    const replies = repliesFor(adapter, 'm1');
    const done = replies.filter((r) => r.kind === 'done');
    expect(done).toHaveLength(1);
    expect(replies.some((r) => r.kind === 'running')).toBe(true);
    const clip = done[0]?.kind === 'done' ? done[0].clip : undefined;
    const stored = await artifacts.get(`clip-${done[0]?.kind === 'done' ? done[0].jobId : ''}`);
    expect(stored && clip && Buffer.compare(stored, Buffer.from(clip.bytes))).toBe(0);
    await close();
  }, 120_000);

  it('an identical request is answered from the clip cache; bad input and blocked prompts are refused clearly', async () => {
    const { service, adapter, startWorker, close } = await spine();
    await startWorker();
    await service.onVideoRequest(
      request('r1', 'a blue square slides to the left', 'u1', { seed: 9 }),
      target('a'),
    );
    await until(() => repliesFor(adapter, 'a').some((r) => r.kind === 'done'));
    await service.onVideoRequest(
      request('r2', 'a blue square slides to the left', 'u2', { seed: 9 }),
      target('b'),
    );
    expect(repliesFor(adapter, 'b')).toEqual([expect.objectContaining({ kind: 'done' })]);

    await service.onVideoRequest(request('r3', 'hi', 'u3'), target('c'));
    expect(repliesFor(adapter, 'c')).toEqual([
      expect.objectContaining({
        kind: 'refused',
        reason: 'invalid-input',
        message: expect.stringMatching(/too short/),
      }),
    ]);
    await service.onVideoRequest(request('r4', `a ${DEFAULT_BLOCKLIST[0]} scene`, 'u4'), target('d'));
    const refusal = repliesFor(adapter, 'd')[0];
    expect(refusal).toMatchObject({ kind: 'refused', reason: 'blocked-prompt' });
    expect(refusal?.kind === 'refused' && refusal.message).not.toContain(DEFAULT_BLOCKLIST[0]);
    await close();
  }, 120_000);

  it('a user with a job already queued is told when to try again; an identical in-flight request joins and gets the clip too', async () => {
    const { service, adapter, startWorker, close } = await spine();
    await service.onVideoRequest(
      request('r1', 'a green star rises at night', 'u1', { seed: 1 }),
      target('x'),
    );
    await service.onVideoRequest(request('r2', 'a yellow ball falls', 'u1', { seed: 2 }), target('y'));
    expect(repliesFor(adapter, 'y')[0]).toMatchObject({
      kind: 'refused',
      reason: 'user-busy',
      retryAt: expect.any(Number),
      message: expect.stringMatching(/Try again at \d\d:\d\d UTC/),
    });
    await service.onVideoRequest(
      request('r3', 'a green star rises at night', 'u2', { seed: 1 }),
      target('z'),
    );
    const first = repliesFor(adapter, 'x')[0];
    const joined = repliesFor(adapter, 'z')[0];
    expect(joined).toMatchObject({ kind: 'queued', position: 1 });
    expect(joined?.kind === 'queued' && first?.kind === 'queued' && joined.jobId === first.jobId).toBe(true);
    await startWorker();
    await until(() => repliesFor(adapter, 'z').some((r) => r.kind === 'done'));
    expect(repliesFor(adapter, 'x').filter((r) => r.kind === 'done')).toHaveLength(1);
    expect(repliesFor(adapter, 'z').filter((r) => r.kind === 'done')).toHaveLength(1);
    await close();
  }, 60_000);

  it('the Cancel button removes a waiting job at once; Reroll makes the same prompt again with a new seed', async () => {
    const { service, adapter, startWorker, close } = await spine();
    let presses = 0;
    const press = (
      action: ButtonAction,
      user: string,
      on: string,
      followUp = `f${++presses}`,
      isModerator = false,
    ) =>
      service.onButton({
        pressId: `p${++presses}`,
        action,
        presser: {
          tenant: { platform: 'playground', id: 'playground' },
          user: { id: user, isModerator },
          channelId: 'c1',
          uploadLimitBytes: 10 * 1024 * 1024,
        },
        message: target(on),
        notices: { platform: 'playground', handle: { user } },
        followUp: target(followUp),
        receivedAt: Date.now(),
      });
    await service.onVideoRequest(request('r1', 'a red ball bouncing', 'u1', { seed: 3 }), target('m1'));
    expect(repliesFor(adapter, 'm1')[0]?.buttons.map((b) => b.action)).toEqual(['cancel']);
    await press('cancel', 'u2', 'm1');
    expect(adapter.notices).toEqual([
      {
        to: { platform: 'playground', handle: { user: 'u2' } },
        message: 'Only the person who asked for this video can cancel it.',
      },
    ]);
    expect(repliesFor(adapter, 'm1')).toHaveLength(1); // the message itself is untouched
    await press('cancel', 'u1', 'm1');
    await until(() => repliesFor(adapter, 'm1').some((r) => r.kind === 'cancelled'));

    await startWorker();
    await service.onVideoRequest(request('r2', 'a blue star falls', 'u1', { seed: 4 }), target('m2'));
    await until(() => repliesFor(adapter, 'm2').some((r) => r.kind === 'done'));
    const first = repliesFor(adapter, 'm2').find((r) => r.kind === 'done');
    expect(first?.buttons.map((b) => b.action)).toEqual(['reroll', 'delete']);
    await press('reroll', 'u1', 'm2', 'm3');
    await until(() => repliesFor(adapter, 'm3').some((r) => r.kind === 'done'));
    const second = repliesFor(adapter, 'm3').find((r) => r.kind === 'done');
    expect(second?.kind === 'done' && second.prompt).toBe('a blue star falls');
    expect(second?.kind === 'done' && second.clip.seed).not.toBe(4);
    // A new seed is a new clip: a fingerprint without the seed would answer with the first clip's bytes.
    const bytes = (r: ShownReply | undefined) => Buffer.from(r?.kind === 'done' ? r.clip.bytes : []);
    expect(Buffer.compare(bytes(first), bytes(second))).not.toBe(0);
    expect(repliesFor(adapter, 'm2').filter((r) => r.kind === 'done')).toHaveLength(1); // the first clip stays
    expect(repliesFor(adapter, 'm1').filter((r) => r.kind === 'done')).toHaveLength(0);

    // Delete: refused to a stranger, done for a moderator the adapter flagged.
    await press('delete', 'u3', 'm3');
    expect(adapter.notices.at(-1)?.message).toMatch(/or a moderator, can delete it/);
    await press('delete', 'u3', 'm3', undefined, true);
    expect(repliesFor(adapter, 'm3').at(-1)?.kind).toBe('deleted');
    await close();
  }, 120_000);

  it('a private request stays private in every reply, the clip included', async () => {
    const { service, adapter, startWorker, close } = await spine();
    await startWorker();
    await service.onVideoRequest(
      request('r1', 'a white square rises', 'u1', { seed: 21, private: true }),
      target('p1'),
    );
    await until(() => repliesFor(adapter, 'p1').some((r) => r.kind === 'done'));
    const shown = repliesFor(adapter, 'p1');
    expect(shown.map((r) => r.private)).toEqual(shown.map(() => true));
    await close();
  }, 60_000);
});
