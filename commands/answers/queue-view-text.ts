import type { NextClipView, QueuedJobView, QueueView, TimeFormatter } from '../../src/core/index.ts';
import { capped, count, perPeriod, quoted, setHere, tenantWords, thisPeriod } from './words.ts';

/** Jobs listed one by one; more are counted. Users have one at a time by default. */
const MAX_JOBS_LISTED = 10;

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th'}`;
}

function jobLine(job: QueuedJobView, time: (at: number) => string): string {
  const where = job.elsewhere ? ' (asked elsewhere)' : '';
  if (job.state === 'waiting')
    return `• ${quoted(job.prompt)}${where}: waiting, ${ordinal(job.position)} in line; done: ${time(job.etaAt)}`;
  const progress =
    job.totalSteps > 0
      ? `step ${job.step}/${job.totalSteps}${job.tier ? ` at ${job.tier}` : ''}`
      : 'starting';
  return `• ${quoted(job.prompt)}${where}: rendering, ${progress}; done: ${time(job.etaAt)}`;
}

function nextClipLine(view: QueueView, time: (at: number) => string): string {
  const next: NextClipView = view.nextClip;
  const { limits } = view;
  const here = tenantWords(view.tenant);
  switch (next.kind) {
    case 'now':
      return 'Your next clip: now.';
    case 'closed':
      return next.reason === 'disabled'
        ? `Your next clip: not here; video making is switched off in ${here}.`
        : 'Your next clip: not in this channel; try one the admins have allowed.';
    case 'later': {
      const why: Record<typeof next.reason, string> = {
        'user-busy': `after your video in the queue; ${count(limits.maxActivePerUser.value, 'video')} at a time`,
        'user-rate-limit': `you have used your ${count(limits.userClips.value, 'clip')} for ${thisPeriod(limits.userIntervalMs.value)}`,
        'tenant-rate-limit': `${here} has used its ${count(limits.tenantClips.value, 'clip')} for ${thisPeriod(limits.tenantIntervalMs.value)}`,
        'tenant-queue-full': `${here} already has ${count(limits.maxWaitingPerTenant.value, 'video')} waiting`,
        'queue-full': 'the queue is full',
      };
      return `Your next clip: ${time(next.at)} (${why[next.reason]}).`;
    }
  }
}

/**
 * /video-queue's answer in plain text (a few lines, at most 2,000 characters): the asker's jobs
 * with position or progress and when each should be done, the tenant's waiting count, its limits
 * (marked where the tenant set its own), the clips left and when the next clip is allowed. Times go
 * through `formatTime`, the platform's (Discord `<t:…:R>`, the playground "14:05 UTC"), so each line
 * reads "label: time" whatever the platform writes.
 */
export function queueViewText(view: QueueView, formatTime: TimeFormatter): string {
  const time = (at: number) => formatTime(at, view.now);
  const { limits } = view;
  const here = tenantWords(view.tenant);
  const lines: string[] = [];
  if (view.jobs.length === 0) lines.push('You have no videos in the queue.');
  else {
    lines.push(`Your videos (${view.jobs.length}):`);
    for (const job of view.jobs.slice(0, MAX_JOBS_LISTED)) lines.push(jobLine(job, time));
    if (view.jobs.length > MAX_JOBS_LISTED) lines.push(`…and ${view.jobs.length - MAX_JOBS_LISTED} more.`);
  }
  if (view.noWorker) lines.push('No worker is running right now: waiting videos start when one is back.');
  const { tenantClips, tenantIntervalMs, userClips, userIntervalMs, maxActivePerUser, maxWaitingPerTenant } =
    limits;
  lines.push(
    `Waiting in ${here}: ${count(view.tenantWaiting, 'video')} (at most ${maxWaitingPerTenant.value}${maxWaitingPerTenant.own ? ', set here' : ''}).`,
  );
  lines.push(
    `Limits in ${here}: ${count(tenantClips.value, 'clip')} ${perPeriod(tenantIntervalMs.value)} for everyone together${setHere(tenantClips, tenantIntervalMs)}; ` +
      `${userClips.value} ${perPeriod(userIntervalMs.value)} per person${setHere(userClips, userIntervalMs)}; ` +
      `${count(maxActivePerUser.value, 'video')} in the queue at once per person${setHere(maxActivePerUser)}.`,
  );
  lines.push(
    `Clips left: ${view.clipsLeft.user} of ${limits.userClips.value} for you, ` +
      `${view.clipsLeft.tenant} of ${limits.tenantClips.value} for everyone.`,
  );
  lines.push(nextClipLine(view, time));
  return capped(lines.join('\n'));
}
