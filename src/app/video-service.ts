import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  type AdmissionLimiter,
  type CachedClip,
  type CheckedImage,
  type ClipCache,
  checkStartImage,
  clipFingerprint,
  clipIdentityOf,
  effectiveQuality,
  type ImageModel,
  type LimitDecision,
  type PromptModerator,
  seedlessFingerprint,
  type ValidatedRequest,
  type ValidationRules,
  validateRequest,
  type WarmClip,
} from '../admission/index.ts';
import type { ArtifactStore } from '../artifacts/index.ts';
import {
  type GenerateJobData,
  type Platform,
  type QualityChoice,
  type Reply,
  type ReplyRecord,
  type ReplyTarget,
  type RequestHandler,
  randomSeed,
  type StoredImage,
  tenantKeyOf,
  userKeyOf,
  type VideoRequest,
} from '../core/index.ts';
import { joinedTargetsKey } from '../delivery/index.ts';
import {
  addFairJob,
  type FairOrder,
  queuePosition,
  type RunTimeAverage,
  type WorkerHeartbeats,
} from '../queue/index.ts';
import type { ReplyBook, RequestDedupe } from '../replies/index.ts';
import { type TenantSettingsStore, tenantRefusal } from '../tenants/index.ts';

export interface VideoServiceDeps {
  rules: ValidationRules;
  moderator: PromptModerator;
  limiter: AdmissionLimiter;
  /** Per-tenant settings: on/off, allowed channels, blocklist additions, limits, default tier. */
  tenants: TenantSettingsStore<QualityChoice>;
  cache: ClipCache;
  artifacts: ArtifactStore;
  generate: Queue<GenerateJobData>;
  fair: FairOrder;
  runTimes: RunTimeAverage;
  /** Each reply's request, for its buttons. */
  book: ReplyBook;
  /** Which workers are alive: with none, a queued reply says generation is down. */
  workers: WorkerHeartbeats;
  /** Redelivered requests are recognised and queued once. */
  dedupe: RequestDedupe;
  /** The connection the queue uses, for positions. */
  redis: Redis;
  show: (target: ReplyTarget, reply: Reply) => Promise<void>;
  modelName: string;
  /** Whether the model takes a start image, and its name for the refusal when it does not. */
  imageModel: ImageModel;
  logger: Logger;
  /** Redis key prefix shared with the delivery processor (joined requests). */
  keyPrefix: string;
  /** Counts requests answered by a clip rendered ahead (clipbot_warm_hits_total). */
  onWarmHit?: (platform: Platform) => void;
}

/**
 * The `/video` use case, the same for every adapter: recognise a redelivered request, check the
 * tenant's settings (switched off, allowed channels), validate, moderate (with the tenant's extra
 * terms), answer from the clip cache or join an identical job in flight (each costs a part of a
 * clip from the limits), apply the limits (the tenant's over the operator's), queue fairly, and
 * reply with the position. Every accepted request's facts are kept with its reply, so its buttons
 * work whatever answered it.
 */
export class VideoService implements Pick<RequestHandler, 'onVideoRequest'> {
  constructor(private readonly deps: VideoServiceDeps) {}

  async onVideoRequest(request: VideoRequest, target: ReplyTarget): Promise<void> {
    const log = this.deps.logger.child({ requestId: request.requestId, tenant: request.tenant.id });
    try {
      if (!(await this.deps.dedupe.firstTime(request.tenant.platform, 'request', request.requestId))) {
        log.info('redelivered request ignored');
        return;
      }
      await this.admit(request, target, log);
    } catch (error) {
      log.error({ err: error }, 'request failed');
      await this.deps.show(target, {
        kind: 'failed',
        jobId: request.requestId,
        message: 'Something went wrong on our side while queueing your video. Please try again in a minute.',
      });
    }
  }

