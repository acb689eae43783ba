import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { TenantSettingsError, TenantSettingsStore } from '../../src/tenants/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const TIERS = ['low', 'medium', 'high'] as const;

describe('editing tenant settings relative to what is stored', () => {
  const redis = useLocalRedis();
  const store = (prefix: string) =>
    new TenantSettingsStore(redis.client(), {
      keyPrefix: prefix,
      tiers: TIERS,
      logger: pino({ level: 'silent' }),
    });

  it('returns the settings before and after, and get sees the change at once', async () => {
    const settings = store(`te-${randomUUID()}`);
    await settings.get('discord:1'); // cached
    const { before, after } = await settings.edit('discord:1', (current) => ({
      blocklist: [...current.blocklist, 'dragon'],
      limits: { userClips: 2 },
    }));
    expect(before).toMatchObject({ blocklist: [], limits: {} });
    expect(after).toMatchObject({ blocklist: ['dragon'], limits: { userClips: 2 } });
    expect(await settings.get('discord:1')).toEqual(after);
  });

  it('when four admins add terms at once through different bot processes, then every term is kept', async () => {
    const prefix = `te-${randomUUID()}`;
    const stores = [store(prefix), store(prefix), store(prefix), store(prefix)];
    const terms = ['dragon', 'owl', 'swan', 'moon'];
    await Promise.all(
      terms.map((term, i) =>
        stores[i]?.edit('discord:1', (current) => ({
          blocklist: [...current.blocklist, term],
        })),
      ),
    );
    const stored = await store(prefix).get('discord:1');
    expect([...stored.blocklist].sort()).toEqual([...terms].sort());
  });

  it('when the edit makes a bad value, then it throws naming it and writes nothing', async () => {
    const settings = store(`te-${randomUUID()}`);
    await settings.set('discord:1', { blocklist: ['owl'] });
    const failure = await settings
      .edit('discord:1', (current) => ({
        blocklist: [...current.blocklist, 'x'.repeat(101)],
        enabled: false,
      }))
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TenantSettingsError);
    expect((failure as TenantSettingsError).problems).toEqual([
      { field: 'blocklist.1', message: 'a blocked term has at most 100 characters' },
    ]);
    expect(await settings.get('discord:1')).toMatchObject({ enabled: true, blocklist: ['owl'] });
  });
});
