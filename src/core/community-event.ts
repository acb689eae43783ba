import type { TenantRef } from './video-request.ts';

/** A community's event as the platform announces it (Discord: a guild scheduled event). */
export interface CommunityEvent {
  tenant: TenantRef;
  /** The platform's id of the event. */
  eventId: string;
  name: string;
  description?: string;
  /** ms since the epoch. */
  startsAt: number;
  /** The event's page, for people to open. */
  url: string;
  /** Who made it, when the platform says. */
  creatorId?: string;
}

/** What happened to an event. */
export type CommunityEventChange =
  | { kind: 'created' | 'updated'; event: CommunityEvent }
  /** Deleted, cancelled or over: no teaser any more. */
  | { kind: 'ended'; tenant: TenantRef; eventId: string; why: 'deleted' | 'cancelled' | 'completed' };
