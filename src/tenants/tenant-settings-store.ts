import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type LuaCommand, luaCommand } from '../redis/index.ts';
import { applyUpdate, type ParsedUpdate } from './apply-update.ts';
import { readStoredSettings } from './read-stored-settings.ts';
import {
  type StoredTenantSettings,
  type TenantSettings,
  type TenantSettingsUpdate,
  tenantSettingsSchema,
  tenantSettingsUpdateSchema,
  tierNameSchema,
} from './tenant-settings.ts';
import { settingsProblems, TenantSettingsError, TenantSettingsErrorCode } from './tenant-settings-error.ts';

/** Writes retried when another writer got in between; more means something is wrong. */
const MAX_WRITE_ATTEMPTS = 5;
/** Tenants kept in the in-process cache; past this the oldest entry goes. */
const MAX_CACHED = 10_000;

export interface TenantSettingsStoreOptions<Tier extends string> {
  /** Redis key prefix: settings live at `${keyPrefix}:tenant:${tenantKey}`. */
  keyPrefix: string;
  /** Tier names a tenant may choose as its default: the model's, known only at start-up. */
  tiers: readonly Tier[];
  /** How long `get` answers from memory before reading Redis again (default 5 s; 0: always read). */
  cacheMs?: number;
  logger: Logger;
}

/**
 * Per-tenant settings (limits, blocklist additions, allowed channels, default tier, on/off), one
 * JSON string per tenant in Redis; the one way to read and write them. `get` serves each /video from a
 * short in-process cache and never fails on stored data that no longer validates; `set` validates the
 * whole change first and writes nothing when any field is bad.
 */
export class TenantSettingsStore<Tier extends string = string> {
  private readonly keyPrefix: string;
  /** The tier names a tenant may choose as its default (the model's). */
  readonly tiers: readonly Tier[];
  private readonly cacheMs: number;
  private readonly logger: Logger;
  private readonly cache = new Map<string, { settings: TenantSettings<Tier>; until: number }>();
  /** The update schema with the tier checked too, so one pass names every bad field. */
  private readonly updateSchema;
  /** SET key value, only if the key still holds `expected` ('' for absent): 1 when written. */
  private readonly compareAndSet: LuaCommand;

  constructor(
    private readonly redis: Redis,
    options: TenantSettingsStoreOptions<Tier>,
  ) {
    this.keyPrefix = options.keyPrefix;
    this.tiers = [...options.tiers];
    this.cacheMs = options.cacheMs ?? 5_000;
    this.logger = options.logger;
    this.updateSchema = tenantSettingsUpdateSchema.extend({
      defaultTier: tierNameSchema
        .refine((name) => this.isTier(name), `not a tier of this model; choose one of: ${this.tierList()}`)
        .nullable()
        .optional(),
    });
    this.compareAndSet = luaCommand(
      redis,
      'clipbotCompareAndSet1',
      new URL('./compare-and-set-1.lua', import.meta.url),
      1,
    );
  }

  /** The tenant's settings; the defaults when none are stored. Bad stored fields fall back, logged. */
  async get(tenantKey: string): Promise<TenantSettings<Tier>> {
    const hit = this.cache.get(tenantKey);
    if (hit && hit.until > Date.now()) return hit.settings;
    const { settings } = await this.load(tenantKey);
    return this.remember(tenantKey, settings);
  }

  /**
   * Applies a change (see {@link tenantSettingsUpdateSchema}) and returns the new settings. Throws a
   * TenantSettingsError naming every bad field, having written nothing.
   */
  async set(tenantKey: string, update: TenantSettingsUpdate): Promise<TenantSettings<Tier>> {
    const change = this.parseUpdate(tenantKey, update);
    return (await this.write(tenantKey, () => change)).after;
  }

  /**
   * Applies the change `edit` makes of the settings as they are now, atomically: when another
   * writer got in between, `edit` runs again on what it wrote, so edits relative to the current
   * value (add a term, remove a channel) are never lost. Returns the settings before and after.
   * Throws a TenantSettingsError naming every bad field, having written nothing.
   */
  async edit(
    tenantKey: string,
    edit: (current: TenantSettings<Tier>) => TenantSettingsUpdate,
  ): Promise<{ before: TenantSettings<Tier>; after: TenantSettings<Tier> }> {
    return this.write(tenantKey, (current) => this.parseUpdate(tenantKey, edit(current)));
  }

  private async write(
    tenantKey: string,
    change: (current: TenantSettings<Tier>) => ParsedUpdate,
  ): Promise<{ before: TenantSettings<Tier>; after: TenantSettings<Tier> }> {
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      const { settings, raw } = await this.load(tenantKey);
      const next = this.checked(applyUpdate(settings, change(settings)));
      const written = await this.compareAndSet(this.key(tenantKey), raw, JSON.stringify(next));
      if (written === 1) return { before: settings, after: this.remember(tenantKey, next) };
    }
    this.cache.delete(tenantKey);
    throw new TenantSettingsError(
      TenantSettingsErrorCode.ConcurrentUpdate,
      `Settings for tenant ${tenantKey} kept changing while being updated; try again.`,
    );
  }

  /** Removes everything stored for the tenant: back to the defaults. */
  async reset(tenantKey: string): Promise<void> {
    await this.redis.del(this.key(tenantKey));
    this.cache.delete(tenantKey);
  }

  private async load(tenantKey: string): Promise<{ settings: TenantSettings<Tier>; raw: string }> {
    const raw = (await this.redis.get(this.key(tenantKey))) ?? '';
    if (raw === '') return { settings: this.checked(tenantSettingsSchema.parse({})), raw };
    const { settings, problems } = readStoredSettings(raw, (name) => this.isTier(name));
    if (problems.length > 0)
      this.logger.warn(
        { tenant: tenantKey, problems },
        'stored tenant settings partly invalid; using defaults there',
      );
    return { settings: this.checked(settings), raw };
  }

  private parseUpdate(tenantKey: string, update: TenantSettingsUpdate): ParsedUpdate {
    const parsed = this.updateSchema.safeParse(update);
    if (!parsed.success) throw TenantSettingsError.invalid(tenantKey, settingsProblems(parsed.error));
    return parsed.data;
  }

  /** Narrows the tier: the stored value was checked against this store's tiers before. */
  private checked(settings: StoredTenantSettings): TenantSettings<Tier> {
    const { defaultTier, ...rest } = settings;
    const frozen = { ...rest, limits: Object.freeze({ ...rest.limits }) };
    Object.freeze(frozen.blocklist);
    Object.freeze(frozen.allowedChannels);
    return Object.freeze(
      defaultTier !== undefined && this.isTier(defaultTier) ? { ...frozen, defaultTier } : frozen,
    );
  }

  private isTier(name: string): name is Tier {
    return (this.tiers as readonly string[]).includes(name);
  }

  private tierList(): string {
    return this.tiers.length > 0 ? this.tiers.join(', ') : '(none: this model offers no named tiers)';
  }

  private remember(tenantKey: string, settings: TenantSettings<Tier>): TenantSettings<Tier> {
    if (this.cacheMs <= 0) return settings;
    this.cache.delete(tenantKey);
    if (this.cache.size >= MAX_CACHED) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(tenantKey, { settings, until: Date.now() + this.cacheMs });
    return settings;
  }

  private key(tenantKey: string): string {
    return `${this.keyPrefix}:tenant:${tenantKey}`;
  }
}
