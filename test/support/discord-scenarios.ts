import pino from 'pino';
import { afterEach } from 'vitest';
import type { useBundledModel } from './bundled-model.ts';
import { type DiscordStack, startDiscordStack } from './discord-stack.ts';
import type { useLocalRedis } from './local-redis.ts';

/**
 * One Discord stack per test, closed after it, with the bot core's log lines kept in `lines` (JSON,
 * level info and up) for tests that check what was logged. Call inside a describe block.
 */
export function useDiscordStacks(
  redis: ReturnType<typeof useLocalRedis>,
  bundled: ReturnType<typeof useBundledModel>,
) {
  let stack: DiscordStack | undefined;
  const lines: string[] = [];
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });
  return {
    lines,
    start: async (options: Omit<Parameters<typeof startDiscordStack>[2], 'logger'> = {}) => {
      lines.length = 0;
      const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
      stack = await startDiscordStack(redis, bundled, { ...options, logger });
      return stack;
    },
  };
}
