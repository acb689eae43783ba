import type { Logger } from 'pino';
import type { ArtifactStore } from '../artifacts/index.ts';
import {
  type AttachedImage,
  type ButtonPress,
  ImageUnavailableError,
  type NoticeTarget,
  type Reply,
  type ReplyRecord,
  type ReplyTarget,
  type StoredImage,
  tenantKeyOf,
  userKeyOf,
  type VideoRequest,
} from '../core/index.ts';
import type { CancelOutcome, JobCanceller } from '../jobs/index.ts';
import type { ReplyBook, RequestDedupe } from '../replies/index.ts';

export interface ButtonActionsDeps {
  canceller: JobCanceller;
  book: ReplyBook;
  dedupe: RequestDedupe;
  /** The /video use case, which a reroll goes through like any request (limits included). */
  requestVideo: (request: VideoRequest, target: ReplyTarget) => Promise<void>;
  /** Where admission kept the pictures clips start from: a reroll starts from the same one. */
  artifacts: ArtifactStore;
  /** Shows a state in a reply's message (final states at once). */
  show: (target: ReplyTarget, reply: Reply) => Promise<void>;
  /** Answers the presser alone. */
  notify: (to: NoticeTarget, message: string) => Promise<void>;
  logger: Logger;
}

const CANCEL_NOTICES: Record<CancelOutcome, string | undefined> = {
  cancelled: undefined, // the job's message itself says so
  stopping: 'Stopping your video…',
  'not-found': 'That video is no longer known here, so there is nothing to cancel.',
  'already-finished': 'That video has already finished.',
  'not-owner': 'Only the person who asked for this video can cancel it.',
};
/** What a moderator is told when they stop someone else's running video. */
const STOPPING_FOR_SOMEONE = 'Stopping that video…';

const TOO_OLD = 'That video is too old for this button. Send /video again.';
const NOT_YOURS_TO_REROLL =
  'You can reroll your own videos, and public ones in the channel they were posted in.';

/**
 * The buttons under a reply: Cancel, Reroll (same prompt and options, a new seed) and Delete. A
 * button names its reply; the reply's record (kept by admission for queued, joined and cached
 * answers alike) says which job and whose request it is. Answers go to the presser alone.
 */
export class ButtonActions {
  constructor(private readonly deps: ButtonActionsDeps) {}

  async onButton(press: ButtonPress): Promise<void> {
    const log = this.deps.logger.child({ replyId: press.message.replyId, action: press.action });
    try {
      if (!(await this.deps.dedupe.firstTime(press.message.platform, 'press', press.pressId))) {
        log.info('redelivered button press ignored');
        return;
      }
      await this.handle(press);
    } catch (error) {
      log.error({ err: error }, 'button failed');
      await this.deps.notify(
        press.notices,
        'Something went wrong on our side. Please try again in a minute.',
      );
    }
  }

  private async handle(press: ButtonPress): Promise<void> {
    const record = await this.deps.book.record(press.message.platform, press.message.replyId);
    if (!record) return this.deps.notify(press.notices, TOO_OLD);
    const presserKey = userKeyOf(press.presser);
    switch (press.action) {
      case 'cancel':
        return this.cancel(press, record, presserKey);
      case 'delete':
        if (record.userKey !== presserKey && !isModeratorOf(press, record))
          return this.deps.notify(
            press.notices,
            'Only the person who asked for this video, or a moderator, can delete it.',
          );
        return this.deps.show(press.message, { kind: 'deleted', jobId: record.jobId });
      case 'reroll':
        // A reroll shows the presser the reply's prompt: only for a reply they could see already.
        if (!couldSee(press, record, presserKey)) return this.deps.notify(press.notices, NOT_YOURS_TO_REROLL);
        return this.deps.requestVideo(reroll(press, record, this.deps.artifacts), press.followUp);
    }
  }

