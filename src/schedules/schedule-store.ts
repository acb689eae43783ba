import type { Redis } from 'ioredis';
import { z } from 'zod';
import { type LuaCommand, luaCommand } from '../redis/index.ts';

/** One schedule as stored, without its id (the hash field). */
const storedScheduleSchema = z.object({
  channelId: z.string().min(1),
  ownerId: z.string().min(1),
  prompt: z.string().min(1),
  caption: z.string().optional(),
  when: z.string().min(1),
  cron: z.string().min(1),
  timeZone: z.string().min(1),
  description: z.string(),
  paused: z.boolean(),
  createdAt: z.number(),
});

export type ScheduleDraft = z.infer<typeof storedScheduleSchema>;

/** A tenant's schedule: small id (per tenant) and what it makes, where and when. */
export interface Schedule extends ScheduleDraft {
  id: number;
  /** `platform:tenantId`. */
  tenantKey: string;
}

/**
 * The tenants' schedules in Redis: one hash a tenant (id → JSON) and a counter for ids, so ids stay
 * small and are never reused. BullMQ's job schedulers hold the timing; this holds what a run makes.
 */
export class ScheduleStore {
  private readonly addScript: LuaCommand;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.addScript = luaCommand(
      redis,
      'clipbotAddSchedule2',
      new URL('./add-schedule-2.lua', import.meta.url),
      2,
    );
  }

  /** Adds it and returns it with its id, or undefined when the tenant has `max` already. */
  async add(tenantKey: string, draft: ScheduleDraft, max: number): Promise<Schedule | undefined> {
    const json = JSON.stringify(storedScheduleSchema.parse(draft));
    const id = Number(await this.addScript(this.key(tenantKey), `${this.key(tenantKey)}:last-id`, max, json));
    return id > 0 ? { ...draft, id, tenantKey } : undefined;
  }

  async get(tenantKey: string, id: number): Promise<Schedule | undefined> {
    const json = await this.redis.hget(this.key(tenantKey), String(id));
    return json === null ? undefined : this.read(tenantKey, String(id), json);
  }

  /** The tenant's schedules, oldest first. */
  async list(tenantKey: string): Promise<Schedule[]> {
    const all = await this.redis.hgetall(this.key(tenantKey));
    return Object.entries(all)
      .map(([id, json]) => this.read(tenantKey, id, json))
      .sort((a, b) => a.id - b.id);
  }

  /** Writes the schedule's new state (it must exist); false when it was removed meanwhile. */
  async update(schedule: Schedule): Promise<boolean> {
    const { id, tenantKey, ...draft } = schedule;
    const json = JSON.stringify(storedScheduleSchema.parse(draft));
    // HSETXX-like: only an existing field, so a removal in between is not undone.
    const written = await this.redis.eval(
      "if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) + 1 end return 0",
      1,
      this.key(tenantKey),
      String(id),
      json,
    );
    return Number(written) > 0;
  }

  async remove(tenantKey: string, id: number): Promise<boolean> {
    return (await this.redis.hdel(this.key(tenantKey), String(id))) > 0;
  }

  private key(tenantKey: string): string {
    return `${this.prefix}:schedules:${tenantKey}`;
  }

  private read(tenantKey: string, id: string, json: string): Schedule {
    return { ...storedScheduleSchema.parse(JSON.parse(json)), id: Number(id), tenantKey };
  }
}
