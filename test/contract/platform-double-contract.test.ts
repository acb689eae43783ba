import type { ShownReply } from '../../src/core/index.ts';
import { PlatformDouble } from '../support/platform-double.ts';
import { adapterContract, type SeenMessage } from './adapter-contract.ts';

const seen = (id: string, reply: ShownReply): SeenMessage => ({
  id,
  kind: reply.kind,
  buttons: reply.buttons,
  ...(reply.kind === 'done'
    ? { prompt: reply.prompt, seed: reply.clip.seed, clip: async () => Buffer.from(reply.clip.bytes) }
    : {}),
});

// A stand-in for Discord and Slack: its messages move and it has workflow steps.
adapterContract('a platform whose messages move (in-test double)', async () => {
  const double = new PlatformDouble('slack');
  let presses = 0;
  return {
    adapter: double,
    send: (user, requestId, prompt, options) => double.send(user, requestId, prompt, options),
    seen: async (user) =>
      double
        .seenBy(user)
        .map((m) =>
          m.reply ? seen(m.id, m.reply) : { id: m.id, kind: 'notice', buttons: [], text: m.notice ?? '' },
        ),
    press: (user, message, button) => double.press(user, message.id, button.customId, `press-${++presses}`),
    expire: (replyId) => double.expire(replyId),
    workflow: {
      start: (user, stepId, prompt, options) => double.startStep(user, stepId, prompt, options),
      completions: (stepId) => double.completions.get(stepId) ?? [],
    },
    violations: () => double.violations,
  };
});
