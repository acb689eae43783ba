import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';

/** A message as the fake sent it, for assertions. */
export interface SentMessage {
  /** The socket's client id. */
  to: string;
  type: string;
  data: Record<string, unknown>;
}

/**
 * `/ws?clientId=` as server.py runs it: one socket per client id (a reconnect with the same id takes
 * the messages over; the old socket stays open but hears nothing more), a `status` message on connect,
 * and `send_sync(event, data, sid)`: to that client only, or to every socket when `sid` is null.
 */
export class Sockets {
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #byId = new Map<string, WebSocket>();
  readonly #all = new Set<WebSocket>();
  readonly sent: SentMessage[] = [];

  constructor(private readonly onConnect: (sid: string) => Record<string, unknown>[]) {}

  get connections(): number {
    return this.#byId.size;
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/ws' && url.pathname !== '/api/ws') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const sid = url.searchParams.get('clientId') || randomUUID().replaceAll('-', '');
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      this.#byId.set(sid, ws);
      this.#all.add(ws);
      ws.on('close', () => {
        this.#all.delete(ws);
        if (this.#byId.get(sid) === ws) this.#byId.delete(sid);
      });
      ws.on('error', () => undefined);
      for (const message of this.onConnect(sid)) {
        const { type, data } = message;
        if (typeof type === 'string') this.#deliver(sid, ws, type, data as Record<string, unknown>);
      }
    });
  }

  /** server.py `send_sync`: to `sid` alone, or to every client when it is null. */
  send(type: string, data: Record<string, unknown>, sid: string | null): void {
    if (sid === null) {
      for (const [id, ws] of this.#byId) this.#deliver(id, ws, type, data);
      return;
    }
    const ws = this.#byId.get(sid);
    if (ws) this.#deliver(sid, ws, type, data);
  }

  /** A binary frame (preview image) to one client. */
  sendBinary(bytes: Buffer, sid: string | null): void {
    const targets = sid === null ? [...this.#byId.values()] : [this.#byId.get(sid)];
    for (const ws of targets) if (ws?.readyState === ws?.OPEN) ws?.send(bytes);
  }

  /** Every socket cut, as when the server process dies. */
  dropAll(): void {
    for (const ws of this.#all) ws.terminate();
    this.#all.clear();
    this.#byId.clear();
  }

  #deliver(to: string, ws: WebSocket, type: string, data: Record<string, unknown>): void {
    if (ws.readyState !== ws.OPEN) return;
    this.sent.push({ to, type, data });
    ws.send(JSON.stringify({ type, data }));
  }
}
