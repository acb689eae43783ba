import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';

/** BullMQ's largest priority is 2^21; rebase well before it. */
const REBASE_ABOVE = 1_000_000;
const TENANT_TTL_MS = 24 * 3_600_000;

const script = (name: string) => readFileSync(fileURLToPath(new URL(name, import.meta.url)), 'utf8');

type FairRedis = Redis & {
  clipbotFairTag2(
    clock: string,
    tenant: string,
    ttl: number,
    rebase: number,
    waiting: number,
  ): Promise<number>;
  clipbotAdvanceClock1(clock: string, tag: number): Promise<number>;
};

/**
 * Fair order across tenants as job priorities (virtual time). Open-source BullMQ has no per-group
 * fairness, so each job gets tag = max(clock, tenant's last tag) + 1 as its priority, and a worker
 * that starts a job moves the clock to its tag.
 */
export class FairOrder {
  private readonly redis: FairRedis;

  constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    if (!('clipbotFairTag2' in redis)) {
      redis.defineCommand('clipbotFairTag2', { numberOfKeys: 2, lua: script('./fair-tag-2.lua') });
      redis.defineCommand('clipbotAdvanceClock1', { numberOfKeys: 1, lua: script('./advance-clock-1.lua') });
    }
    this.redis = redis as FairRedis;
  }

  /** The priority for a new job of this tenant; `waiting` is the queue's waiting count now. */
  async tagFor(tenantKey: string, waiting: number): Promise<number> {
    const tag = await this.redis.clipbotFairTag2(
      this.key('clock'),
      this.key(`tenant:${tenantKey}`),
      TENANT_TTL_MS,
      REBASE_ABOVE,
      waiting,
    );
    return Number(tag);
  }

  /** Called when a worker starts a job with this tag. */
  async started(tag: number): Promise<void> {
    await this.redis.clipbotAdvanceClock1(this.key('clock'), tag);
  }

  private key(name: string): string {
    return `${this.prefix}:fair:${name}`;
  }
}
