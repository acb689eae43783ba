import type { ServerResponse } from 'node:http';

const HEARTBEAT_MS = 15_000;

/** Bounds on the playground's event streams. */
export interface StreamLimits {
  /** Open streams one client address (IPv6: one /64) may hold. */
  perAddress: number;
  /** Open streams in all. */
  total: number;
  /** Bytes a stream may have waiting to be sent, beyond its snapshot, before it is dropped. */
  maxBufferedBytes: number;
  /** How long a stream whose socket is full may take to drain before it is dropped. */
  drainTimeoutMs: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  perAddress: 8,
  total: 200,
  maxBufferedBytes: 128 * 1024,
  drainTimeoutMs: 15_000,
};

interface Stream {
  session: string;
  address: string;
  /** The snapshot's size: a large conversation may take a while to reach a healthy page. */
  allowance: number;
  drainTimer?: NodeJS.Timeout;
}

/**
 * The open server-sent-event streams of each playground session (one per open tab), within
 * {@link StreamLimits}. A reader that does not keep up is dropped rather than buffered for: the page
 * reconnects and gets a snapshot, so it loses nothing, and a client that never reads costs a bounded
 * amount of memory for a bounded time.
 */
export class SessionStreams {
  private readonly streams = new Map<ServerResponse, Stream>();
  private readonly bySession = new Map<string, Set<ServerResponse>>();
  private readonly perAddress = new Map<string, number>();
  private readonly heartbeat = setInterval(() => {
    for (const res of this.streams.keys()) this.write(res, ': keep-alive\n\n');
  }, HEARTBEAT_MS);

  constructor(private readonly limits: StreamLimits = DEFAULT_STREAM_LIMITS) {
    this.heartbeat.unref();
  }

  /**
   * Starts an event stream on `res` for `session`, which ends when the client goes away or falls
   * behind; send its {@link snapshot} next. Returns why it may not open instead (the caller answers
   * 429 with it) when `address` or everyone together holds too many.
   */
  open(session: string, address: string, res: ServerResponse): string | undefined {
    if ((this.perAddress.get(address) ?? 0) >= this.limits.perAddress)
      return `Too many open playground tabs from your address (${this.limits.perAddress} at most). Close one and reload.`;
    if (this.streams.size >= this.limits.total)
      return 'The playground has too many open connections right now. Try again in a minute.';
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    this.streams.set(res, { session, address, allowance: 0 });
    const set = this.bySession.get(session) ?? new Set();
    set.add(res);
    this.bySession.set(session, set);
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    res.on('close', () => this.forget(res));
    this.write(res, 'retry: 1000\n\n');
    return undefined;
  }

  /** The session's conversation as a stream's first event; it may take a while to reach a slow page. */
  snapshot(res: ServerResponse, data: unknown): void {
    const stream = this.streams.get(res);
    if (!stream) return;
    const text = frame('snapshot', data);
    stream.allowance = Buffer.byteLength(text);
    this.write(res, text);
  }

  send(session: string, event: string, data: unknown): void {
    const text = frame(event, data);
    for (const res of this.bySession.get(session) ?? []) this.write(res, text);
  }

  closeAll(): void {
    clearInterval(this.heartbeat);
    for (const res of [...this.streams.keys()]) res.end();
  }

  private write(res: ServerResponse, text: string): void {
    const stream = this.streams.get(res);
    if (!stream) return;
    if (res.writableLength > this.limits.maxBufferedBytes + stream.allowance) {
      this.drop(res);
      return;
    }
    if (res.write(text) || stream.drainTimer) return;
    stream.drainTimer = setTimeout(() => this.drop(res), this.limits.drainTimeoutMs);
    res.once('drain', () => {
      clearTimeout(stream.drainTimer);
      stream.drainTimer = undefined;
    });
  }

  /** Closes a stream that fell behind, freeing what was queued for it. */
  private drop(res: ServerResponse): void {
    res.destroy();
    this.forget(res);
  }

  private forget(res: ServerResponse): void {
    const stream = this.streams.get(res);
    if (!stream) return;
    clearTimeout(stream.drainTimer);
    this.streams.delete(res);
    const set = this.bySession.get(stream.session);
    set?.delete(res);
    if (set?.size === 0) this.bySession.delete(stream.session);
    const left = (this.perAddress.get(stream.address) ?? 1) - 1;
    if (left > 0) this.perAddress.set(stream.address, left);
    else this.perAddress.delete(stream.address);
  }
}

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
