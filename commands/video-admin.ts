import { z } from 'zod';
import {
  BLOCKED_TERM_MAX_LENGTH,
  type RequestHandler,
  SETTINGS_LIMIT_RANGES,
  type SettingsEdits,
} from '../src/core/index.ts';
import { settingsAnswerText } from './answers/settings-answer-text.ts';
import {
  askerOf,
  type CommandDefinition,
  CommandError,
  CommandErrorCode,
  type CommandInvocation,
  type CommandModule,
  type ModelFacts,
} from './kit/index.ts';

const R = SETTINGS_LIMIT_RANGES;
const CHANNEL = { type: 'string', minLength: 1, maxLength: 200 } as const;
const TERM = { type: 'string', minLength: 1, maxLength: BLOCKED_TERM_MAX_LENGTH } as const;

/** /video-admin for a model: its tiers are the default quality's choices. Flat options (no subcommands). */
function define(facts: ModelFacts): CommandDefinition {
  return {
    name: 'video-admin',
    description: "Show or change clipbot's settings for this server (Manage Server only)",
    example: '/video-admin --clips_per_hour 20 --allow_channel #videos',
    memberPermissions: 'manage-guild',
    guildOnly: true,
    privateAnswer: true,
    options: [
      { name: 'enabled', type: 'boolean', description: 'Switch video making here on (true) or off (false)' },
      {
        name: 'default_quality',
        type: 'string',
        description: 'Quality for /video when none is named; auto lets the machine pick',
        choices: [
          { value: 'auto', label: 'auto: the best that fits now' },
          ...facts.tiers.map((t) => ({
            value: t.name,
            label: `${t.name}: ${t.width}×${t.height}, ${t.frames} frames`,
          })),
        ],
      },
      {
        name: 'clips_per_hour',
        type: 'integer',
        description: 'Clips everyone here may make together per hour',
        ...R.tenantClipsPerHour,
      },
      {
        name: 'user_clips_per_hour',
        type: 'integer',
        description: 'Clips one person may make per hour',
        ...R.userClipsPerHour,
      },
      {
        name: 'max_active_per_user',
        type: 'integer',
        description: 'Videos one person may have in the queue at once',
        ...R.maxActivePerUser,
      },
      {
        name: 'max_waiting',
        type: 'integer',
        description: 'Videos from here that may wait in the queue at once',
        ...R.maxWaiting,
      },
      {
        name: 'allow_channel',
        description: 'Make videos in this channel (#channel); once any is allowed, only those are',
        ...CHANNEL,
      },
      { name: 'disallow_channel', description: 'Take a channel (#channel) off the allowed list', ...CHANNEL },
      {
        name: 'allow_all_channels',
        type: 'boolean',
        description: 'Clear the allowed channels: videos in every channel',
      },
      {
        name: 'timezone',
        description: 'Time zone of schedules that name none, like Europe/Berlin (default UTC)',
        type: 'string',
        minLength: 1,
        maxLength: 64,
      },
      {
        name: 'teaser_channel',
        description: 'Post a teaser clip for each new event in this channel (#channel), or off',
        ...CHANNEL,
      },
      { name: 'block', description: 'Refuse prompts with this word or phrase here', ...TERM },
      { name: 'unblock', description: 'Take a word or phrase off the blocklist here', ...TERM },
      {
        name: 'reset',
        type: 'boolean',
        description: "Back to the operator's defaults (before the other options apply)",
      },
    ],
  };
}

// Types only: ranges, tiers, channels and terms are the core's to check, with its own messages.
const valuesSchema = z.object({
  enabled: z.boolean().optional(),
  default_quality: z.string().optional(),
  clips_per_hour: z.number().optional(),
  user_clips_per_hour: z.number().optional(),
  max_active_per_user: z.number().optional(),
  max_waiting: z.number().optional(),
  allow_channel: z.string().optional(),
  disallow_channel: z.string().optional(),
  allow_all_channels: z.boolean().optional(),
  block: z.string().optional(),
  unblock: z.string().optional(),
  reset: z.boolean().optional(),
  timezone: z.string().optional(),
  teaser_channel: z.string().optional(),
});

/** The option names → the core's edit fields. */
const FIELDS = {
  enabled: 'enabled',
  default_quality: 'defaultQuality',
  clips_per_hour: 'tenantClipsPerHour',
  user_clips_per_hour: 'userClipsPerHour',
  max_active_per_user: 'maxActivePerUser',
  max_waiting: 'maxWaiting',
  allow_channel: 'allowChannel',
  disallow_channel: 'disallowChannel',
  allow_all_channels: 'allowAllChannels',
  block: 'block',
  unblock: 'unblock',
  reset: 'reset',
  timezone: 'timeZone',
  teaser_channel: 'teaserChannel',
} as const satisfies Record<keyof z.infer<typeof valuesSchema>, keyof SettingsEdits>;

/** The edits a use of /video-admin asks for: the options given, under the core's names. */
export function settingsEdits(values: CommandInvocation['values']): SettingsEdits {
  const parsed = valuesSchema.safeParse(values);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new CommandError(
      CommandErrorCode.InvalidValues,
      `/video-admin got values of the wrong type: ${why}`,
    );
  }
  const edits: Record<string, string | number | boolean> = {};
  for (const [option, value] of Object.entries(parsed.data))
    if (value !== undefined) edits[FIELDS[option as keyof typeof FIELDS]] = value;
  return edits as SettingsEdits;
}

/** `/video-admin [options]`: shows or changes the tenant's settings; answers the asker alone. */
export const videoAdminCommand = {
  name: 'video-admin',
  define,
  async execute(invocation: CommandInvocation, handler: RequestHandler): Promise<string> {
    const { context } = invocation;
    const answer = await handler.onSettingsCommand({
      requestId: context.requestId,
      asker: askerOf(context),
      edits: settingsEdits(invocation.values),
    });
    return settingsAnswerText(answer, context.tenant);
  },
} satisfies CommandModule;

export default videoAdminCommand;
