import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  TenantSettingsError,
  TenantSettingsErrorCode,
  TenantSettingsStore,
  type TenantSettingsUpdate,
} from '../../src/tenants/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const TIERS = ['low', 'medium', 'high'] as const;
const DEFAULTS = { enabled: true, limits: {}, blocklist: [], allowedChannels: [] };

describe('tenant settings in Redis', () => {
  const redis = useLocalRedis();
  let prefix: string;
  let warnings: { tenant: string; problems: { field: string }[] }[];

  beforeEach(() => {
    prefix = `t-${randomUUID()}`;
    warnings = [];
  });

  function store(cacheMs = 5_000) {
    const lines = new Writable({
      write(chunk, _encoding, done) {
        warnings.push(JSON.parse(String(chunk)));
        done();
      },
    });
    return new TenantSettingsStore(redis.client(), {
      keyPrefix: prefix,
      tiers: TIERS,
      cacheMs,
      logger: pino({ level: 'warn' }, lines),
    });
  }

  async function failure(promise: Promise<unknown>): Promise<TenantSettingsError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TenantSettingsError);
    return error as TenantSettingsError;
  }

  it('when nothing is stored, then a tenant gets the defaults: enabled, no overrides, every channel', async () => {
    expect(await store().get('discord:1234')).toEqual(DEFAULTS);
    expect(await redis.client().exists(`${prefix}:tenant:discord:1234`)).toBe(0);
  });

  it('when settings are set, then get returns them, other tenants keep the defaults, and reset clears them', async () => {
    const tenants = store();
    const written = await tenants.set('slack:T01', {
      enabled: false,
      limits: { userClips: 2, tenantClips: 50 },
      blocklist: ['  spoiler  ', 'dragon'],
      allowedChannels: ['C1', 'C2'],
      defaultTier: 'medium',
    });
    const expected = {
      enabled: false,
      limits: { userClips: 2, tenantClips: 50 },
      blocklist: ['spoiler', 'dragon'],
      allowedChannels: ['C1', 'C2'],
      defaultTier: 'medium',
    };
    expect(written).toEqual(expected);
    expect(await store().get('slack:T01')).toEqual(expected);
    expect(JSON.parse((await redis.client().get(`${prefix}:tenant:slack:T01`)) ?? '')).toEqual(expected);
    expect(await store().get('slack:T02')).toEqual(DEFAULTS);

    await tenants.reset('slack:T01');
    expect(await tenants.get('slack:T01')).toEqual(DEFAULTS);
  });

  it('when an update names some fields, then only those change; limits merge key by key and null clears', async () => {
    const tenants = store();
    await tenants.set('discord:1', { limits: { userClips: 2, tenantClips: 50 }, defaultTier: 'high' });
    await tenants.set('discord:1', { enabled: false, limits: { userClips: 3 } });
    expect(await tenants.get('discord:1')).toEqual({
      ...DEFAULTS,
      enabled: false,
      limits: { userClips: 3, tenantClips: 50 },
      defaultTier: 'high',
    });
    const cleared = await tenants.set('discord:1', { limits: { tenantClips: null }, defaultTier: null });
    expect(cleared).toEqual({ ...DEFAULTS, enabled: false, limits: { userClips: 3 } });
  });

  it('when an update has bad fields, then it is refused naming every one of them and nothing is written', async () => {
    const tenants = store();
    await tenants.set('discord:1', { blocklist: ['dragon'] });
    const before = await redis.client().get(`${prefix}:tenant:discord:1`);
    const bad = {
      enabled: 'no',
      limits: { userClips: 0, maxWaitingGlobal: 5 },
      blocklist: ['ok', '', 'x'.repeat(101), '!!!'],
      allowedChannels: Array.from({ length: 501 }, (_, i) => `c${i}`),
      colour: 'red',
    } as unknown as TenantSettingsUpdate;

    const error = await failure(tenants.set('discord:1', bad));
    expect(error.code).toBe(TenantSettingsErrorCode.InvalidSettings);
    const fields = error.problems.map((p) => p.field).sort();
    expect(fields).toEqual([
      'allowedChannels',
      'blocklist.1',
      'blocklist.2',
      'blocklist.3',
      'colour',
      'enabled',
      'limits.maxWaitingGlobal',
      'limits.userClips',
    ]);
    for (const field of fields) expect(error.message).toContain(field);
    expect(await redis.client().get(`${prefix}:tenant:discord:1`)).toBe(before);
    expect((await tenants.get('discord:1')).blocklist).toEqual(['dragon']);
  });

  it('when the default tier is not one of the model tiers, then the refusal names the tiers that exist', async () => {
    const error = await failure(store().set('discord:1', { defaultTier: 'ultra' }));
    expect(error.problems).toEqual([
      { field: 'defaultTier', message: 'not a tier of this model; choose one of: low, medium, high' },
    ]);
    expect(await redis.client().exists(`${prefix}:tenant:discord:1`)).toBe(0);
  });

  it('when stored JSON no longer validates, then get keeps the good fields, falls back for the bad ones and warns', async () => {
    const key = `${prefix}:tenant:discord:9`;
    await redis.client().set(
      key,
      JSON.stringify({
        enabled: false,
        limits: { userClips: 2, tenantClips: -1, maxWaitingGlobal: 3 },
        blocklist: ['dragon', 42, ''],
        allowedChannels: 'c1',
        defaultTier: 'ultra',
        colour: 'red',
      }),
    );
    expect(await store().get('discord:9')).toEqual({
      enabled: false,
      limits: { userClips: 2 },
      blocklist: ['dragon'],
      allowedChannels: [],
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.tenant).toBe('discord:9');
    expect(warnings[0]?.problems.map((p) => p.field).sort()).toEqual([
      'allowedChannels',
      'blocklist.1',
      'blocklist.2',
      'colour',
      'defaultTier',
      'limits.maxWaitingGlobal',
      'limits.tenantClips',
    ]);

    for (const raw of ['{not json', '[1,2]', 'null', '"text"']) {
      await redis.client().set(key, raw);
      expect(await store().get('discord:9')).toEqual(DEFAULTS);
    }
  });

  it('when stored settings are partly invalid, then set still applies a good update over what is valid', async () => {
    await redis
      .client()
      .set(`${prefix}:tenant:discord:9`, JSON.stringify({ enabled: false, defaultTier: 'ultra' }));
    expect(await store().set('discord:9', { blocklist: ['dragon'] })).toEqual({
      ...DEFAULTS,
      enabled: false,
      blocklist: ['dragon'],
    });
  });

  it('when settings are cached, then a write behind the store is not seen until the cache expires, but set is seen at once', async () => {
    const tenants = store(200);
    expect((await tenants.get('discord:1')).enabled).toBe(true);
    await redis.client().set(`${prefix}:tenant:discord:1`, JSON.stringify({ enabled: false }));
    expect((await tenants.get('discord:1')).enabled).toBe(true);

    await tenants.set('discord:1', { allowedChannels: ['c1'] });
    expect(await tenants.get('discord:1')).toEqual({ ...DEFAULTS, enabled: false, allowedChannels: ['c1'] });

    await redis.client().set(`${prefix}:tenant:discord:1`, JSON.stringify({ enabled: true }));
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await tenants.get('discord:1')).toEqual(DEFAULTS);
  });

  it('when two stores update different fields at once, then neither change is lost', async () => {
    const [a, b] = [store(), store()];
    await Promise.all([
      ...Array.from({ length: 3 }, (_, i) => a.set('discord:1', { limits: { userClips: i + 1 } })),
      b.set('discord:1', { blocklist: ['dragon'] }),
      b.set('discord:1', { enabled: false }),
    ]);
    const settings = await store().get('discord:1');
    expect(settings).toMatchObject({ enabled: false, blocklist: ['dragon'] });
    expect(settings.limits.userClips).toBeGreaterThanOrEqual(1);
  });
});
