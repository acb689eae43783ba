import type { Logger } from 'pino';
import {
  type ClipIdentity,
  clipIdentityOf,
  effectiveQuality,
  type PromptModerator,
  seedlessFingerprint,
  type ValidationRules,
  validateRequest,
} from '../../src/admission/index.ts';
import type { WarmPrompt } from '../../src/config/index.ts';
import { PLATFORMS, type Platform, type QualityChoice } from '../../src/core/index.ts';
import type { TenantSettingsStore } from '../../src/tenants/index.ts';

/** A warm prompt as a request would ask for it, once admission's cleaning and defaults are applied. */
export interface WarmClipPlan {
  /** Its seedless fingerprint: the warm cache's key, shared by every matching request. */
  seedless: string;
  prompt: string;
  caption?: string;
  /** The quality a plain request renders at: as the entry names it, else the tenant's default. */
  quality: QualityChoice;
  /** 'global' or the tenant key it was configured for (logs). */
  source: string;
  /** The full identity of a clip rendered with `seed`, encoded within `uploadLimitBytes`. */
  identity(seed: number): ClipIdentity;
}

export interface WarmPlanDeps {
  rules: ValidationRules;
  moderator: PromptModerator;
  tenants: TenantSettingsStore<QualityChoice>;
  modelName: string;
  /** The upload limit warm clips are encoded within (CLIPBOT_MAX_UPLOAD_BYTES). */
  uploadLimitBytes: number;
  logger: Logger;
}

/**
 * Turns the configured warm prompts into the clips to keep warm: each cleaned and validated as
 * admission would, moderated (with its tenant's extra terms), at its tenant's default tier. Read
 * again every round, so a tenant's changed settings apply. Refused entries are logged once each.
 */
export class WarmPlanner {
  private readonly reported = new Set<string>();

  constructor(
    private readonly prompts: readonly WarmPrompt[],
    private readonly deps: WarmPlanDeps,
  ) {}

  async plan(): Promise<WarmClipPlan[]> {
    const plans = new Map<string, WarmClipPlan>();
    for (const entry of this.prompts) {
      const plan = await this.planOne(entry);
      // A tenant's prompt equal to a global one (same defaults) is the same clip: kept once.
      if (plan && !plans.has(plan.seedless)) plans.set(plan.seedless, plan);
    }
    return [...plans.values()];
  }

  private async planOne(entry: WarmPrompt): Promise<WarmClipPlan | undefined> {
    const { deps } = this;
    const source = entry.tenantKey ?? 'global';
    const tenant = entry.tenantKey ? await deps.tenants.get(entry.tenantKey) : undefined;
    if (tenant && !tenant.enabled) return undefined; // switched off: no request can match
    const checked = validateRequest(
      {
        requestId: 'warm',
        tenant: tenantRef(entry.tenantKey),
        user: { id: 'warm' },
        channelId: '',
        prompt: entry.prompt,
        options: {
          ...(entry.caption !== undefined ? { caption: entry.caption } : {}),
          ...(entry.quality !== undefined ? { quality: entry.quality } : {}),
        },
        receivedAt: Date.now(),
        uploadLimitBytes: deps.uploadLimitBytes,
      },
      deps.rules,
    );
    if (!checked.ok) return this.skip(entry, source, `invalid: ${checked.message}`);
    const { prompt, options } = checked.request;
    if (!deps.moderator.checkRequest(checked.request, tenant?.blocklist).allowed)
      return this.skip(entry, source, 'refused by moderation');
    const quality = effectiveQuality(entry.quality, options.quality, tenant?.defaultTier);
    const facts = {
      prompt,
      negativePrompt: '',
      quality,
      ...(options.caption ? { caption: options.caption } : {}),
    };
    const identity = (seed: number) =>
      clipIdentityOf({ ...facts, seed }, deps.modelName, deps.uploadLimitBytes);
    return {
      seedless: seedlessFingerprint(identity(0)),
      prompt,
      ...(options.caption ? { caption: options.caption } : {}),
      quality,
      source,
      identity,
    };
  }

  private skip(entry: WarmPrompt, source: string, why: string): undefined {
    const key = `${source}\n${entry.prompt}\n${why}`;
    if (!this.reported.has(key)) {
      this.reported.add(key);
      this.deps.logger.warn({ source, prompt: entry.prompt, why }, 'warm prompt skipped');
    }
    return undefined;
  }
}

function tenantRef(tenantKey: string | undefined): { platform: Platform; id: string } {
  const [platform, ...id] = (tenantKey ?? 'playground:playground').split(':');
  const known = PLATFORMS.find((p) => p === platform) ?? 'playground';
  return { platform: known, id: id.join(':') };
}
