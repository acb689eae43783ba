import type { SlashCommand } from '@slack/bolt';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  type CommandModule,
  type DefinedCommand,
  definedCommands,
  type ModelFacts,
  type OptionValues,
  parseCommandLine,
} from '../../../commands/index.ts';
import type { ReplyTarget, RequestHandler } from '../../core/index.ts';
import { slackErrorCode } from './slack-clients.ts';
import { type SlackFileImages, unwrapImageLink } from './slack-file-image.ts';
import { type SlackMessageHandle, toReplyHandle } from './slack-handle.ts';
import type { SlackPeople } from './slack-people.ts';
import type { SlackReplyPoster } from './slack-reply-poster.ts';
import { plainView, slackEscape, slackTime } from './slack-reply-view.ts';

/** Slack has one slash command; clipbot's other commands are its first word. */
const SUBCOMMANDS: Record<string, string> = {
  queue: 'video-queue',
  admin: 'video-admin',
  schedule: 'video-schedule',
};
const REDELIVERY_MS = 10 * 60_000;

export const NOT_IN_CHANNEL =
  "I'm not in this channel, so I can't post your video here. Add me with `/invite @clipbot`, or use `/video … --private` to get it by DM.";
const UNAVAILABLE = 'clipbot is unavailable for a moment. Please try again in a minute.';
const STARTING = ':hourglass_flowing_sand: Starting…';

export interface SlashCommandDeps {
  redis: Redis;
  keyPrefix: string;
  uploadLimitBytes: number;
  logger: Logger;
  commands: readonly CommandModule[];
  facts: ModelFacts;
  poster: SlackReplyPoster;
  people: SlackPeople;
  /** `--image <link>`: a picture already shared in Slack. */
  images: SlackFileImages;
}

/**
 * Answers `/video …`. Its first word picks the command: `help`, `queue` (/video-queue), `admin …`
 * (/video-admin), anything else is a /video prompt read by the same grammar as the playground's.
 * Answers for the asker alone go through `respond` (ephemeral); a /video gets a message the bot
 * posts at once (in the channel, or by DM when private) and then edits; a channel the bot is not in
 * gets an ephemeral hint and no job.
 */
/** What `--image` takes on Slack, for the help: a link, since a slash command carries no file. */
const IMAGE_HELP = {
  placeholder: 'LINK',
  accepts:
    'the link of a picture shared in Slack (⋮ More actions → Copy link to file): a PNG, JPEG or WebP of up to 10 MB',
};

export class SlackSlashCommands {
  handler?: RequestHandler;
  private readonly definitions: Map<string, DefinedCommand>;

  constructor(private readonly deps: SlashCommandDeps) {
    this.definitions = definedCommands(deps.commands, deps.facts);
  }

  async answer(
    command: SlashCommand,
    respond: (text: string) => Promise<unknown>,
    retryNum?: number,
  ): Promise<void> {
    const text = unwrapImageLink(slackUnescape(command.text).trim());
    const [first = '', ...rest] = text.split(/\s+/);
    const name = SUBCOMMANDS[first.toLowerCase()] ?? 'video';
    const entry = this.definitions.get(name);
    if (!entry) return void (await respond(`Unknown command. ${this.commandList()}`));
    if (text === '' || first.toLowerCase() === 'help') return void (await respond(this.commandList()));
    const line = name === 'video' ? `/video ${text}` : `/${name} ${rest.join(' ')}`;
    const base = { teamId: command.team_id, channelId: command.channel_id, userId: command.user_id };
    const parsed = parseCommandLine(entry.definition, line, {
      image: this.deps.images.reader(base),
      imageHelp: IMAGE_HELP,
    });
    if (parsed.kind === 'help') return void (await respond(forSlack(parsed.text)));
    if (parsed.kind === 'invalid') return void (await respond(forSlack(parsed.message)));
    // A retried delivery (X-Slack-Retry-Num) of a command already being answered posts nothing again.
    if (!(await this.firstTime(command.trigger_id))) {
      this.deps.logger.info({ retryNum }, 'redelivered slash command ignored');
      return;
    }
    const context = {
      requestId: command.trigger_id,
      tenant: { platform: 'slack' as const, id: command.team_id },
      user:
        name === 'video'
          ? { id: command.user_id, displayName: command.user_name }
          : await this.deps.people.requester(command.team_id, command.user_id, command.user_name),
      channelId: command.channel_id,
      receivedAt: Date.now(),
      uploadLimitBytes: this.deps.uploadLimitBytes,
      formatTime: (at: number) => slackTime(at),
    };
    if (entry.definition.privateAnswer) {
      const answer = await this.execute(
        entry.module,
        parsed.values,
        context,
        this.noTarget(base),
        parsed.subcommand,
      );
      // The answer's own mentions (<#C…>, <@U…>) are Slack's; only the commands are named Slack's way.
      return void (await respond(answer === undefined ? UNAVAILABLE : slackCommandNames(answer)));
    }
    const opened = await this.openReply(base, parsed.values.private === true);
    if (!opened) return void (await respond(NOT_IN_CHANNEL));
    const target: ReplyTarget = {
      platform: 'slack',
      kind: 'message',
      replyId: command.trigger_id,
      handle: toReplyHandle(opened),
    };
    const answered = await this.execute(entry.module, parsed.values, context, target).then(
      () => true,
      (error: unknown) => {
        this.deps.logger.warn({ err: error }, 'a request got no answer from the core');
        return false;
      },
    );
    if (!answered)
      await this.deps.poster.render(opened, {
        kind: 'failed',
        jobId: '',
        message: UNAVAILABLE,
        buttons: [],
        private: false,
      });
  }

