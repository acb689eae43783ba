import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { videoAdminCommand } from '../../commands/index.ts';
import { SettingsService, VideoService } from '../../src/app/index.ts';
import type {
  Reply,
  ReplyTarget,
  Requester,
  SettingsAnswer,
  SettingsEdits,
  TenantSettingsView,
  VideoRequest,
} from '../../src/core/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { messageTarget } from '../support/recording-adapter.ts';
import { stubHandler } from '../support/stub-handler.ts';
import { TEST_TIERS, videoServiceDeps } from '../support/video-service-deps.ts';

const TENANT = { platform: 'discord', id: '100' } as const;
const ADMIN = { id: 'admin-1', displayName: 'Ada', isAdmin: true };

describe('/video-admin changes what admission does, at once, for admins only', () => {
  const redis = useLocalRedis();
  const closing: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(closing.splice(0).map((c) => c.close()));
  });

  /** Admission and the settings use case as the bot wires them: one settings store for both. */
  function setup() {
    const prefix = `ta-${randomUUID()}`;
    const connection = redis.client();
    const shown: { target: ReplyTarget; reply: Reply }[] = [];
    const deps = videoServiceDeps(connection, prefix, {
      show: async (target, reply) => void shown.push({ target, reply }),
    });
    closing.push(deps.generate);
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
          done();
        },
      }),
    );
    const video = new VideoService(deps);
    const settings = new SettingsService({ tenants: deps.tenants, limiter: deps.limiter, logger });
    let n = 0;
    /** A /video in tenant 100; resolves to its first reply. */
    const ask = async (
      prompt: string,
      more: { user?: string; channel?: string; options?: VideoRequest['options'] } = {},
    ): Promise<Reply | undefined> => {
      const id = `r${++n}`;
      await video.onVideoRequest(
        {
          requestId: id,
          tenant: TENANT,
          user: { id: more.user ?? `user-${id}` },
          channelId: more.channel ?? 'general',
          prompt,
          options: { seed: n, ...more.options },
          receivedAt: Date.now(),
          uploadLimitBytes: 10 * 1024 * 1024,
        },
        messageTarget(id, 'discord'),
      );
      return shown.find((s) => s.target.replyId === id)?.reply;
    };
    const admin = (edits: SettingsEdits, user: Requester = ADMIN): Promise<SettingsAnswer> =>
      settings.onSettingsCommand({
        requestId: `cmd-${++n}`,
        asker: { tenant: TENANT, user, channelId: 'general' },
        edits,
      });
    const current = async (): Promise<TenantSettingsView> => {
      const answer = await admin({});
      if (answer.kind !== 'settings') throw new Error(`expected the settings, got ${JSON.stringify(answer)}`);
      return answer.settings;
    };
    const jobIdOf = (reply: Reply | undefined): string => {
      if (reply?.kind !== 'queued') throw new Error(`expected a queued reply, got ${JSON.stringify(reply)}`);
      return reply.jobId;
    };
    const finish = (reply: Reply | undefined, user: string) =>
      deps.limiter.markFinished(jobIdOf(reply), 'discord:100', `discord:${user}`);
    return { deps, ask, admin, current, lines, settings, jobIdOf, finish };
  }

  it('enabled=false refuses the next /video as disabled; enabled=true takes it again', async () => {
    const { ask, admin } = setup();
    expect(await admin({ enabled: false })).toMatchObject({
      kind: 'settings',
      edited: true,
      changes: [{ setting: 'enabled', before: true, after: false }],
    });
    expect(await ask('a red ball bouncing')).toMatchObject({ kind: 'refused', reason: 'disabled' });
    await admin({ enabled: true });
    expect(await ask('a red ball bouncing')).toMatchObject({ kind: 'queued' });
  });

  it('allow_channel limits videos to the allowed channels (id or mention); allow_all_channels clears the list', async () => {
    const { ask, admin, current } = setup();
    await admin({ allowChannel: '<#555555555555555555>' });
    await admin({ allowChannel: '666666666666666666' });
    expect((await current()).allowedChannels).toEqual(['555555555555555555', '666666666666666666']);
    expect(await ask('a red ball bouncing', { channel: 'general' })).toMatchObject({
      kind: 'refused',
      reason: 'channel-not-allowed',
    });
    expect(await ask('a red ball bouncing', { channel: '555555555555555555' })).toMatchObject({
      kind: 'queued',
    });
    const off = await admin({ disallowChannel: '<#555555555555555555>' });
    expect(off).toMatchObject({
      changes: [{ setting: 'allowedChannels', added: [], removed: ['555555555555555555'] }],
    });
    expect(await ask('a blue square', { channel: '555555555555555555' })).toMatchObject({
      reason: 'channel-not-allowed',
    });
    await admin({ allowAllChannels: true });
    expect(await ask('a blue square', { channel: 'general' })).toMatchObject({ kind: 'queued' });
  });

  it('block refuses prompts with the term at once; unblock (any case) lets them through again', async () => {
    const { ask, admin, current } = setup();
    await admin({ block: '  Dragon ' });
    await admin({ block: 'dragon' }); // already there: no second entry
    expect((await current()).blocklist).toEqual(['Dragon']);
    expect(await ask('a green dragon flies')).toMatchObject({ kind: 'refused', reason: 'blocked-prompt' });
    await admin({ unblock: 'DRAGON' });
    expect(await ask('a green dragon flies')).toMatchObject({ kind: 'queued' });
  });

  it('clips_per_hour, user_clips_per_hour, max_active_per_user and max_waiting apply to the next request', async () => {
    const { ask, admin, finish } = setup();
    await admin({ userClipsPerHour: 1 });
    const first = await ask('a red ball bouncing', { user: 'ana' });
    await finish(first, 'ana');
    expect(await ask('a blue square sliding', { user: 'ana' })).toMatchObject({ reason: 'user-rate-limit' });

    await admin({ userClipsPerHour: 6, maxActivePerUser: 2 });
    expect(await ask('a blue square sliding', { user: 'ben' })).toMatchObject({ kind: 'queued' });
    expect(await ask('a yellow moon rising', { user: 'ben' })).toMatchObject({ kind: 'queued' });
    expect(await ask('a purple cube falling', { user: 'ben' })).toMatchObject({ reason: 'user-busy' });

    await admin({ maxWaiting: 3 });
    expect(await ask('a pink cloud drifting', { user: 'cy' })).toMatchObject({ kind: 'queued' });
    expect(await ask('an orange leaf falling', { user: 'dee' })).toMatchObject({
      reason: 'tenant-queue-full',
    });

    // A lower capacity caps the tenant's bucket at it: one clip left, then the tenant is refused.
    await admin({ maxWaiting: 100, tenantClipsPerHour: 1 });
    expect(await ask('a grey owl blinking', { user: 'eve' })).toMatchObject({ kind: 'queued' });
    expect(await ask('a white swan gliding', { user: 'fay' })).toMatchObject({ reason: 'tenant-rate-limit' });
  });

  it('default_quality is used by requests naming none; auto clears it', async () => {
    const { ask, admin, deps, jobIdOf } = setup();
    const quality = async (reply: Reply | undefined) =>
      (await deps.generate.getJob(jobIdOf(reply)))?.data.quality;
    await admin({ defaultQuality: 'high' });
    expect(await quality(await ask('a red ball bouncing'))).toBe('high');
    expect(await admin({ defaultQuality: 'auto' })).toMatchObject({
      changes: [{ setting: 'defaultQuality', before: 'high' }],
    });
    expect(await quality(await ask('a red ball bouncing'))).toBe('auto');
  });

  it('a member who may not manage the server is refused, and nothing changes', async () => {
    const { ask, admin, current, lines } = setup();
    const before = await current();
    for (const user of [{ id: 'mallory' }, { id: 'mallory', isAdmin: false, isModerator: true }]) {
      const answer = await admin({ enabled: false, block: 'ball' }, user);
      expect(answer).toEqual({
        kind: 'not-allowed',
        message: expect.stringMatching(/Only members who can manage/),
      });
      expect(await admin({}, user)).toMatchObject({ kind: 'not-allowed' });
    }
    expect(await current()).toEqual(before);
    expect(await ask('a red ball bouncing')).toMatchObject({ kind: 'queued' });
    expect(lines.filter((l) => l.msg === 'tenant settings changed')).toEqual([]);
    expect(lines.find((l) => String(l.msg).includes('refused'))).toMatchObject({
      tenant: 'discord:100',
      userId: 'mallory',
    });
  });

  it('bad values get a clear message and change nothing, even beside good ones', async () => {
    const { admin, current } = setup();
    await admin({ block: 'dragon', tenantClipsPerHour: 20 });
    const before = await current();
    const cases: [SettingsEdits, RegExp][] = [
      [
        { defaultQuality: 'ultra', enabled: false },
        /"ultra" is not a quality of this model: choose auto, low, medium, high/,
      ],
      [
        { tenantClipsPerHour: 0 },
        /Clips per hour for everyone together must be a whole number from 1 to 1,000; got 0/,
      ],
      [{ userClipsPerHour: 1.5 }, /Clips per hour per person must be a whole number from 1 to 100/],
      [{ maxWaiting: 5_000, block: 'ok' }, /Videos waiting at once must be a whole number from 1 to 1,000/],
      [{ block: 'x'.repeat(500) }, /^A blocked term has at most 100 characters\.$/],
      [{ block: '!!!' }, /needs at least one letter/],
      [
        { allowChannel: '#general' },
        /Name a channel by picking it \(#channel\) or by its id; "#general" is neither/,
      ],
    ];
    for (const [edits, message] of cases) {
      const answer = await admin(edits);
      expect(answer.kind, JSON.stringify(edits)).toBe('invalid');
      expect(answer.kind === 'invalid' && answer.message).toMatch(message);
    }
    expect(await current()).toEqual(before);
  });

  it('reset brings back the operator defaults in one change, and admission follows', async () => {
    const { ask, admin, current } = setup();
    const defaults = await current();
    expect(defaults).toMatchObject({ enabled: true, allowedChannels: [], blocklist: [], tiers: TEST_TIERS });
    expect(Object.values(defaults.limits).every((l) => !l.own)).toBe(true);
    await admin({
      enabled: false,
      allowChannel: '555',
      block: 'ball',
      defaultQuality: 'low',
      tenantClipsPerHour: 3,
      maxActivePerUser: 4,
    });
    const reset = await admin({ reset: true });
    expect(reset.kind === 'settings' && reset.settings).toEqual(defaults);
    expect(reset.kind === 'settings' && reset.changes.map((c) => c.setting)).toEqual([
      'enabled',
      'defaultQuality',
      'tenantClips',
      'maxActivePerUser',
      'allowedChannels',
      'blocklist',
    ]);
    expect(await ask('a red ball bouncing')).toMatchObject({ kind: 'queued' });
    // reset with other options: the others apply on the defaults.
    const again = await admin({ reset: true, block: 'owl' });
    expect(again.kind === 'settings' && again.settings.blocklist).toEqual(['owl']);
  });

  it('every change is logged with the tenant, who made it and what changed', async () => {
    const { admin, lines } = setup();
    await admin({ enabled: false, userClipsPerHour: 2 });
    const logged = lines.filter((l) => l.msg === 'tenant settings changed');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 30,
      tenant: 'discord:100',
      userId: 'admin-1',
      requestId: expect.stringMatching(/^cmd-/),
      edits: { enabled: false, userClipsPerHour: 2 },
      changes: [
        { setting: 'enabled', before: true, after: false },
        { setting: 'userClips', before: { value: 6, own: false }, after: { value: 2, own: true } },
      ],
    });
  });

  it('through the command: option names become edits, and the answer says what changed', async () => {
    const { settings, ask } = setup();
    const handler = stubHandler({ onSettingsCommand: (command) => settings.onSettingsCommand(command) });
    const context = {
      requestId: 'i-1',
      tenant: TENANT,
      user: ADMIN,
      channelId: 'general',
      receivedAt: Date.now(),
      uploadLimitBytes: 1,
    };
    const target = messageTarget('i-1', 'discord');
    const run = (values: Record<string, string | number | boolean>) =>
      videoAdminCommand.execute({ values, context, target }, handler);
    const text = await run({ clips_per_hour: 12, block: '@everyone dragon', allow_channel: '<#777>' });
    expect(text).toMatch(/^Changed:\n/);
    expect(text).toContain("• Clips for everyone together: 30 (the operator's) → 12 (set here)");
    expect(text).toContain('• Allowed channels: added <#777>');
    expect(text).toContain('• Blocked terms: added “@\u200beveryone dragon”');
    expect(text).toContain('Settings for this server:');
    expect(text).toContain('Clips: 12 per hour for everyone together (set here); 6 per hour per person\n');
    expect(text.length).toBeLessThanOrEqual(2_000);
    expect(await ask('a red ball', { channel: 'general' })).toMatchObject({ reason: 'channel-not-allowed' });

    const shownOnly = await run({});
    expect(shownOnly).toMatch(
      /^Settings for this server:\nVideo making: on\nDefault quality: auto \(choices: auto, low, medium, high\)/,
    );
    expect(await run({ clips_per_hour: 12 })).toMatch(/^Nothing changed/);
    expect(await run({ max_waiting: 0 })).toMatch(/^Videos waiting at once must be a whole number from 1/);
    const refused = await videoAdminCommand.execute(
      { values: { enabled: false }, context: { ...context, user: { id: 'mallory' } }, target },
      handler,
    );
    expect(refused).toMatch(/^Only members who can manage/);
  });
});
