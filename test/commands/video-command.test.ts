import { describe, expect, it } from 'vitest';
import { CommandError, VIDEO_WITHOUT_MODEL, videoCommand } from '../../commands/index.ts';
import type { ReplyTarget, RequestHandler, VideoRequest } from '../../src/core/index.ts';
import { stubHandler } from '../support/stub-handler.ts';

const context = {
  requestId: 'r1',
  tenant: { platform: 'discord', id: '123456789012345678' },
  user: { id: '223456789012345678', displayName: 'Ada' },
  channelId: '323456789012345678',
  receivedAt: 1_700_000_000_000,
  uploadLimitBytes: 25 * 1024 * 1024,
} as const;
const target = {
  platform: 'discord',
  kind: 'message',
  replyId: 'reply-1',
  handle: { token: 't' },
} as ReplyTarget;

/** A handler that records the requests it is given. */
function recorder() {
  const calls: { request: VideoRequest; target: ReplyTarget }[] = [];
  const handler: RequestHandler = stubHandler({
    onVideoRequest: async (request, to) => void calls.push({ request, target: to }),
  });
  return { calls, handler };
}

describe('/video execute', () => {
  it('asks the core for a clip with the values as options and the platform context, at the given target', async () => {
    const { calls, handler } = recorder();
    const values = {
      prompt: 'a red ball',
      negative: 'blur',
      seed: 7,
      quality: 'low',
      steps: 12,
      guidance: 4.5,
      private: true,
    };
    await videoCommand.execute({ values, context, target }, handler);
    expect(calls).toEqual([
      {
        request: {
          ...context,
          prompt: 'a red ball',
          options: {
            negativePrompt: 'blur',
            seed: 7,
            quality: 'low',
            steps: 12,
            guidance: 4.5,
            private: true,
          },
        },
        target,
      },
    ]);
  });

  it('leaves options that were not given out of the request, for admission and the model to default', async () => {
    const { calls, handler } = recorder();
    await videoCommand.execute({ values: { prompt: 'a cat' }, context, target }, handler);
    expect(calls[0]?.request.options).toEqual({});
  });

  it('when a value has the wrong type, then it fails naming the option and asks nothing', async () => {
    const { calls, handler } = recorder();
    const values = { prompt: 'a cat', seed: 'seven' };
    await expect(videoCommand.execute({ values, context, target }, handler)).rejects.toThrow(CommandError);
    await expect(videoCommand.execute({ values, context, target }, handler)).rejects.toThrow(/seed/);
    expect(calls).toEqual([]);
  });
});

describe('/video without a model', () => {
  it('has every option shape, quality without choices, so any tier name parses', () => {
    expect(VIDEO_WITHOUT_MODEL.options.map((o) => o.name)).toEqual([
      'prompt',
      'negative',
      'seed',
      'quality',
      'steps',
      'guidance',
      'private',
      'caption',
      'image',
    ]);
    expect(VIDEO_WITHOUT_MODEL.options.find((o) => o.name === 'quality')?.choices).toBeUndefined();
  });
});