  /** The message that will show a /video's reply: posted now, in the channel or the asker's DM. */
  private async openReply(
    base: SlackMessageHandle,
    isPrivate: boolean,
  ): Promise<SlackMessageHandle | undefined> {
    try {
      if (isPrivate) {
        const dm = await this.deps.poster.dmOf(base);
        return await this.deps.poster.open(dm, plainView(STARTING));
      }
      return await this.deps.poster.open(base, plainView(STARTING));
    } catch (error) {
      const code = slackErrorCode(error);
      if (code === 'not_in_channel' || code === 'channel_not_found') return undefined;
      throw error;
    }
  }

  private execute(
    module: CommandModule,
    values: OptionValues,
    context: Parameters<CommandModule['execute']>[0]['context'],
    target: ReplyTarget,
    subcommand?: string,
  ): Promise<string | undefined> {
    if (!this.handler) throw new Error('the Slack adapter was not started');
    return module.execute({ values, context, target, ...(subcommand ? { subcommand } : {}) }, this.handler);
  }

  /** Commands that answer their asker alone never render to a target; theirs names the channel. */
  private noTarget(base: SlackMessageHandle): ReplyTarget {
    return { platform: 'slack', kind: 'message', replyId: 'none', handle: toReplyHandle(base) };
  }

  private async firstTime(triggerId: string): Promise<boolean> {
    const key = `${this.deps.keyPrefix}:slack:command:${triggerId}`;
    return (await this.deps.redis.set(key, '1', 'PX', REDELIVERY_MS, 'NX')) === 'OK';
  }

  private commandList(): string {
    const video = this.definitions.get('video')?.definition;
    const lines = [
      '`/video <prompt> [--quality …] [--seed N] [--private]`: make a clip (`/video --help` lists every option)',
      '`/video queue`: your videos in the queue, the limits here, and when you can make the next one',
      '`/video admin [--enabled=false] [--clips_per_hour N] …`: the workspace settings (admins; `/video admin --help`)',
      '`/video schedule add --when "every friday 18:00" <prompt>`: a clip posted in this channel on a schedule; `list`, `pause`, `resume`, `remove` (admins; `/video schedule --help`)',
    ];
    return video ? forSlack(lines.join('\n')) : 'clipbot is not ready yet.';
  }
}

/**
 * A slash command's text as the user typed it: Slack sends their `&`, `<` and `>` as `&amp;`, `&lt;`
 * and `&gt;` (mentions stay encoded as `<@U…>`, `<!channel>`, which admission neutralises). Replies
 * escape them again (slackEscape), so leaving them encoded would show `&amp;amp;`.
 */
function slackUnescape(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Help and parse errors of the shared commands as Slack must get them: the commands named as Slack
 * users type them (`/video admin`, not `/video-admin`), and escaped, so `<prompt>` shows and a value
 * the user typed (`--seed <!channel>`) is echoed as text.
 */
function forSlack(text: string): string {
  return slackEscape(slackCommandNames(text));
}

/** clipbot's commands as Slack users type them: `/video schedule`, not `/video-schedule`. */
function slackCommandNames(text: string): string {
  return text.replace(/\/video-(admin|queue|schedule)\b/g, '/video $1');
}