  private async admit(request: VideoRequest, target: ReplyTarget, log: Logger): Promise<void> {
    const { deps } = this;
    const tenantKey = tenantKeyOf(request);
    // Before validation: a user in a switched-off tenant or channel should not fix their input first.
    const tenant = await deps.tenants.get(tenantKey);
    const closed = tenantRefusal(tenant, request.channelId);
    if (closed) return deps.show(target, { kind: 'refused', ...closed });
    const checked = validateRequest(request, deps.rules);
    if (!checked.ok)
      return deps.show(target, { kind: 'refused', reason: 'invalid-input', message: checked.message });
    const valid = checked.request;
    const moderation = deps.moderator.checkRequest(valid, tenant.blocklist);
    if (!moderation.allowed)
      return deps.show(target, { kind: 'refused', reason: 'blocked-prompt', message: moderation.message });
    const image = request.image ? await checkStartImage(request.image, deps.imageModel) : undefined;
    if (image && !image.ok)
      return deps.show(target, { kind: 'refused', reason: 'invalid-image', message: image.message });
    // Kept only once the request is admitted, so refused pictures take no room in Redis.
    const keepImage = async () => {
      if (image?.ok) await deps.artifacts.put(storedImageOf(image.image).key, image.image.bytes);
    };

    const quality = effectiveQuality(request.options?.quality, valid.options.quality, tenant.defaultTier);
    const facts = {
      ...requestFacts(valid, quality, tenantKey),
      ...(image?.ok ? { startImage: storedImageOf(image.image) } : {}),
    };
    const identity = clipIdentityOf(facts, deps.modelName, request.uploadLimitBytes);
    const fingerprint = clipFingerprint(identity);
    const share = { tenantId: tenantKey, userId: facts.userKey, limits: tenant.limits };
    // With no seed named, any seed will do: a clip rendered ahead for this prompt answers at once.
    const warm =
      valid.options.seed === undefined
        ? await deps.cache.warm.lookup(seedlessFingerprint(identity), request.uploadLimitBytes)
        : undefined;
    const warmAnswer = warm && (await this.answerWarm(warm, { ...facts, seed: warm.seed }, share, target));
    if (warmAnswer === 'answered') {
      deps.onWarmHit?.(request.tenant.platform);
      log.info({ jobId: warm?.clip.jobId }, 'answered from the warm cache');
    }
    if (warmAnswer === 'answered' || warmAnswer === 'refused') return;
    // A clip made (or being made) for an identical request is shared: it costs a part of a clip
    // from the limits (limiter.share), and nothing more is made.
    const known = await deps.cache.lookup(fingerprint);
    if (known.kind === 'done') {
      const bytes = await deps.artifacts.get(known.clip.artifactKey);
      if (bytes) {
        const allowed = await deps.limiter.share(share);
        if (!allowed.admitted) return this.refuse(target, allowed);
        await keepImage(); // for a reroll of this reply
        await this.answerFromCache(known.clip, bytes, facts, target);
        log.info({ fingerprint }, 'answered from the clip cache');
        return;
      }
      // Its bytes expired: the clip is made again, as a new job.
    }
    if (known.kind === 'in-flight') {
      const allowed = await deps.limiter.share(share);
      if (!allowed.admitted) return this.refuse(target, allowed);
      await keepImage();
      return this.join(known.jobId, facts, target);
    }

    const jobId = randomUUID();
    const eta = await deps.runTimes.etaMs(await deps.limiter.waitingCount(tenantKey));
    const decision = await deps.limiter.admit({
      tenantId: tenantKey,
      userId: facts.userKey,
      jobId,
      busyRetryMs: eta,
      limits: tenant.limits,
    });
    if (!decision.admitted) return this.refuse(target, decision);
    await keepImage();
    const owner = await deps.cache.claim(fingerprint, jobId, 3_600_000);
    if (owner !== jobId) {
      // An identical request claimed it in between: join that job and give the slots back (the
      // token stays spent; this race costs a whole clip, not a share).
      await deps.limiter.markFinished(jobId, tenantKey, facts.userKey);
      return this.join(owner, facts, target);
    }
    await deps.book.remember(target, { ...facts, jobId });
    const data: Omit<GenerateJobData, 'fairTag'> = {
      ...facts,
      uploadLimitBytes: request.uploadLimitBytes,
      target,
      fingerprint,
    };
    await addFairJob(deps.generate, deps.fair, { tenantKey, jobId, name: 'generate', data });
    log.info({ jobId, seed: facts.seed, quality }, 'queued');
    return this.replyQueued(jobId, target);
  }

