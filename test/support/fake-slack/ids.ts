import { randomBytes } from 'node:crypto';

/**
 * Slack-shaped identifiers: an upper-case prefix (C channel, D DM, G group DM, F file, Fx function
 * execution, Wx workflow execution, Ev event) and base-36 digits, unique per prefix and increasing.
 */
export class Ids {
  readonly #counters = new Map<string, number>();
  #lastMicros = 0;

  next(prefix: string, width = 10): string {
    const count = (this.#counters.get(prefix) ?? 0) + 1;
    this.#counters.set(prefix, count);
    return `${prefix}${count.toString(36).toUpperCase().padStart(width, '0')}`;
  }

  /**
   * A message timestamp as Slack writes it (`"1733040000.000100"`: seconds and microseconds of the
   * post), strictly increasing so messages sort in posting order.
   */
  ts(): string {
    const micros = Math.max(Date.now() * 1000, this.#lastMicros + 100);
    this.#lastMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  /** A `trigger_id` like Slack's: `<digits>.<digits>.<32 hex>`. */
  triggerId(): string {
    return `${this.#digits(13)}.${this.#digits(12)}.${secret(16)}`;
  }

  #digits(length: number): string {
    const count = (this.#counters.get('#') ?? 0) + 1;
    this.#counters.set('#', count);
    return String(count).padStart(length, '1');
  }
}

/** Unguessable hex, for tokens, tickets and response URLs. */
export function secret(bytes = 12): string {
  return randomBytes(bytes).toString('hex');
}

/** Slack's timestamps for events and payloads: seconds and microseconds, as a string. */
export function eventTs(now = Date.now()): string {
  return (now / 1000).toFixed(6);
}
