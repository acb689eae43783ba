import {
  type CommandDefinition,
  commandListText,
  parseCommandLine,
  videoAdminCommand,
  videoCommand,
  videoQueueCommand,
  videoScheduleCommand,
} from '../../../commands/index.ts';
import { type ReplyTarget, type RequestHandler, type ShownReply, utcTime } from '../../core/index.ts';
import { videoRequest } from './playground-requests.ts';

/** The playground has no admins: its settings are the operator's config. */
export const ADMIN_ELSEWHERE =
  "The playground has no admins: it runs on the operator's settings (clipbot's config). Server admins manage their own settings on Discord or Slack with /video-admin.";

export const SCHEDULES_ELSEWHERE =
  'The playground has no channels to post in on a schedule. Server and workspace admins schedule clips on Discord or Slack with /video-schedule.';

/** One line a tab typed, and the reply message made for it. */
export interface TypedLine {
  text: string;
  /** The client's address: the user that limits and job ownership count. */
  user: string;
  requestId: string;
  target: ReplyTarget;
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

/**
 * Answers a typed line. Its first word picks the command and that command's own definition reads
 * the rest: `help` lists the commands, `/video-queue` answers with the core's view as a notice,
 * `/video-admin` says where settings are managed, anything else is read as /video.
 */
export async function answerTypedLine(line: TypedLine, answers: LineAnswers): Promise<void> {
  const { text, user, requestId, target } = line;
  const head = text.trim().split(/\s+/, 1)[0]?.toLowerCase() ?? '';
  if (text.trim().toLowerCase() === 'help' || head === '/help')
    return answers.notify(commandListText([answers.video, videoQueueCommand.define(), ADMIN]));
  if (head === `/${videoAdminCommand.name}`) return answers.notify(ADMIN_ELSEWHERE);
  if (head === `/${videoScheduleCommand.name}`) return answers.notify(SCHEDULES_ELSEWHERE);
  const queue = head === `/${videoQueueCommand.name}`;
  const parsed = parseCommandLine(queue ? videoQueueCommand.define() : answers.video, text);
  if (parsed.kind === 'help') return answers.notify(parsed.text);
  if (parsed.kind === 'invalid') {
    if (queue) return answers.notify(parsed.message);
    await answers.render({
      kind: 'refused',
      reason: 'invalid-input',
      message: parsed.message,
      buttons: [],
      private: false,
    });
    return;
  }
  const context = { ...videoRequest(user, requestId, answers.uploadLimitBytes), formatTime: utcTime };
  const command = queue ? videoQueueCommand : videoCommand;
  try {
    const answer = await command.execute({ values: parsed.values, context, target }, answers.handler);
    if (answer !== undefined) await answers.notify(answer);
  } catch (error) {
    await answers.couldNotAnswer(error);
  }
}
