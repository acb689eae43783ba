import type { AttachedImage } from './attached-image.ts';

/** Where a request came from. A tenant is a Discord guild, a Slack workspace or the playground. */
export const PLATFORMS = ['discord', 'slack', 'playground'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface TenantRef {
  platform: Platform;
  /** Guild id, workspace (team) id, or "playground". DMs use "dm:<userId>". */
  id: string;
}

export interface Requester {
  /** The platform's user id. */
  id: string;
  displayName?: string;
  /**
   * Members allowed to cancel and delete other people's jobs in this tenant (Discord: Manage
   * Messages). Unset: no.
   */
  isModerator?: boolean;
  /**
   * Members allowed to change the tenant's settings (/video-admin; Discord: Manage Server). The
   * adapter fills it from the platform's permissions; the core checks it again on every change.
   */
  isAdmin?: boolean;
}

/** Who asks, and where: the platform's part of a command that makes no clip (/video-queue, /video-admin). */
export interface Asker {
  tenant: TenantRef;
  user: Requester;
  channelId: string;
}

/**
 * Quality the user asks for: `auto` lets the worker pick the best tier that fits, any other value
 * names one of the model's tiers. The names on offer come from the model, through the /video
 * definition (commands/video.ts); admission refuses names the model lacks.
 */
// `string & {}` keeps 'auto' visible to editors without narrowing what a tier may be called.
export type QualityChoice = 'auto' | (string & {});

/** Options as the user typed them, before admission validates them. */
export interface VideoOptions {
  negativePrompt?: string;
  seed?: number;
  steps?: number;
  guidance?: number;
  quality?: QualityChoice;
  /** Only the requester sees the reply (Discord ephemeral, Slack ephemeral). */
  private?: boolean;
  /** Text burned into the bottom of the clip ("Happy birthday, Sam!"). */
  caption?: string;
}

/** One `/video` request, the same shape from every adapter. */
export interface VideoRequest {
  /** Unique per platform event, so a redelivered event is recognised. */
  requestId: string;
  tenant: TenantRef;
  user: Requester;
  channelId: string;
  prompt: string;
  options: VideoOptions;
  /** ms since the epoch. */
  receivedAt: number;
  /** The largest upload the platform accepts for this reply, in bytes. */
  uploadLimitBytes: number;
  /** A picture to start the clip from (image to video), for models that take one. */
  image?: AttachedImage;
}

/** A tenant's key in limits, settings and job data: `platform:tenantId`. */
export function tenantKeyOf(request: Pick<VideoRequest, 'tenant'>): string {
  return `${request.tenant.platform}:${request.tenant.id}`;
}

/**
 * A user's key in limits and job ownership: `platform:userId`, one person across the platform's
 * tenants. Cancel and Delete compare it with the key the job was queued under.
 */
export function userKeyOf(request: Pick<VideoRequest, 'tenant' | 'user'>): string {
  return `${request.tenant.platform}:${request.user.id}`;
}
