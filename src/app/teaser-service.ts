import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  type CommunityEvent,
  type CommunityEventChange,
  type Platform,
  type PostPlace,
  type QualityChoice,
  type Reply,
  type ReplyHandle,
  type ReplyTarget,
  type RequestHandler,
  tenantKeyOf,
  type VideoRequest,
} from '../core/index.ts';
import type { JobCanceller } from '../jobs/index.ts';
import type { ReplyBook } from '../replies/index.ts';
import type { TenantSettingsStore } from '../tenants/index.ts';
import { teaserCaption, teaserPrompt } from './teaser-text.ts';

export interface TeaserServiceDeps {
  tenants: TenantSettingsStore<QualityChoice>;
  /** The adapter's post target (undefined: this bot process does not serve the platform). */
  postTarget: (
    platform: Platform,
    place: PostPlace,
  ) => { handle: ReplyHandle; uploadLimitBytes: number } | undefined;
  requestVideo: (request: VideoRequest, target: ReplyTarget) => Promise<void>;
  book: Pick<ReplyBook, 'record' | 'state' | 'ended'>;
  canceller: Pick<JobCanceller, 'cancel'>;
  /** Final states, in order after any pending edit of the message. */
  settle: (target: ReplyTarget, reply: Reply) => Promise<void>;
  redis: Redis;
  prefix: string;
  /** The longest prompt and caption the model's /video takes. */
  maxPromptLength: number;
  maxCaptionLength: number;
  logger: Logger;
}

/** What is kept of an event's teaser: its reply, and the text it was made from. */
interface TeaserRecord {
  target: ReplyTarget;
  text: string;
}

/** Teasers are remembered for about as long as replies are. */
const KEEP_MS = 14 * 24 * 3_600_000;

/**
 * Teasers for a community's events: a new event (where an admin chose a teaser channel) gets a clip
 * from its name and description, posted with its link and start time, through moderation, the
 * tenant's limits and the fair queue like any request. An event edited before its teaser is done
 * gets a new one from the new text (the old job cancelled, its message removed); a deleted or
 * cancelled event takes its teaser with it.
 */
export class TeaserService implements Pick<RequestHandler, 'onCommunityEvent'> {
  /** Each event's changes in arrival order: an edit right after the create waits for its teaser. */
  private readonly inOrder = new Map<string, Promise<void>>();

  constructor(private readonly deps: TeaserServiceDeps) {}

  onCommunityEvent(change: CommunityEventChange): Promise<void> {
    const tenant = change.kind === 'ended' ? change.tenant : change.event.tenant;
    const eventId = change.kind === 'ended' ? change.eventId : change.event.eventId;
    const tenantKey = tenantKeyOf({ tenant });
    const key = `${this.deps.prefix}:teaser:${tenantKey}:${eventId}`;
    const log = this.deps.logger.child({ tenant: tenantKey, eventId, change: change.kind });
    const next = (this.inOrder.get(key) ?? Promise.resolve()).then(() => this.apply(change, key, log));
    this.inOrder.set(key, next);
    void next.then(() => {
      if (this.inOrder.get(key) === next) this.inOrder.delete(key);
    });
    return next;
  }

  private async apply(change: CommunityEventChange, key: string, log: Logger): Promise<void> {
    try {
      const kept = await this.deps.redis.get(key);
      const record = kept === null ? undefined : (JSON.parse(kept) as TeaserRecord);
      if (change.kind === 'ended') {
        if (!record) return;
        await this.retire(record, log);
        await this.deps.redis.del(key);
        log.info({ why: change.why }, 'the event ended: its teaser is withdrawn');
        return;
      }
      const text = eventText(change.event);
      if (change.kind === 'created' && record) return; // a redelivered create
      if (change.kind === 'updated') {
        if (!record || record.text === text) return;
        if ((await this.deps.book.state(record.target)).ended) {
          log.info('the event changed after its teaser was posted: the teaser stays');
          return;
        }
        await this.retire(record, log);
        log.info('the event changed before its teaser was done: a new teaser from the new text');
      }
      const target = await this.start(change.event, log);
      if (target) await this.deps.redis.set(key, JSON.stringify({ target, text }), 'PX', KEEP_MS);
      else if (record) await this.deps.redis.del(key);
    } catch (error) {
      log.error({ err: error }, 'an event teaser failed');
    }
  }

  /** Asks for the event's teaser in the tenant's teaser channel; undefined when teasers are off. */
  private async start(event: CommunityEvent, log: Logger): Promise<ReplyTarget | undefined> {
    const settings = await this.deps.tenants.get(tenantKeyOf(event));
    if (settings.teaserChannel === undefined) return undefined;
    const place = { tenant: event.tenant, channelId: settings.teaserChannel, userId: event.creatorId };
    const post = this.deps.postTarget(event.tenant.platform, place);
    if (!post) return undefined;
    const version = Date.now().toString(36);
    const target: ReplyTarget = {
      platform: event.tenant.platform,
      kind: 'post',
      replyId: `t.${event.eventId}.${version}`,
      handle: post.handle,
      origin: { kind: 'event', name: event.name, url: event.url, startsAt: event.startsAt },
    };
    const request: VideoRequest = {
      requestId: `teaser.${event.eventId}.${version}`,
      tenant: event.tenant,
      user: { id: event.creatorId ?? `event-${event.eventId}` },
      channelId: settings.teaserChannel,
      prompt: teaserPrompt(event, this.deps.maxPromptLength),
      options: { caption: teaserCaption(event, settings.timeZone ?? 'UTC', this.deps.maxCaptionLength) },
      receivedAt: Date.now(),
      uploadLimitBytes: post.uploadLimitBytes,
    };
    await this.deps.requestVideo(request, target);
    log.info({ replyId: target.replyId, channelId: settings.teaserChannel }, 'event teaser requested');
    return target;
  }

  /** Cancels the teaser's job (when it still runs or waits) and removes its message. */
  private async retire(record: TeaserRecord, log: Logger): Promise<void> {
    const { target } = record;
    const facts = await this.deps.book.record(target.platform, target.replyId);
    if (facts) {
      const outcome = await this.deps.canceller.cancel(facts.jobId, facts.userKey);
      log.info({ jobId: facts.jobId, outcome }, 'teaser job cancelled');
    }
    // Ended first, so the job's own "cancelled" ending is not posted after the message is gone.
    await this.deps.book.ended(target);
    await this.deps.settle(target, { kind: 'deleted', jobId: facts?.jobId ?? target.replyId });
  }
}

/** What a teaser is made from: when it changes, the teaser is made again. */
function eventText(event: CommunityEvent): string {
  return JSON.stringify([event.name, event.description ?? '', event.startsAt]);
}
