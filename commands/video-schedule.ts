import { z } from 'zod';
import { type RequestHandler, SCHEDULE_WHEN_MAX_LENGTH, type ScheduleCommand } from '../src/core/index.ts';
import { scheduleAnswerText } from './answers/schedule-answer-text.ts';
import {
  askerOf,
  type CommandDefinition,
  CommandError,
  CommandErrorCode,
  type CommandInvocation,
  type CommandModule,
  type CommandOption,
} from './kit/index.ts';
import { VIDEO_OPTION_SHAPES } from './video.ts';

const ID: CommandOption = {
  name: 'id',
  type: 'integer',
  description: 'The schedule’s number, as /video-schedule list shows it',
  required: true,
  min: 1,
  max: 1_000_000,
};

/** /video-schedule: the prompt and caption take what /video's take. */
function define(): CommandDefinition {
  return {
    name: 'video-schedule',
    description: 'Clips posted on a schedule in a channel (Manage Server only)',
    example: '/video-schedule add --when "every friday 18:00" --channel #general a disco ball spinning',
    memberPermissions: 'manage-guild',
    guildOnly: true,
    privateAnswer: true,
    options: [],
    subcommands: [
      {
        name: 'add',
        description: 'Post a clip of this prompt in a channel on a schedule',
        positional: 'prompt',
        options: [
          VIDEO_OPTION_SHAPES.prompt,
          {
            name: 'channel',
            type: 'string',
            description: 'Where to post it (#channel); default: the channel you type this in',
            minLength: 1,
            maxLength: 200,
          },
          {
            name: 'when',
            type: 'string',
            description: 'Like "every friday 18:00", "every day at 9:30", "every monday", or cron',
            required: true,
            minLength: 1,
            maxLength: SCHEDULE_WHEN_MAX_LENGTH,
          },
          {
            name: 'timezone',
            type: 'string',
            description: 'Like Europe/Berlin; default: the one /video-admin set, else UTC',
            minLength: 1,
            maxLength: 64,
          },
          VIDEO_OPTION_SHAPES.caption,
        ],
      },
      { name: 'list', description: 'The schedules here, with their next runs', options: [] },
      { name: 'remove', description: 'Delete a schedule', positional: 'id', options: [ID] },
      {
        name: 'pause',
        description: 'Stop a schedule’s runs until it is resumed',
        positional: 'id',
        options: [ID],
      },
      { name: 'resume', description: 'Run a paused schedule again', positional: 'id', options: [ID] },
    ],
  };
}

const addSchema = z.object({
  prompt: z.string(),
  channel: z.string().optional(),
  when: z.string(),
  timezone: z.string().optional(),
  caption: z.string().optional(),
});
const idSchema = z.object({ id: z.union([z.number(), z.string()]) });

/** The core's command for a use of /video-schedule. */
export function scheduleCommand(invocation: CommandInvocation): ScheduleCommand {
  const base = { requestId: invocation.context.requestId, asker: askerOf(invocation.context) };
  const { subcommand, values } = invocation;
  const wrong = (why: string) =>
    new CommandError(CommandErrorCode.InvalidValues, `/video-schedule ${subcommand ?? ''}: ${why}`);
  if (subcommand === 'list') return { ...base, action: 'list' };
  if (subcommand === 'add') {
    const parsed = addSchema.safeParse(values);
    if (!parsed.success)
      throw wrong(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const { prompt, channel, when, timezone, caption } = parsed.data;
    return {
      ...base,
      action: 'add',
      spec: {
        prompt,
        channel: channel ?? invocation.context.channelId,
        when,
        ...(timezone !== undefined ? { timeZone: timezone } : {}),
        ...(caption !== undefined ? { caption } : {}),
      },
    };
  }
  if (subcommand === 'remove' || subcommand === 'pause' || subcommand === 'resume') {
    const parsed = idSchema.safeParse(values);
    // Typed as text (`/video schedule remove 3`), the id is the free words.
    const id = parsed.success ? Number(parsed.data.id) : Number.NaN;
    if (!Number.isInteger(id) || id < 1)
      throw wrong('give the schedule’s number, as /video-schedule list shows it');
    return { ...base, action: subcommand, id };
  }
  throw wrong('use add, list, remove, pause or resume');
}

/** `/video-schedule add|list|remove|pause|resume`: the tenant's scheduled clips; answers the asker alone. */
export const videoScheduleCommand = {
  name: 'video-schedule',
  define,
  async execute(invocation: CommandInvocation, handler: RequestHandler): Promise<string> {
    const answer = await handler.onScheduleCommand(scheduleCommand(invocation));
    return scheduleAnswerText(answer);
  },
} satisfies CommandModule;

export default videoScheduleCommand;
