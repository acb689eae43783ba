import type { Redis } from 'ioredis';

/**
 * Waits for a connection's first 'ready' (a producer connection sends nothing before it), or rejects
 * after `ms` naming the server, never the URL's password.
 */
export async function untilReady(redis: Redis, url: string, ms: number): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', ready);
      reject(new Error(`Redis at ${new URL(url).host} did not answer within ${ms / 1000} s`));
    }, ms);
    const ready = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', ready);
  });
}
