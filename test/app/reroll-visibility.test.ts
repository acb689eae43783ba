import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ButtonActions } from '../../src/app/index.ts';
import { RedisArtifactStore } from '../../src/artifacts/index.ts';
import type { ButtonPress, ReplyRecord, VideoRequest } from '../../src/core/index.ts';
import type { JobCanceller } from '../../src/jobs/index.ts';
import { ReplyBook, RequestDedupe } from '../../src/replies/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { messageTarget } from '../support/recording-adapter.ts';

const TENANT = { platform: 'discord', id: 'guild' } as const;
const NOT_YOURS = 'You can reroll your own videos, and public ones in the channel they were posted in.';

describe('Reroll works only on a reply the presser could see', () => {
  const redis = useLocalRedis();

  /** ButtonActions over a real reply book; the reply `r1` was asked by ana in #general. */
  async function buttons(record: Partial<ReplyRecord> = {}) {
    const prefix = `rr-${randomUUID()}`;
    const connection = redis.client();
    const book = new ReplyBook(connection, prefix);
    await book.remember(messageTarget('r1', 'discord'), {
      requestId: 'q1',
      tenantKey: 'discord:guild',
      userKey: 'discord:ana',
      channelId: 'general',
      prompt: 'a secret birthday card for ben',
      negativePrompt: '',
      seed: 5,
      quality: 'low',
      private: false,
      jobId: 'job-1',
      ...record,
    });
    const rerolls: VideoRequest[] = [];
    const notices: string[] = [];
    const artifacts = new RedisArtifactStore(connection, 60_000, `${prefix}:artifact:`);
    const actions = new ButtonActions({
      canceller: {} as JobCanceller, // a reroll cancels nothing
      book,
      dedupe: new RequestDedupe(connection, prefix),
      requestVideo: async (request) => {
        rerolls.push(request);
      },
      artifacts,
      show: async () => undefined,
      notify: async (_to, message) => {
        notices.push(message);
      },
      logger: pino({ level: 'silent' }),
    });
    /** `user` presses Reroll on r1 in `channel`. */
    const press = (user: string, channel: string): Promise<void> => {
      const pressed: ButtonPress = {
        pressId: randomUUID(),
        action: 'reroll',
        presser: { tenant: TENANT, user: { id: user }, channelId: channel, uploadLimitBytes: 8_000_000 },
        message: messageTarget('r1', 'discord'),
        notices: { platform: 'discord', handle: { user } },
        followUp: messageTarget(`f-${randomUUID()}`, 'discord'),
        receivedAt: Date.now(),
      };
      return actions.onButton(pressed);
    };
    return { press, rerolls, notices, artifacts };
  }

  it('the requester rerolls their own reply, even a private one and from another channel', async () => {
    const { press, rerolls, notices } = await buttons({ private: true });
    await press('ana', 'elsewhere');
    expect(notices).toEqual([]);
    expect(rerolls).toHaveLength(1);
    expect(rerolls[0]).toMatchObject({ prompt: 'a secret birthday card for ben', user: { id: 'ana' } });
    expect(rerolls[0]?.options).toMatchObject({ private: true });
  });

  it('anyone in the channel of a public reply rerolls it, as their own request', async () => {
    const { press, rerolls, notices } = await buttons();
    await press('ben', 'general');
    expect(notices).toEqual([]);
    expect(rerolls).toHaveLength(1);
    expect(rerolls[0]).toMatchObject({ user: { id: 'ben' }, channelId: 'general' });
    expect(rerolls[0]?.options.seed).toBeUndefined(); // a new seed
  });

  it('when someone else presses Reroll on a private reply, then they are told so alone and see nothing of it', async () => {
    const { press, rerolls, notices } = await buttons({ private: true });
    await press('ben', 'general');
    expect(rerolls).toEqual([]);
    expect(notices).toEqual([NOT_YOURS]);
  });

  it('when someone names a public reply from another channel (a forged press), then it is not rerolled', async () => {
    const { press, rerolls, notices } = await buttons();
    await press('ben', 'other-channel');
    expect(rerolls).toEqual([]);
    expect(notices).toEqual([NOT_YOURS]);
  });

  it('a reply kept before replies knew their channel is rerolled by its requester only', async () => {
    const { press, rerolls, notices } = await buttons({ channelId: undefined as unknown as string });
    await press('ben', 'general');
    expect(rerolls).toEqual([]);
    expect(notices).toEqual([NOT_YOURS]);
    await press('ana', 'general');
    expect(rerolls).toHaveLength(1);
  });

  it('a reroll of a clip made from a picture starts from the same picture, or says it is no longer kept', async () => {
    const image = {
      key: 'image-abc',
      sha256: 'abc',
      name: 'cat.png',
      format: 'png',
      width: 640,
      height: 480,
    };
    const { press, rerolls, artifacts } = await buttons({ startImage: image });
    await artifacts.put('image-abc', Buffer.from('the picture'));
    await press('ana', 'general');
    const picture = rerolls[0]?.image;
    expect(picture?.name).toBe('cat.png');
    expect(Buffer.from((await picture?.read(1_000)) ?? []).toString()).toBe('the picture');
    await artifacts.delete('image-abc');
    await expect(picture?.read(1_000)).rejects.toThrow(
      'The picture this video started from is no longer kept, so I cannot reroll it. Send /video again with the picture attached.',
    );
  });
});
