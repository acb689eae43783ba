import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Outgoing, Retry } from './http-delivery.ts';
import { secret } from './ids.ts';
import type { FakeAck } from './types.ts';

/** How `dropSocket` ends connections: a close frame, a cut TCP connection, or Slack's `disconnect` message. */
export type DropMode = 'close' | 'terminate' | 'refresh_requested';

interface Pending {
  started: number;
  resolve(ack: FakeAck): void;
  timer: NodeJS.Timeout;
}

/**
 * Socket Mode (docs.slack.dev, "Using Socket Mode"): `apps.connections.open` hands out a one-time
 * ticket URL; a connection gets `hello`, then envelopes `{ envelope_id, type, payload,
 * accepts_response_payload }` that the app acks with `{ envelope_id, payload? }`. The server pings;
 * `ws` answers the client's pings. An envelope goes to the newest open connection.
 */
export class SocketMode {
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #tickets = new Set<string>();
  readonly #sockets: WebSocket[] = [];
  readonly #pending = new Map<string, Pending>();
  readonly #pings = new Map<WebSocket, NodeJS.Timeout>();

  constructor(
    private readonly appId: string,
    private readonly pingIntervalMs: number,
    private readonly ackTimeoutMs: number,
    private readonly origin: () => string,
  ) {}

  /** Open connections that have been sent `hello`. */
  get connections(): number {
    return this.#sockets.length;
  }

  /** A fresh single-use URL, as `apps.connections.open` returns it. */
  ticketUrl(): string {
    const ticket = secret();
    this.#tickets.add(ticket);
    return `ws://${this.origin().slice('http://'.length)}/socket?ticket=${ticket}&app_id=${this.appId}`;
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/socket' || !this.#tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws));
  }

  /** Sends one envelope and resolves with the ack (or a timeout after Slack's 3 s). */
  async deliver(outgoing: Outgoing, retry?: Retry): Promise<FakeAck> {
    const ws = this.#sockets.at(-1);
    if (!ws) {
      throw new Error(
        'fake-slack: no Socket Mode connection is open (Slack would tell the user dispatch_failed)',
      );
    }
    const envelopeId = randomUUID();
    const envelope: Record<string, unknown> = {
      envelope_id: envelopeId,
      type: outgoing.kind,
      payload: outgoing.payload,
      accepts_response_payload: outgoing.kind === 'slash_commands',
    };
    if (outgoing.kind === 'events_api') {
      envelope.retry_attempt = retry?.num ?? 0;
      envelope.retry_reason = retry?.reason ?? '';
    }
    return new Promise<FakeAck>((resolve) => {
      const started = Date.now();
      const timer = setTimeout(() => {
        this.#pending.delete(envelopeId);
        resolve({ status: 0, body: '', afterMs: Date.now() - started, timedOut: true });
      }, this.ackTimeoutMs);
      this.#pending.set(envelopeId, { started, resolve, timer });
      ws.send(JSON.stringify(envelope));
    });
  }

  drop(mode: DropMode): void {
    for (const ws of [...this.#sockets]) {
      this.#forget(ws);
      if (mode === 'terminate') ws.terminate();
      else if (mode === 'close') ws.close(1001, 'fake-slack: connection dropped');
      else
        ws.send(JSON.stringify({ type: 'disconnect', reason: mode, debug_info: { host: 'applink-fake' } }));
    }
  }

  async close(): Promise<void> {
    const closing = [...this.#wss.clients].map(
      (ws) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => ws.terminate(), 500);
          ws.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          ws.close(1001, 'fake-slack: stopping');
        }),
    );
    for (const ws of [...this.#sockets]) this.#forget(ws);
    await Promise.all(closing);
    for (const pending of this.#pending.values()) clearTimeout(pending.timer);
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #accept(ws: WebSocket): void {
    this.#sockets.push(ws);
    ws.on('close', () => this.#forget(ws));
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => {
      if (!isBinary) this.#acked(data.toString());
    });
    const ping = setInterval(() => ws.ping(), this.pingIntervalMs);
    this.#pings.set(ws, ping);
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.#sockets.length,
        debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 3600 },
        connection_info: { app_id: this.appId },
      }),
    );
  }

  #acked(text: string): void {
    let ack: { envelope_id?: unknown; payload?: unknown };
    try {
      ack = JSON.parse(text);
    } catch {
      return;
    }
    const pending = typeof ack.envelope_id === 'string' ? this.#pending.get(ack.envelope_id) : undefined;
    if (!pending) return;
    this.#pending.delete(ack.envelope_id as string);
    clearTimeout(pending.timer);
    const payload = ack.payload ?? {};
    const empty = typeof payload === 'object' && payload !== null && Object.keys(payload).length === 0;
    pending.resolve({
      status: 200,
      body: empty ? '' : JSON.stringify(payload),
      afterMs: Date.now() - pending.started,
      timedOut: false,
    });
  }

  #forget(ws: WebSocket): void {
    const index = this.#sockets.indexOf(ws);
    if (index >= 0) this.#sockets.splice(index, 1);
    clearInterval(this.#pings.get(ws));
    this.#pings.delete(ws);
  }
}
