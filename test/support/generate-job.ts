import type { GenerateJobData } from '../../src/core/index.ts';

/** A valid generate job for the playground, low tier; tests override what they are about. */
export function generateJob(over: Partial<GenerateJobData> = {}): GenerateJobData {
  return {
    requestId: 'r1',
    tenantKey: 'playground:playground',
    userKey: 'playground:u1',
    channelId: 'playground',
    prompt: 'a red ball bouncing on a white background',
    negativePrompt: '',
    seed: 7,
    quality: 'low',
    private: false,
    uploadLimitBytes: 10 * 1024 * 1024,
    target: { platform: 'playground', kind: 'message', replyId: 'm1', handle: { messageId: 'm1' } },
    fingerprint: 'f1',
    fairTag: 1,
    ...over,
  };
}
