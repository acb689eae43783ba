import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { modelFacts, videoCommand } from '../../commands/index.ts';
import { PlaygroundAdapter } from '../../src/adapters/playground/index.ts';
import { RedisArtifactStore } from '../../src/artifacts/index.ts';
import { useBundledModel } from '../support/bundled-model.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { playgroundPost, playgroundSnapshot } from '../support/playground-client.ts';
import { startTestBot, startTestWorker } from '../support/test-spine.ts';

const REQUESTS = 10_000;
const IN_FLIGHT = 20;

/** Used memory of the test's redis-server, in bytes. */
async function usedMemory(redis: ReturnType<ReturnType<typeof useLocalRedis>['client']>): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
}

describe('a soak of the playground from one address with a new session per request', () => {
  const redis = useLocalRedis();
  const bundled = useBundledModel();

  it('holds the limits per address, keeps Redis memory bounded, and lets finished jobs expire', async () => {
    const prefix = `soak${randomUUID().slice(0, 6)}`;
    const connection = redis.client();
    const adapter = new PlaygroundAdapter({
      port: 0,
      host: '127.0.0.1',
      redis: connection,
      // The spine's store, where createSpineParts keeps finished clips by default.
      artifacts: new RedisArtifactStore(connection, 24 * 3_600_000, `${prefix}:artifact:`),
      keyPrefix: prefix,
      uploadLimitBytes: 10 * 1024 * 1024,
      logger: pino({ level: 'silent' }),
      video: videoCommand.define(modelFacts(bundled.manifest)),
    });
    const bot = await startTestBot(redis, {
      prefix,
      connection,
      adapters: [adapter],
      manifest: bundled.manifest,
      retention: { completed: { ageMs: 1_000, count: 10 }, failed: { ageMs: 1_000, count: 10 } },
    });
    const worker = await startTestWorker(redis, bundled.model, bot.parts);
    try {
      // The clip the cached requests ask for again.
      const first = `tab-${randomUUID()}`;
      const cached = '/video a blue square slides to the left --seed 1 --quality low';
      await playgroundPost(adapter.url, first, '/api/command', { text: cached, requestId: randomUUID() });
      const isDone = async () =>
        (await playgroundSnapshot(adapter.url, first)).some((m) => m.reply?.kind === 'done');
      for (let wait = 0; !(await isDone()); wait++) {
        if (wait > 600) throw new Error('the first clip never came');
        await new Promise((r) => setTimeout(r, 50));
      }
      const before = await usedMemory(connection);
      let queuedDuringSoak = 0;
      bot.parts.generate.on('waiting', () => queuedDuringSoak++);

      const lines = [
        (n: number) => `/video a red ball number ${n} bounces --quality low`, // valid: limits decide
        () => '/video --seed abc', // invalid
        () => '/video ab', // refused by admission
        () => cached, // a cache hit: a share of the limits
        () => '/video --help',
      ];
      const statuses = new Map<number, number>();
      let next = 0;
      const started = Date.now();
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          for (let n = next++; n < REQUESTS; n = next++) {
            const line = (lines[n % lines.length] as (n: number) => string)(n);
            const response = await playgroundPost(adapter.url, `tab-${randomUUID()}`, '/api/command', {
              text: line,
              requestId: randomUUID(),
            });
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            await response.body?.cancel();
          }
        }),
      );
      const seconds = (Date.now() - started) / 1000;
      expect(statuses.get(202)).toBe(REQUESTS);

      // Limits per address: 6 clips an hour for one user (the address), the first clip included;
      // shared (cached) clips cost a quarter each, so the valid requests get fewer than 5.
      for (
        let wait = 0;
        (await bot.parts.generate.getJobCountByTypes('active', 'waiting', 'prioritized')) > 0;
        wait++
      ) {
        if (wait > 1_200) throw new Error('the soak\u2019s jobs never finished');
        await new Promise((r) => setTimeout(r, 50));
      }
      const after = await usedMemory(connection);
      const perRequest = (after - before) / REQUESTS;
      // Printed, not timed: the bound below is what the test holds.
      console.log(
        `soak: ${REQUESTS} requests in ${seconds.toFixed(1)} s; Redis +${((after - before) / 1024 / 1024).toFixed(1)} MiB, ${perRequest.toFixed(0)} bytes a request; ${queuedDuringSoak} generate jobs queued`,
      );
      expect(queuedDuringSoak).toBeGreaterThan(0);
      expect(queuedDuringSoak).toBeLessThanOrEqual(5);
      expect(perRequest).toBeLessThan(2_000);
      // Finished jobs expire: at most the configured 10 remain.
      expect(await bot.parts.generate.getJobCountByTypes('completed')).toBeLessThanOrEqual(10);
    } finally {
      await worker.close(0);
      await bot.close();
    }
  }, 600_000);
});
