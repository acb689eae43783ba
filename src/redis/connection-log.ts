import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type SafeError, safeError } from '../logging/index.ts';

/** While Redis stays unreachable, one reminder line this often. */
export const REDIS_DOWN_REMINDER_MS = 60_000;

/** Whether an error only says that Redis is down, refusing, or refusing us (a wrong password). */
export function connectionTrouble(error: SafeError): boolean {
  const codes = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)$/;
  if (error.code && codes.test(error.code)) return true;
  return /^(WRONGPASS|NOAUTH|LOADING)|Connection is closed|Stream isn't writeable/.test(error.message);
}

type LogTo = Pick<Logger, 'warn' | 'info'>;

/** What the connections that log to one logger know together: which of them are failing, since when. */
interface SharedState {
  failing: Set<object>;
  downSince: number;
  lastLineAt: number;
  failures: number;
  /** Errors of connections that are up, by message: when each was last logged. */
  lastSeen: Map<string, number>;
}

/** Per logger: a process's connections share its root logger, so an outage is one story per process. */
const states = new WeakMap<LogTo, SharedState>();

function stateOf(logger: LogTo): SharedState {
  let state = states.get(logger);
  if (!state) {
    state = { failing: new Set(), downSince: 0, lastLineAt: 0, failures: 0, lastSeen: new Map() };
    states.set(logger, state);
  }
  return state;
}

/** Options for {@link watchConnection}. */
export interface ConnectionLogOptions {
  /** Fields on every line (the connection's role). */
  fields?: Record<string, unknown>;
  reminderMs?: number;
  now?: () => number;
}

/**
 * Logs a connection's errors once per change of state instead of once per retry: ioredis emits
 * `'error'` on every failed reconnect (several a second, per connection). The connections that log
 * to the same logger (a process's) tell one story: the first failure among them is logged, then a
 * reminder every `reminderMs` while any still fails, then one line once all are ready again. An
 * error on a connection that is up is logged at most once per `reminderMs` for the same message.
 * Errors are reduced by safeError: no stack, no command arguments (AUTH's password).
 */
export function watchConnection(
  redis: Pick<Redis, 'on' | 'status'>,
  logger: LogTo,
  options: ConnectionLogOptions = {},
): void {
  const fields = options.fields ?? {};
  const reminderMs = options.reminderMs ?? REDIS_DOWN_REMINDER_MS;
  const now = options.now ?? Date.now;
  const state = stateOf(logger);

  redis.on('error', (err: unknown) => {
    const error = safeError(err);
    const at = now();
    if (redis.status === 'ready' && !connectionTrouble(error)) {
      const key = `${error.name}:${error.code ?? ''}:${error.message}`;
      if (at - (state.lastSeen.get(key) ?? Number.NEGATIVE_INFINITY) < reminderMs) return;
      if (state.lastSeen.size > 100) state.lastSeen.clear();
      state.lastSeen.set(key, at);
      logger.warn({ ...fields, error }, 'redis error');
      return;
    }
    state.failures++;
    if (state.failing.size === 0) {
      state.failing.add(redis);
      state.downSince = at;
      state.lastLineAt = at;
      logger.warn({ ...fields, error }, 'redis unreachable; retrying (logged again once a minute)');
      return;
    }
    state.failing.add(redis);
    if (at - state.lastLineAt >= reminderMs) {
      state.lastLineAt = at;
      const downForMs = at - state.downSince;
      logger.warn({ ...fields, error, downForMs, failures: state.failures }, 'redis still unreachable');
    }
  });
  const recovered = (ready: boolean) => {
    if (!state.failing.delete(redis) || state.failing.size > 0) return;
    if (ready) {
      const downForMs = now() - state.downSince;
      logger.info({ ...fields, downForMs, failures: state.failures }, 'redis reachable again');
    }
    state.failures = 0;
  };
  redis.on('ready', () => recovered(true));
  // A connection closed for good while failing (quit at shutdown) stops counting as down.
  redis.on('end', () => recovered(false));
}
