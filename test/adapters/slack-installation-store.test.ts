import { randomUUID } from 'node:crypto';
import { App, type Installation, type InstallationQuery, LogLevel, type Receiver } from '@slack/bolt';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { listenForUninstalls, RedisInstallationStore } from '../../src/adapters/slack/installation-store.ts';
import { useLocalRedis } from '../support/local-redis.ts';

/** Log lines as JSON objects, from a logger that redacts nothing: whatever the store logs shows. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { lines, logger, text: () => JSON.stringify(lines) };
}

/** A workspace's installation as @slack/oauth builds it from oauth.v2.access, with its own tokens. */
function workspaceInstall(teamId: string, secret: string = randomUUID()): Installation<'v2', false> {
  return {
    team: { id: teamId, name: `Team ${teamId}` },
    enterprise: undefined,
    user: { id: 'U0INSTALLER', token: undefined, scopes: undefined },
    bot: {
      token: `xoxb-${teamId}-${secret}`,
      scopes: ['commands', 'chat:write'],
      id: 'B0CLIPBOT',
      userId: 'U0CLIPBOT',
    },
    tokenType: 'bot',
    isEnterpriseInstall: false,
    appId: 'A0CLIPBOT',
    authVersion: 'v2',
  };
}

/** An organisation-wide install (Enterprise Grid): no team, the enterprise instead. */
function orgInstall(enterpriseId: string): Installation<'v2', true> {
  return {
    team: undefined,
    enterprise: { id: enterpriseId, name: 'Org' },
    user: { id: 'U0ADMIN', token: undefined, scopes: undefined },
    bot: {
      token: `xoxb-${enterpriseId}-${randomUUID()}`,
      scopes: ['commands'],
      id: 'B0CLIPBOT',
      userId: 'U0CLIPBOT',
    },
    tokenType: 'bot',
    isEnterpriseInstall: true,
    enterpriseUrl: 'https://org.enterprise.slack.com/',
    appId: 'A0CLIPBOT',
    authVersion: 'v2',
  };
}

/** Bolt's query for an event from one workspace (userId and conversationId ride along). */
const byTeam = (teamId: string): InstallationQuery<false> => ({
  teamId,
  enterpriseId: undefined,
  isEnterpriseInstall: false,
  userId: 'U0SOMEONE',
  conversationId: 'C0CHANNEL',
});
/** Bolt's query for an event from any workspace of an organisation that installed org-wide. */
const byOrg = (enterpriseId: string, teamId?: string) =>
  ({ teamId, enterpriseId, isEnterpriseInstall: true }) as InstallationQuery<true>;

const TOKEN = /xox[a-z]-/;

const redis = useLocalRedis();

