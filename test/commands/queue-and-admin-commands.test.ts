import { describe, expect, it } from 'vitest';
import {
  CommandError,
  queueViewText,
  settingsEdits,
  videoAdminCommand,
  videoQueueCommand,
} from '../../commands/index.ts';
import type {
  Asker,
  EffectiveLimits,
  QueuedJobView,
  QueueView,
  ReplyTarget,
  SettingsCommand,
} from '../../src/core/index.ts';
import { stubHandler } from '../support/stub-handler.ts';

const NOW = Date.UTC(2026, 11, 1, 14, 0);
const context = {
  requestId: 'i-1',
  tenant: { platform: 'discord', id: '123456789012345678' },
  user: { id: '223456789012345678', isAdmin: true },
  channelId: '323456789012345678',
  receivedAt: NOW,
  uploadLimitBytes: 1,
} as const;
const target = { platform: 'discord', kind: 'message', replyId: 'i-1', handle: {} } as ReplyTarget;
const limit = (value: number, own = false) => ({ value, own });
const LIMITS: EffectiveLimits = {
  tenantClips: limit(30),
  tenantIntervalMs: limit(3_600_000),
  userClips: limit(6),
  userIntervalMs: limit(3_600_000),
  maxActivePerUser: limit(1),
  maxWaitingPerTenant: limit(10, true),
};
const view = (more: Partial<QueueView> = {}): QueueView => ({
  now: NOW,
  tenant: context.tenant,
  jobs: [],
  tenantWaiting: 0,
  limits: LIMITS,
  clipsLeft: { user: 6, tenant: 30 },
  nextClip: { kind: 'now' },
  noWorker: false,
  ...more,
});
const discordTime = (at: number) => `<t:${Math.ceil(at / 1000)}:R>`;

describe('/video-queue', () => {
  it('asks the core for the asker in their tenant and channel, and writes times the platform way', async () => {
    const asked: Asker[] = [];
    const handler = stubHandler({
      onQueueQuery: async (asker) => {
        asked.push(asker);
        return view({
          jobs: [
            {
              state: 'waiting',
              jobId: 'j',
              prompt: 'a red ball',
              position: 2,
              etaAt: NOW + 90_000,
              elsewhere: false,
            },
          ],
          tenantWaiting: 4,
          nextClip: { kind: 'later', at: NOW + 90_000, reason: 'user-busy' },
        });
      },
    });
    const text = await videoQueueCommand.execute(
      { values: {}, context: { ...context, formatTime: discordTime }, target },
      handler,
    );
    expect(asked).toEqual([{ tenant: context.tenant, user: context.user, channelId: context.channelId }]);
    expect(text).toBe(
      [
        'Your videos (1):',
        `• “a red ball”: waiting, 2nd in line; done: <t:${NOW / 1000 + 90}:R>`,
        'Waiting in this server: 4 videos (at most 10, set here).',
        'Limits in this server: 30 clips per hour for everyone together; 6 per hour per person; 1 video in the queue at once per person.',
        'Clips left: 6 of 6 for you, 30 of 30 for everyone.',
        `Your next clip: <t:${NOW / 1000 + 90}:R> (after your video in the queue; 1 video at a time).`,
      ].join('\n'),
    );
    // Without the platform's formatter, "14:05 UTC".
    const plain = await videoQueueCommand.execute({ values: {}, context, target }, handler);
    expect(plain).toContain('done: 14:02 UTC');
  });

  it('stays within 2,000 characters with many long prompts, and says when no worker runs', () => {
    const jobs: QueuedJobView[] = Array.from({ length: 40 }, (_, i) => ({
      state: 'waiting',
      jobId: `j${i}`,
      prompt: `@everyone ${'a very long prompt '.repeat(30)}`,
      position: i + 1,
      etaAt: NOW + i * 60_000,
      elsewhere: false,
    }));
    const text = queueViewText(view({ jobs, noWorker: true }), discordTime);
    expect(text.length).toBeLessThanOrEqual(2_000);
    expect(text).toContain('…and 30 more.');
    expect(text).toContain('No worker is running right now');
    expect(text).not.toMatch(/@everyone/); // a zero-width space after the @: it pings no one
  });

  it('says why the next clip waits, or that this tenant or channel takes none', () => {
    const at = NOW + 30 * 60_000;
    const next = (nextClip: QueueView['nextClip']) =>
      queueViewText(view({ nextClip }), (t) => `T${t - NOW}`)
        .split('\n')
        .at(-1);
    expect(next({ kind: 'later', at, reason: 'user-rate-limit' })).toBe(
      'Your next clip: T1800000 (you have used your 6 clips for this hour).',
    );
    expect(next({ kind: 'later', at, reason: 'tenant-rate-limit' })).toBe(
      'Your next clip: T1800000 (this server has used its 30 clips for this hour).',
    );
    expect(next({ kind: 'later', at, reason: 'tenant-queue-full' })).toMatch(/already has 10 videos waiting/);
    expect(next({ kind: 'closed', reason: 'disabled' })).toBe(
      'Your next clip: not here; video making is switched off in this server.',
    );
    expect(next({ kind: 'closed', reason: 'channel-not-allowed' })).toMatch(/not in this channel/);
  });
});

describe('/video-admin', () => {
  it('turns option names into the core edits, leaving out what was not given', () => {
    expect(
      settingsEdits({
        enabled: false,
        default_quality: 'high',
        clips_per_hour: 20,
        user_clips_per_hour: 3,
        max_active_per_user: 2,
        max_waiting: 5,
        allow_channel: '<#1>',
        disallow_channel: '2',
        allow_all_channels: true,
        block: 'dragon',
        unblock: 'owl',
        reset: true,
      }),
    ).toEqual({
      enabled: false,
      defaultQuality: 'high',
      tenantClipsPerHour: 20,
      userClipsPerHour: 3,
      maxActivePerUser: 2,
      maxWaiting: 5,
      allowChannel: '<#1>',
      disallowChannel: '2',
      allowAllChannels: true,
      block: 'dragon',
      unblock: 'owl',
      reset: true,
    });
    expect(settingsEdits({})).toEqual({});
    expect(() => settingsEdits({ clips_per_hour: 'many' })).toThrow(CommandError);
  });

  it('passes who asks (with isAdmin) and answers with the core answer as text', async () => {
    const commands: SettingsCommand[] = [];
    const handler = stubHandler({
      onSettingsCommand: async (command) => {
        commands.push(command);
        return { kind: 'not-allowed', message: 'Only members who can manage this server may.' };
      },
    });
    const text = await videoAdminCommand.execute({ values: { block: 'x' }, context, target }, handler);
    expect(commands).toEqual([
      {
        requestId: 'i-1',
        asker: { tenant: context.tenant, user: context.user, channelId: context.channelId },
        edits: { block: 'x' },
      },
    ]);
    expect(text).toBe('Only members who can manage this server may.');
  });
});
