import type { Logger } from 'pino';
import {
  type ButtonPress,
  type Reply,
  type ReplyTarget,
  userKeyOf,
  type VideoRequest,
} from '../core/index.ts';
import type { CancelOutcome, JobCanceller } from './job-canceller.ts';
import type { SpineParts } from './spine-parts.ts';

export interface ButtonActionsDeps {
  parts: Pick<SpineParts, 'generate' | 'artifacts'>;
  canceller: JobCanceller;
  /** The /video use case, which a reroll goes through like any request (limits included). */
  requestVideo: (request: VideoRequest, target: ReplyTarget) => Promise<void>;
  render: (target: ReplyTarget, reply: Reply) => Promise<void>;
  logger: Logger;
}

const CANCEL_NOTICES: Record<CancelOutcome, string | undefined> = {
  cancelled: undefined, // the job's message itself says so
  stopping: 'Stopping your video…',
  'not-found': 'That video is no longer known here, so there is nothing to cancel.',
  'already-finished': 'That video has already finished.',
  'not-owner': 'Only the person who asked for this video can cancel it.',
};

/** The buttons under a job's message: Cancel, Reroll (same prompt and options, a new seed) and Delete. */
export class ButtonActions {
  constructor(private readonly deps: ButtonActionsDeps) {}

  async onButton(press: ButtonPress): Promise<void> {
    const log = this.deps.logger.child({ jobId: press.jobId, action: press.action });
    try {
      await this.handle(press);
    } catch (error) {
      log.error({ err: error }, 'button failed');
      await this.notice(press, 'Something went wrong on our side. Please try again in a minute.');
    }
  }

  private async handle(press: ButtonPress): Promise<void> {
    const userKey = userKeyOf(press.request);
    if (press.action === 'cancel') {
      const notice = CANCEL_NOTICES[await this.deps.canceller.cancel(press.jobId, userKey)];
      if (notice) await this.notice(press, notice);
      return;
    }
    const job = await this.deps.parts.generate.getJob(press.jobId);
    if (!job) return this.notice(press, 'That video is too old for this button. Send /video again.');
    const data = job.data;
    if (press.action === 'delete') {
      if (data.userKey !== userKey && !press.request.user.isModerator)
        return this.notice(press, 'Only the person who asked for this video, or a moderator, can delete it.');
      await this.deps.render(press.target, { kind: 'deleted', jobId: press.jobId });
      return;
    }
    const reroll: VideoRequest = {
      ...press.request,
      prompt: data.prompt,
      options: {
        quality: data.quality,
        ...(data.negativePrompt ? { negativePrompt: data.negativePrompt } : {}),
        ...(data.steps !== undefined ? { steps: data.steps } : {}),
        ...(data.guidance !== undefined ? { guidance: data.guidance } : {}),
      },
    };
    await this.deps.requestVideo(reroll, press.followUp ?? press.target);
  }

  private notice(press: ButtonPress, message: string): Promise<void> {
    return this.deps.render(press.target, { kind: 'notice', message });
  }
}
