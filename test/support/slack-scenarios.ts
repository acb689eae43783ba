import { afterEach } from 'vitest';
import type { useBundledModel } from './bundled-model.ts';
import type { FakeSlack } from './fake-slack/index.ts';
import type { useLocalRedis } from './local-redis.ts';
import { slackSeenKind } from './slack-seen.ts';
import { type SlackStack, startSlackStack } from './slack-stack.ts';

/** How long a test waits for a clip: a generation and an upload, on a busy machine. */
export const LONG = 30_000;

/** Resolves once `probe` answers something truthy; polls Redis-backed state, unlike fake.waitFor. */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`eventually: timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The reply message (not in a thread) in `channel` once it shows `kind`, skipping those in `before`. */
export const replyIn = (fake: FakeSlack, channel: string, kind: string, before = new Set<string>()) =>
  fake.waitFor(
    () =>
      fake.messages(channel).find((m) => !m.threadTs && !before.has(m.ts) && slackSeenKind(m.text) === kind),
    LONG,
  );

/** The Web API calls that completed one workflow step, whatever their answer. */
export const completionCalls = (fake: FakeSlack, executionId: string) =>
  fake.calls.filter(
    (c) => c.method.startsWith('functions.complete') && c.args.function_execution_id === executionId,
  );

/**
 * One Slack stack per test, closed after it (with any clean-ups the test registers, last first).
 * Call inside a describe block.
 */
export function useSlackStacks(
  redis: ReturnType<typeof useLocalRedis>,
  bundled: ReturnType<typeof useBundledModel>,
) {
  let stack: SlackStack | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await stack?.close();
    stack = undefined;
  });
  return {
    cleanups,
    start: async (options: Parameters<typeof startSlackStack>[2] = {}) => {
      stack = await startSlackStack(redis, bundled, options);
      return stack;
    },
    /** A user's ephemeral message whose text matches, once shown. */
    ephemeral: (s: SlackStack, userId: string, text: RegExp) =>
      s.fake.waitFor(() => s.fake.ephemerals(userId).find((e) => text.test(e.text))),
    waitingJobs: (s: SlackStack) => s.bot.parts.generate.getJobCountByTypes('waiting', 'prioritized'),
  };
}
