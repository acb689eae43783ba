import type { Redis } from 'ioredis';
import { type LuaCommand, luaCommand } from '../redis/index.ts';

/** BullMQ's largest priority is 2^21; rebase well before it. */
const REBASE_ABOVE = 1_000_000;
const TENANT_TTL_MS = 24 * 3_600_000;

/**
 * Fair order across tenants as job priorities (virtual time). Open-source BullMQ has no per-group
 * fairness, so each job gets tag = max(clock, tenant's last tag) + 1 as its priority, and a worker
 * that starts a job moves the clock to its tag.
 */
export class FairOrder {
  /** (clock, tenant; ttl, rebase, waiting) → the new job's tag. */
  private readonly fairTag: LuaCommand;
  /** (clock; tag): moves the clock forward to the tag. */
  private readonly advanceClock: LuaCommand;

  constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    this.fairTag = luaCommand(redis, 'clipbotFairTag2', new URL('./fair-tag-2.lua', import.meta.url), 2);
    this.advanceClock = luaCommand(
      redis,
      'clipbotAdvanceClock1',
      new URL('./advance-clock-1.lua', import.meta.url),
      1,
    );
  }

  /** The priority for a new job of this tenant; `waiting` is the queue's waiting count now. */
  async tagFor(tenantKey: string, waiting: number): Promise<number> {
    const tag = await this.fairTag(
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
    await this.advanceClock(this.key('clock'), tag);
  }

  private key(name: string): string {
    return `${this.prefix}:fair:${name}`;
  }
}