describe('the Redis installation store: one clipbot, many Slack workspaces', () => {
  function setup(prefix = `inst-${randomUUID()}`) {
    const log = capture();
    const connection = redis.client();
    return { prefix, log, connection, store: new RedisInstallationStore(connection, prefix, log.logger) };
  }

  it('when a workspace installs, then Bolt fetches that installation back by its team id', async () => {
    const { prefix, log, connection, store } = setup();
    const install = workspaceInstall('T0ALPHA');
    await store.storeInstallation(install);

    await expect(store.fetchInstallation(byTeam('T0ALPHA'))).resolves.toEqual(install);
    expect(JSON.parse((await connection.get(`${prefix}:slack:installation:T0ALPHA`)) ?? '')).toEqual(install);
    expect(await store.count()).toBe(1);
    expect(log.lines).toContainEqual(
      expect.objectContaining({ teamId: 'T0ALPHA', msg: 'slack installation stored' }),
    );
    expect(log.text()).not.toMatch(TOKEN);
  });

  it('when an organisation installs org-wide, then it is found by its enterprise id from any of its workspaces', async () => {
    const { prefix, log, connection, store } = setup();
    const install = orgInstall('E0ORG');
    await store.storeInstallation(install);

    expect(await connection.exists(`${prefix}:slack:installation:E:E0ORG`)).toBe(1);
    await expect(store.fetchInstallation(byOrg('E0ORG'))).resolves.toEqual(install);
    await expect(store.fetchInstallation(byOrg('E0ORG', 'T0INORG'))).resolves.toEqual(install);
    // A workspace of the org asked about as a workspace install has none of its own.
    await expect(store.fetchInstallation(byTeam('T0INORG'))).rejects.toThrow(
      /no Slack installation for team T0INORG/,
    );
    await expect(store.fetchInstallation(byOrg('E0OTHER'))).rejects.toThrow(/enterprise E0OTHER/);
    expect(log.text()).not.toMatch(TOKEN);
  });

  it('when two workspaces install, then each gets its own tokens back', async () => {
    const { store } = setup();
    const alpha = workspaceInstall('T0ALPHA');
    const beta = workspaceInstall('T0BETA');
    await store.storeInstallation(alpha);
    await store.storeInstallation(beta);

    expect((await store.fetchInstallation(byTeam('T0ALPHA'))).bot?.token).toBe(alpha.bot?.token);
    expect((await store.fetchInstallation(byTeam('T0BETA'))).bot?.token).toBe(beta.bot?.token);
    expect(await store.count()).toBe(2);

    // Installing again (new scopes, a new token) replaces the one installation.
    const again = workspaceInstall('T0ALPHA');
    await store.storeInstallation(again);
    expect((await store.fetchInstallation(byTeam('T0ALPHA'))).bot?.token).toBe(again.bot?.token);
    expect(await store.count()).toBe(2);
  });

  it('when one workspace is deleted, then only that one is gone', async () => {
    const { prefix, connection, store } = setup();
    await store.storeInstallation(workspaceInstall('T0ALPHA'));
    await store.storeInstallation(workspaceInstall('T0BETA'));
    await store.storeInstallation(orgInstall('E0ORG'));

    await store.deleteInstallation(byTeam('T0ALPHA'));
    await expect(store.fetchInstallation(byTeam('T0ALPHA'))).rejects.toThrow(/no Slack installation/);
    await expect(store.find(byTeam('T0ALPHA'))).resolves.toBeUndefined();
    await expect(store.fetchInstallation(byTeam('T0BETA'))).resolves.toMatchObject({
      team: { id: 'T0BETA' },
    });
    await expect(store.fetchInstallation(byOrg('E0ORG'))).resolves.toMatchObject({
      enterprise: { id: 'E0ORG' },
    });
    expect(await store.count()).toBe(2);

    await store.deleteInstallation(byOrg('E0ORG'));
    expect(await store.count()).toBe(1);
    expect((await connection.keys(`${prefix}:*`)).sort()).toEqual([
      `${prefix}:slack:installation:T0BETA`,
      `${prefix}:slack:installations`,
    ]);
    // Deleting what is not there is no error.
    await store.deleteInstallation(byTeam('T0ALPHA'));
    expect(await store.count()).toBe(1);
  });

  it('when the stored value is corrupt or foreign, then the workspace is not installed and no token is logged', async () => {
    const { prefix, log, connection, store } = setup();
    const key = (id: string) => `${prefix}:slack:installation:${id}`;
    // Not JSON: JSON.parse's own message would quote this text, token and all.
    await connection.set(key('T0BROKEN'), 'xoxb-111-SECRET-NOT-JSON {');
    // JSON, but not an installation: a team id that is a number, a bot without its ids.
    await connection.set(
      key('T0WRONG'),
      JSON.stringify({ team: { id: 7 }, bot: { token: 'xoxb-222-SECRET' } }),
    );
    // A valid installation of another workspace, under this one's key.
    await connection.set(key('T0VICTIM'), JSON.stringify(workspaceInstall('T0OTHER', 'SECRET')));

    for (const teamId of ['T0BROKEN', 'T0WRONG', 'T0VICTIM']) {
      await expect(store.fetchInstallation(byTeam(teamId))).rejects.toThrow(
        `no Slack installation for team ${teamId}`,
      );
      await expect(store.find(byTeam(teamId))).resolves.toBeUndefined();
    }

    const warnings = log.lines.filter((line) => line.level === 40);
    expect(warnings.map((line) => line.teamId)).toEqual([
      'T0BROKEN',
      'T0BROKEN',
      'T0WRONG',
      'T0WRONG',
      'T0VICTIM',
      'T0VICTIM',
    ]);
    expect(warnings[2]).toMatchObject({ problems: expect.arrayContaining(['team.id: invalid_type']) });
    expect(log.text()).not.toMatch(TOKEN);
    expect(log.text()).not.toContain('SECRET');
  });

  it('when a query or an installation names no valid id, then nothing is read, written or deleted', async () => {
    const { prefix, connection, store } = setup();
    const noTeam = { ...workspaceInstall('T0ALPHA'), team: undefined } as unknown as Installation;
    await expect(store.storeInstallation(noTeam)).rejects.toThrow(/not stored/);
    const globbed = { ...workspaceInstall('T0ALPHA'), team: { id: '*' } };
    await expect(store.storeInstallation(globbed)).rejects.toThrow(/not stored/);
    await expect(store.fetchInstallation(byTeam('T0:*'))).rejects.toThrow(
      /without a valid team or enterprise id/,
    );
    await store.deleteInstallation(byTeam('*'));
    expect(await connection.keys(`${prefix}:*`)).toEqual([]);
  });

  it('when two deployments share one Redis, then their prefixes keep their installations apart', async () => {
    const shared = `shared-${randomUUID()}`;
    const one = setup(`${shared}-one`);
    const two = setup(`${shared}-two`);
    await one.store.storeInstallation(workspaceInstall('T0ALPHA'));

    await expect(two.store.fetchInstallation(byTeam('T0ALPHA'))).rejects.toThrow(/no Slack installation/);
    expect(await two.store.count()).toBe(0);
    await two.store.deleteInstallation(byTeam('T0ALPHA'));
    await expect(one.store.fetchInstallation(byTeam('T0ALPHA'))).resolves.toMatchObject({
      team: { id: 'T0ALPHA' },
    });
    expect(await one.store.count()).toBe(1);
  });
});

