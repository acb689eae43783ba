/** A refusal the Web API answers before a method runs. */
export interface Refusal {
  /** 429 for `ratelimited` (with Retry-After, which @slack/web-api waits out), else 200. */
  status: number;
  body: { ok: false; error: string };
  headers: Record<string, string>;
}

interface QueuedFault {
  method: string;
  error: string;
  retryAfter?: number;
  remaining: number;
}

/**
 * Decides whether a Web API call is refused before it runs: first the faults queued by `failNext`, then
 * the opt-in per-method rate limits (fixed windows per team, as Slack's tiers count per workspace).
 */
export class Faults {
  readonly #queued: QueuedFault[] = [];
  readonly #windows = new Map<string, { startedAt: number; used: number }>();

  constructor(private readonly limits: Record<string, { limit: number; windowMs: number }> = {}) {}

  failNext(method: string, answer: { error: string; retryAfter?: number }, times = 1): void {
    this.#queued.push({ method, ...answer, remaining: times });
  }

  /** A queued fault for this method, used up as it is answered. */
  takeQueued(method: string): Refusal | undefined {
    const fault = this.#queued.find((candidate) => candidate.method === method);
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#queued.splice(this.#queued.indexOf(fault), 1);
    return refusal(fault.error, fault.retryAfter);
  }

  /** Counts the call against its method's window in this team; a refusal when the window is spent. */
  takeRateLimit(method: string, teamId: string): Refusal | undefined {
    const limit = this.limits[method];
    if (!limit) return undefined;
    const now = Date.now();
    const key = `${method} ${teamId}`;
    let window = this.#windows.get(key);
    if (!window || now - window.startedAt >= limit.windowMs) {
      window = { startedAt: now, used: 0 };
      this.#windows.set(key, window);
    }
    window.used += 1;
    if (window.used <= limit.limit) return undefined;
    return refusal('ratelimited', Math.max(1, Math.ceil((window.startedAt + limit.windowMs - now) / 1000)));
  }
}

function refusal(error: string, retryAfter: number | undefined): Refusal {
  if (error !== 'ratelimited') return { status: 200, body: { ok: false, error }, headers: {} };
  return {
    status: 429,
    body: { ok: false, error },
    headers: { 'Retry-After': String(retryAfter ?? 1) },
  };
}
