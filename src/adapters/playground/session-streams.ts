import type { ServerResponse } from 'node:http';

const HEARTBEAT_MS = 15_000;

/** The open server-sent-event streams of each playground session (one per open tab). */
export class SessionStreams {
  private readonly streams = new Map<string, Set<ServerResponse>>();
  private readonly heartbeat = setInterval(() => {
    for (const set of this.streams.values()) for (const res of set) res.write(': keep-alive\n\n');
  }, HEARTBEAT_MS);

  constructor() {
    this.heartbeat.unref();
  }

  /** Starts an event stream on `res` for `session`; it ends when the client goes away. */
  open(session: string, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write('retry: 1000\n\n');
    const set = this.streams.get(session) ?? new Set();
    set.add(res);
    this.streams.set(session, set);
    res.on('close', () => {
      set.delete(res);
      if (set.size === 0) this.streams.delete(session);
    });
  }

  send(session: string, event: string, data: unknown, only?: ServerResponse): void {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of only ? [only] : (this.streams.get(session) ?? [])) res.write(frame);
  }

  closeAll(): void {
    clearInterval(this.heartbeat);
    for (const set of this.streams.values()) for (const res of set) res.end();
    this.streams.clear();
  }
}
