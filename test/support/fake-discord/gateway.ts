import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { guildCreatePayload, selfUserPayload } from './payloads.ts';
import { scheduledEventPayload, visibleScheduledEvents } from './scheduled-events.ts';
import type { FakeState } from './state.ts';

/** Dispatches kept per session for RESUME to replay. */
const REPLAY_BUFFER = 1000;
/** Close codes after which Discord offers no resume (discord-api-docs, "Gateway Close Event Codes"). */
const SESSION_ENDING_CODES = new Set([1000, 1001, 4004, 4007, 4009, 4010, 4011, 4012, 4013, 4014]);

interface Session {
  id: string;
  /** The IDENTIFY's intents bitfield; a RESUME keeps them. */
  intents: number;
  seq: number;
  sent: { s: number; frame: string }[];
  socket?: WebSocket;
}

interface Connection {
  session?: Session;
  /** Closed by the fake (dropGateway): the session stays resumable whatever code comes back. */
  dropped: boolean;
}

/**
 * Gateway v10 over plain JSON (no compression): HELLO, IDENTIFY → READY + one GUILD_CREATE per guild,
 * heartbeats, dispatches with per-session sequence numbers, and RESUME replaying what was missed.
 */
export class Gateway {
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #sessions = new Map<string, Session>();
  readonly #connections = new Map<WebSocket, Connection>();

  constructor(
    private readonly token: string,
    private readonly heartbeatIntervalMs: number,
    private readonly state: FakeState,
    private readonly url: () => string,
  ) {}

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws, url.searchParams));
  }

  /**
   * Sends one dispatch to every identified session (buffered for replay), or only to those that
   * identified with `intent`; resolves once written. Every session is in every guild of the fake.
   */
  async dispatch(event: string, data: unknown, intent?: number): Promise<void> {
    const writes = [...this.#sessions.values()]
      .filter((session) => intent === undefined || (session.intents & intent) !== 0)
      .map((session) => this.#send(session, event, data));
    await Promise.all(writes);
  }

  /** Closes every connection as Discord does when it restarts a gateway node; sessions stay resumable. */
  drop(code: number): void {
    for (const [ws, connection] of this.#connections) {
      connection.dropped = true;
      if (connection.session && SESSION_ENDING_CODES.has(code)) this.#sessions.delete(connection.session.id);
      ws.close(code, 'fake-discord: gateway dropped');
    }
  }

  async close(): Promise<void> {
    const closing = [...this.#connections.keys()].map(
      (ws) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => ws.terminate(), 500);
          ws.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          ws.close(1001, 'fake-discord: stopping');
        }),
    );
    await Promise.all(closing);
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #accept(ws: WebSocket, query: URLSearchParams): void {
    const connection: Connection = { dropped: false };
    this.#connections.set(ws, connection);
    ws.on('close', (code) => {
      this.#connections.delete(ws);
      const session = connection.session;
      if (!session || session.socket !== ws) return;
      session.socket = undefined;
      if (!connection.dropped && SESSION_ENDING_CODES.has(code)) this.#sessions.delete(session.id);
    });
    ws.on('error', () => ws.terminate());
    if (query.get('v') !== '10') {
      ws.close(4012, 'Invalid API version');
      return;
    }
    if ((query.get('encoding') ?? 'json') !== 'json' || query.has('compress')) {
      ws.close(4002, 'fake-discord speaks uncompressed JSON only');
      return;
    }
    ws.on('message', (data, isBinary) => this.#receive(ws, connection, isBinary ? null : data.toString()));
    ws.send(frame(10, { heartbeat_interval: this.heartbeatIntervalMs, _trace: ['["fake-discord",{}]'] }));
  }

  #receive(ws: WebSocket, connection: Connection, text: string | null): void {
    let payload: { op?: unknown; d?: Record<string, unknown> | null };
    try {
      payload = JSON.parse(text ?? '');
    } catch {
      ws.close(4002, 'Error while decoding payload.');
      return;
    }
    const d = payload.d ?? {};
    const authenticating = payload.op === 2 || payload.op === 6;
    if (payload.op === 1) {
      ws.send(frame(11, null));
    } else if (authenticating && connection.session) {
      ws.close(4005, 'Already authenticated.');
    } else if (authenticating && d.token !== this.token) {
      ws.close(4004, 'Authentication failed.');
    } else if (payload.op === 2) {
      if (typeof d.intents === 'number') this.#identify(ws, connection, d.intents);
      else ws.close(4013, 'Invalid intent(s).');
    } else if (payload.op === 6) {
      this.#resume(ws, connection, String(d.session_id), Number(d.seq));
    } else if (payload.op === 3 || payload.op === 4 || payload.op === 8) {
      // Presence, voice state and member requests: accepted, nothing to answer in this fake.
      if (!connection.session) ws.close(4003, 'Not authenticated.');
    } else {
      ws.close(4001, 'Unknown opcode.');
    }
  }

  #identify(ws: WebSocket, connection: Connection, intents: number): void {
    const session: Session = { id: randomBytes(16).toString('hex'), intents, seq: 0, sent: [], socket: ws };
    this.#sessions.set(session.id, session);
    connection.session = session;
    const guilds = [...this.state.guilds.values()];
    void this.#send(session, 'READY', {
      v: 10,
      user: selfUserPayload(this.state),
      user_settings: {},
      guilds: guilds.map((guild) => ({ id: guild.id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.url(),
      shard: [0, 1],
      application: { id: this.state.applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      auth: {},
      _trace: ['["fake-discord",{}]'],
    });
    for (const guild of guilds) {
      const events = visibleScheduledEvents(this.state, guild.id).map((event) =>
        scheduledEventPayload(this.state, event),
      );
      void this.#send(session, 'GUILD_CREATE', guildCreatePayload(this.state, guild, events));
    }
  }

  #resume(ws: WebSocket, connection: Connection, sessionId: string, seq: number): void {
    const session = this.#sessions.get(sessionId);
    const oldest = session?.sent[0]?.s ?? (session ? session.seq + 1 : 0);
    if (!session || !Number.isInteger(seq) || seq > session.seq || seq + 1 < oldest) {
      // Not resumable: the client must identify again.
      ws.send(frame(9, false));
      return;
    }
    if (session.socket && session.socket !== ws) session.socket.close(4000, 'Session resumed elsewhere');
    session.socket = ws;
    connection.session = session;
    for (const sent of session.sent) if (sent.s > seq) ws.send(sent.frame);
    void this.#send(session, 'RESUMED', { _trace: ['["fake-discord",{}]'] });
  }

  #send(session: Session, event: string, data: unknown): Promise<void> {
    session.seq += 1;
    const text = JSON.stringify({ op: 0, t: event, s: session.seq, d: data });
    session.sent.push({ s: session.seq, frame: text });
    if (session.sent.length > REPLAY_BUFFER) session.sent.shift();
    const socket = session.socket;
    if (!socket || socket.readyState !== socket.OPEN) return Promise.resolve();
    return new Promise((resolve) => socket.send(text, () => resolve()));
  }
}

function frame(op: number, d: unknown): string {
  return JSON.stringify({ op, d, s: null, t: null });
}