  /**
   * Cancel, by the reply's requester or by a moderator of the tenant the reply was asked in.
   *
   * A moderator's Cancel does what the reply's own requester's Cancel would do, never more: a
   * moderator manages the requests made in their server, not a job other people's requests joined
   * (an identical request from anywhere, even another server, may share one job). So on a reply
   * that joined someone else's job it takes that reply out (the job goes on for its owner and the
   * other replies that joined it); on the reply of the job's own request it cancels the job, as
   * that requester could (the replies that joined it end cancelled with it, as they do then).
   */
  private async cancel(press: ButtonPress, record: ReplyRecord, presserKey: string): Promise<void> {
    const own = record.userKey === presserKey;
    if (!own && !isModeratorOf(press, record))
      return this.deps.notify(press.notices, CANCEL_NOTICES['not-owner'] as string);
    if (!own)
      this.deps.logger.info(
        {
          replyId: press.message.replyId,
          jobId: record.jobId,
          moderator: presserKey,
          requester: record.userKey,
        },
        'a moderator cancelled a video',
      );
    const outcome = await this.deps.canceller.cancel(record.jobId, record.userKey);
    if (outcome === 'not-owner') {
      // This reply joined someone else's identical job: it leaves that job, which goes on for them.
      return this.deps.show(press.message, { kind: 'cancelled', jobId: record.jobId });
    }
    const notice = outcome === 'stopping' && !own ? STOPPING_FOR_SOMEONE : CANCEL_NOTICES[outcome];
    if (notice) await this.deps.notify(press.notices, notice);
  }
}

/** The presser moderates the tenant the reply was asked in: a server's moderators have no say in another. */
function isModeratorOf(press: ButtonPress, record: ReplyRecord): boolean {
  return press.presser.user.isModerator === true && tenantKeyOf(press.presser) === record.tenantKey;
}

/**
 * Whether the presser could see the reply's request: they asked for it, or it was public in the
 * channel they pressed in (a press names its reply, so it could come from anywhere).
 */
function couldSee(press: ButtonPress, record: ReplyRecord, presserKey: string): boolean {
  if (record.userKey === presserKey) return true;
  // A record kept before replies knew their channel has none: only its requester may reroll it.
  return (
    !record.private &&
    tenantKeyOf(press.presser) === record.tenantKey &&
    record.channelId === press.presser.channelId
  );
}

/** The same prompt and options as the pressed reply's request, with a new seed, asked by the presser. */
function reroll(press: ButtonPress, record: ReplyRecord, artifacts: ArtifactStore): VideoRequest {
  const request: VideoRequest = {
    requestId: press.pressId,
    tenant: press.presser.tenant,
    user: press.presser.user,
    channelId: press.presser.channelId,
    prompt: record.prompt,
    options: {
      quality: record.quality,
      private: record.private,
      ...(record.negativePrompt ? { negativePrompt: record.negativePrompt } : {}),
      ...(record.caption ? { caption: record.caption } : {}),
      ...(record.steps !== undefined ? { steps: record.steps } : {}),
      ...(record.guidance !== undefined ? { guidance: record.guidance } : {}),
    },
    receivedAt: press.receivedAt,
    uploadLimitBytes: press.presser.uploadLimitBytes,
    ...(record.startImage ? { image: keptImage(record.startImage, artifacts) } : {}),
  };
  // A press from another tenant than the reply's (impossible on one platform) would bill the wrong one.
  if (tenantKeyOf(request) !== record.tenantKey) throw new Error('button pressed outside its tenant');
  return request;
}

/** The picture a reply's clip started from, read back from where admission kept it. */
function keptImage(image: StoredImage, artifacts: ArtifactStore): AttachedImage {
  return {
    name: image.name,
    read: async () => {
      const bytes = await artifacts.get(image.key);
      if (!bytes)
        throw new ImageUnavailableError(
          'The picture this video started from is no longer kept, so I cannot reroll it. Send /video again with the picture attached.',
        );
      return bytes;
    },
  };
}
