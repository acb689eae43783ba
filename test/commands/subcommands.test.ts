import { describe, expect, it } from 'vitest';
import {
  discordCommandJson,
  helpText,
  parseCommandLine,
  scheduleCommand,
  videoScheduleCommand,
} from '../../commands/index.ts';

const schedule = videoScheduleCommand.define();

describe('commands with subcommands (/video-schedule)', () => {
  it('reads the verb as the first word, then that verb’s options and free words', () => {
    expect(
      parseCommandLine(
        schedule,
        '/video-schedule add --when "every friday 18:00" --channel <#C1> a disco ball',
      ),
    ).toEqual({
      kind: 'invocation',
      subcommand: 'add',
      values: { when: 'every friday 18:00', channel: '<#C1>', prompt: 'a disco ball' },
    });
    expect(parseCommandLine(schedule, '/video-schedule LIST')).toEqual({
      kind: 'invocation',
      subcommand: 'list',
      values: {},
    });
    expect(parseCommandLine(schedule, '/video-schedule remove 3')).toEqual({
      kind: 'invocation',
      subcommand: 'remove',
      values: { id: '3' },
    });
  });

  it('says which verbs there are when none or another is given, and what a verb misses', () => {
    expect(parseCommandLine(schedule, '/video-schedule')).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('needs one of: add, list, remove, pause, resume'),
    });
    expect(parseCommandLine(schedule, '/video-schedule delete 3')).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('has no "delete"'),
    });
    expect(parseCommandLine(schedule, '/video-schedule add a disco ball')).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('--when is required'),
    });
  });

  it('lists each verb with its options in the help', () => {
    const help = helpText(schedule);
    expect(help).toContain('/video-schedule add <prompt> [options]: Post a clip of this prompt');
    expect(help).toContain('--when TEXT');
    expect(help).toContain('/video-schedule remove <id>');
  });

  it('registers the verbs as Discord SUB_COMMAND options with their own options, required first', () => {
    const json = discordCommandJson(schedule);
    expect(json.options.map((o) => [o.type, o.name])).toEqual([
      [1, 'add'],
      [1, 'list'],
      [1, 'remove'],
      [1, 'pause'],
      [1, 'resume'],
    ]);
    const add = json.options[0]?.options ?? [];
    expect(add.map((o) => o.name)).toEqual(['prompt', 'when', 'channel', 'timezone', 'caption']);
    expect(json.default_member_permissions).toBe('32');
  });

  it('turns a use into the core’s command: the channel defaults to where it was typed; ids are whole numbers', () => {
    const context = {
      requestId: 'r1',
      tenant: { platform: 'slack' as const, id: 'T1' },
      user: { id: 'U1', isAdmin: true },
      channelId: 'C9',
      receivedAt: 0,
      uploadLimitBytes: 1,
    };
    const target = { platform: 'slack' as const, kind: 'message' as const, replyId: 'x', handle: {} };
    expect(
      scheduleCommand({
        subcommand: 'add',
        values: { prompt: 'a red ball', when: 'every monday' },
        context,
        target,
      }),
    ).toMatchObject({ action: 'add', spec: { prompt: 'a red ball', when: 'every monday', channel: 'C9' } });
    expect(scheduleCommand({ subcommand: 'pause', values: { id: '4' }, context, target })).toMatchObject({
      action: 'pause',
      id: 4,
    });
    expect(() => scheduleCommand({ subcommand: 'remove', values: { id: 'four' }, context, target })).toThrow(
      /give the schedule’s number/,
    );
  });
});