describe('listenForUninstalls: Slack saying the tokens are gone removes the installation', () => {
  /** The real Bolt app, fed events straight through processEvent (Bolt's FakeReceiver way). */
  function setup() {
    const log = capture();
    const store = new RedisInstallationStore(redis.client(), `uninst-${randomUUID()}`, log.logger);
    const receiver: Receiver = { init: () => {}, start: async () => undefined, stop: async () => undefined };
    const app = new App({
      receiver,
      // Any other event would need a token; these two skip authorize in Bolt 5.1.
      authorize: async () => {
        throw new Error('authorize is not called for app_uninstalled or tokens_revoked');
      },
      logLevel: LogLevel.ERROR,
    });
    listenForUninstalls(app, store, log.logger);
    let n = 0;
    const deliver = async (
      event: Record<string, unknown>,
      team: { teamId?: string; enterpriseId?: string },
    ) => {
      const orgWide = team.teamId === undefined;
      await app.processEvent({
        body: {
          token: 'legacy-verification-token',
          team_id: team.teamId ?? 'T0INORG',
          enterprise_id: team.enterpriseId,
          api_app_id: 'A0CLIPBOT',
          type: 'event_callback',
          event_id: `Ev${++n}`,
          event_time: 1_700_000_000,
          event: { ...event, event_ts: '1700000000.000100' },
          authorizations: [
            {
              enterprise_id: team.enterpriseId ?? null,
              team_id: team.teamId ?? null,
              user_id: 'U0CLIPBOT',
              is_bot: true,
              is_enterprise_install: orgWide,
            },
          ],
        },
        ack: async () => {},
      });
    };
    return { store, deliver, log };
  }

  it('when the app is uninstalled from a workspace, then that workspace is no longer installed', async () => {
    const { store, deliver, log } = setup();
    await store.storeInstallation(workspaceInstall('T0ALPHA'));
    await store.storeInstallation(workspaceInstall('T0BETA'));

    await deliver({ type: 'app_uninstalled' }, { teamId: 'T0ALPHA' });

    await expect(store.find(byTeam('T0ALPHA'))).resolves.toBeUndefined();
    await expect(store.find(byTeam('T0BETA'))).resolves.toBeDefined();
    expect(log.lines).toContainEqual(
      expect.objectContaining({ teamId: 'T0ALPHA', reason: 'app_uninstalled' }),
    );
    expect(log.text()).not.toMatch(TOKEN);
  });

  it('when an organisation uninstalls an org-wide install, then its installation is gone', async () => {
    const { store, deliver } = setup();
    await store.storeInstallation(orgInstall('E0ORG'));

    await deliver({ type: 'app_uninstalled' }, { enterpriseId: 'E0ORG' });

    await expect(store.find(byOrg('E0ORG'))).resolves.toBeUndefined();
  });

  it("when the bot's token is revoked, then the installation goes; when only user tokens are, then it stays", async () => {
    const { store, deliver } = setup();
    await store.storeInstallation(workspaceInstall('T0ALPHA'));
    await store.storeInstallation(workspaceInstall('T0BETA'));

    await deliver({ type: 'tokens_revoked', tokens: { oauth: ['U0SOMEONE'] } }, { teamId: 'T0BETA' });
    await expect(store.find(byTeam('T0BETA'))).resolves.toBeDefined();

    await deliver({ type: 'tokens_revoked', tokens: { bot: ['U0CLIPBOT'] } }, { teamId: 'T0BETA' });
    await expect(store.find(byTeam('T0BETA'))).resolves.toBeUndefined();
    await expect(store.find(byTeam('T0ALPHA'))).resolves.toBeDefined();
    expect(await store.count()).toBe(1);
  });
});
