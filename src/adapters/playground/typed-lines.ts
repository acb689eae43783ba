import {
  type CommandDefinition,
  commandListText,
  parseCommandLine,
  type TextReaders,
  videoAdminCommand,
  videoCommand,
  videoQueueCommand,
  videoScheduleCommand,
} from '../../../commands/index.ts';
import {
  type AttachedImage,
  type RefusalReason,
  type ReplyTarget,
  type RequestHandler,
  type ShownReply,
  utcTime,
} from '../../core/index.ts';
import { PICTURE_GONE } from './picture-shelf.ts';
import { videoRequest } from './playground-requests.ts';

/** The playground has no admins: its settings are the operator's config. */
export const ADMIN_ELSEWHERE =
  "The playground has no admins: it runs on the operator's settings (clipbot's config). Server admins manage their own settings on Discord or Slack with /video-admin.";

export const SCHEDULES_ELSEWHERE =
  'The playground has no channels to post in on a schedule. Server and workspace admins schedule clips on Discord or Slack with /video-schedule.';

/** On the page a picture comes from the Picture button, never from typed text; the help says so. */
const PICTURE_BUTTON: TextReaders = {
  image: () => ({
    problem: '--image cannot be typed: choose the picture with the Picture button beside the prompt box.',
  }),
  imageHelp: {
    placeholder: '(button)',
    accepts: 'choose it with the Picture button beside the prompt box: a PNG, JPEG or WebP of up to 10 MB',
  },
};

/** One line a tab typed, and the reply message made for it. */
export interface TypedLine {
  text: string;
  /** The client's address: the user that limits and job ownership count. */
  user: string;
  requestId: string;
  target: ReplyTarget;
  /** The picture uploaded for the line, or 'gone' when the id it named is unknown or expired. */
  image?: AttachedImage | 'gone';
}

/** How a line is answered: by the core through the handler, in the line's reply or as a notice. */
export interface LineAnswers {
  /** /video for the model the bot serves. */
  video: CommandDefinition;
  handler: RequestHandler;
  uploadLimitBytes: number;
  /** A brief message to the tab's session alone. */
  notify(message: string): Promise<void>;
  /** Shows a state in the line's reply message. */
  render(reply: ShownReply): Promise<unknown>;
  /** The core could not answer at all (Redis down): the line must not stay unanswered. */
  couldNotAnswer(error: unknown): Promise<void>;
}

/** /video-admin's definition for the command list only: no model tiers are needed there. */
const ADMIN = videoAdminCommand.define({
  modelName: '',
  tiers: [],
  minSteps: 1,
  maxSteps: 1,
  maxGuidance: 0,
  defaultGuidance: 0,
  takesImage: false,
});

/** Answers the line in its reply message with a refusal. */
async function refuse(answers: LineAnswers, reason: RefusalReason, message: string): Promise<void> {
  await answers.render({ kind: 'refused', reason, message, buttons: [], private: false });
}

/**
 * Answers a typed line. Its first word picks the command and that command's own definition reads
 * the rest: `help` lists the commands, `/video-queue` answers with the core's view as a notice,
 * `/video-admin` says where settings are managed, anything else is read as /video, with the
 * line's uploaded picture as its `image`.
 */
export async function answerTypedLine(line: TypedLine, answers: LineAnswers): Promise<void> {
  const { text, user, requestId, target, image } = line;
  const head = text.trim().split(/\s+/, 1)[0]?.toLowerCase() ?? '';
  if (text.trim().toLowerCase() === 'help' || head === '/help')
    return answers.notify(commandListText([answers.video, videoQueueCommand.define(), ADMIN]));
  if (head === `/${videoAdminCommand.name}`) return answers.notify(ADMIN_ELSEWHERE);
  if (head === `/${videoScheduleCommand.name}`) return answers.notify(SCHEDULES_ELSEWHERE);
  const queue = head === `/${videoQueueCommand.name}`;
  const parsed = parseCommandLine(queue ? videoQueueCommand.define() : answers.video, text, PICTURE_BUTTON);
  if (parsed.kind === 'help') return answers.notify(parsed.text);
  if (parsed.kind === 'invalid' && queue) return answers.notify(parsed.message);
  if (parsed.kind === 'invalid') return refuse(answers, 'invalid-input', parsed.message);
  if (!queue && image === 'gone') return refuse(answers, 'invalid-image', PICTURE_GONE);
  const context = { ...videoRequest(user, requestId, answers.uploadLimitBytes), formatTime: utcTime };
  const command = queue ? videoQueueCommand : videoCommand;
  // An uploaded picture is /video's `image` value, as an attachment is on Discord; /video-queue has none.
  const values = !queue && typeof image === 'object' ? { ...parsed.values, image } : parsed.values;
  try {
    const answer = await command.execute({ values, context, target }, answers.handler);
    if (answer !== undefined) await answers.notify(answer);
  } catch (error) {
    await answers.couldNotAnswer(error);
  }
}