  private refuse(target: ReplyTarget, decision: Extract<LimitDecision, { admitted: false }>): Promise<void> {
    return this.deps.show(target, {
      kind: 'refused',
      reason: decision.reason,
      message: decision.message,
      retryAt: decision.retryAt,
    });
  }

  /**
   * Answers with a warm clip as with a cached one: it costs a share of the limits, and a user over
   * them is refused. 'expired' when its bytes are gone: the request goes on as a miss.
   */
  private async answerWarm(
    warm: WarmClip,
    facts: Omit<ReplyRecord, 'jobId'>,
    share: Parameters<AdmissionLimiter['share']>[0],
    target: ReplyTarget,
  ): Promise<'answered' | 'refused' | 'expired'> {
    const bytes = await this.deps.artifacts.get(warm.clip.artifactKey);
    if (!bytes) return 'expired';
    const allowed = await this.deps.limiter.share(share);
    if (!allowed.admitted) {
      await this.refuse(target, allowed);
      return 'refused';
    }
    await this.answerFromCache(warm.clip, bytes, facts, target);
    return 'answered';
  }

  /** Shows a finished identical clip, whose `bytes` are still stored. */
  private async answerFromCache(
    clip: CachedClip,
    bytes: Buffer,
    facts: Omit<ReplyRecord, 'jobId'>,
    target: ReplyTarget,
  ): Promise<void> {
    await this.deps.book.remember(target, { ...facts, jobId: clip.jobId });
    await this.deps.show(target, {
      kind: 'done',
      jobId: clip.jobId,
      prompt: facts.prompt,
      clip: {
        bytes,
        artifactKey: clip.artifactKey,
        fileName: `clipbot-${facts.seed}.mp4`,
        seed: facts.seed,
        tier: clip.tier,
        ...(clip.fallback ? { fallback: clip.fallback } : {}),
        elapsedMs: 0,
      },
    });
  }

  /** Joins an identical job in flight: its clip is delivered to this target too. */
  private async join(jobId: string, facts: Omit<ReplyRecord, 'jobId'>, target: ReplyTarget): Promise<void> {
    await this.deps.book.remember(target, { ...facts, jobId });
    const key = joinedTargetsKey(this.deps.keyPrefix, jobId);
    await this.deps.redis
      .multi()
      .rpush(key, JSON.stringify(target))
      .pexpire(key, 24 * 3_600_000)
      .exec();
    return this.replyQueued(jobId, target);
  }

  private async replyQueued(jobId: string, target: ReplyTarget): Promise<void> {
    const [where, workers] = await Promise.all([
      queuePosition(this.deps.generate, this.deps.redis, jobId),
      this.deps.workers.alive(),
    ]);
    const position = where.state === 'waiting' ? where.position : 0;
    const etaMs = await this.deps.runTimes.etaMs(position);
    await this.deps.show(target, {
      kind: 'queued',
      jobId,
      position,
      etaMs,
      ...(workers === 0 ? { noWorker: true } : {}),
    });
  }
}

/** Where an admitted picture is kept: one key per content, so the same picture is stored once. */
function storedImageOf({ sha256, name, format, width, height }: CheckedImage): StoredImage {
  return { key: `image-${sha256}`, sha256, name, format, width, height };
}

/** What the queue, the cache and the buttons keep of a validated request. */
function requestFacts(
  valid: ValidatedRequest,
  quality: QualityChoice,
  tenantKey: string,
): Omit<ReplyRecord, 'jobId'> {
  const { options } = valid;
  return {
    requestId: valid.requestId,
    tenantKey,
    userKey: userKeyOf(valid),
    channelId: valid.channelId,
    prompt: valid.prompt,
    negativePrompt: options.negativePrompt ?? '',
    seed: options.seed ?? randomSeed(),
    ...(options.steps !== undefined ? { steps: options.steps } : {}),
    ...(options.guidance !== undefined ? { guidance: options.guidance } : {}),
    quality,
    private: options.private,
    ...(options.caption ? { caption: options.caption } : {}),
  };
}
