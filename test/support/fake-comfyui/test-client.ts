import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

/** A `/ws` message as a client reads it. */
export interface WsMessage {
  type: string;
  data: Record<string, unknown>;
}

/** A plain `ws` client of the fake, collecting what it hears (for the fake's own tests). */
export interface WsListener {
  messages: WsMessage[];
  binaries: Buffer[];
  closed: boolean;
  waitFor(check: (messages: WsMessage[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
}

export async function listen(url: string): Promise<WsListener> {
  const ws = new WebSocket(url);
  const listener: WsListener = {
    messages: [],
    binaries: [],
    closed: false,
    async waitFor(check, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!check(listener.messages)) {
        if (Date.now() > deadline)
          throw new Error(`timed out; heard ${listener.messages.map((m) => m.type)}`);
        await sleep(5);
      }
    },
    close: () => ws.close(),
  };
  ws.on('message', (raw: Buffer, isBinary: boolean) => {
    if (isBinary) listener.binaries.push(raw);
    else listener.messages.push(JSON.parse(raw.toString('utf8')) as WsMessage);
  });
  ws.on('close', () => {
    listener.closed = true;
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  await listener.waitFor((m) => m.some((x) => x.type === 'status'));
  return listener;
}

/** The shipped Wan2.2 TI2V 5B API graph, as a fresh copy. */
export function wanTemplate(): Record<string, { class_type: string; inputs: Record<string, unknown> }> {
  const file = fileURLToPath(new URL('../../../models/wan2.2-ti2v-5b/workflow-api.json', import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8'));
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

export async function getJson<T = Record<string, unknown>>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return (await res.json()) as T;
}
