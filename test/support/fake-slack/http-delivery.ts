import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import type { FakeAck, FakeDelivery } from './types.ts';

/** One request into the app, before it is put on a transport. */
export interface Outgoing {
  kind: FakeDelivery['kind'];
  /** `trigger_id` or `event_id`. */
  id: string;
  /** Slash commands: the form fields; interactions: the `payload` JSON; events: the event body. */
  payload: Record<string, unknown>;
}

export interface Retry {
  num: number;
  reason: string;
}

/** `v0=` + HMAC-SHA256 of `v0:<timestamp>:<raw body>` (docs.slack.dev, "Verifying requests from Slack"). */
export function signature(signingSecret: string, timestampSec: number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${rawBody}`).digest('hex')}`;
}

/** The signed headers Slack sends with a body, for a timestamp (default: now). */
export function signedHeaders(
  signingSecret: string,
  rawBody: string,
  timestampSec = Math.floor(Date.now() / 1000),
): Record<string, string> {
  return {
    'X-Slack-Request-Timestamp': String(timestampSec),
    'X-Slack-Signature': signature(signingSecret, timestampSec, rawBody),
  };
}

/** The body and Content-Type Slack sends for each kind: forms for commands and interactions, JSON for events. */
export function encode(outgoing: Outgoing): { body: string; contentType: string } {
  if (outgoing.kind === 'events_api') {
    return { body: JSON.stringify(outgoing.payload), contentType: 'application/json' };
  }
  const form =
    outgoing.kind === 'slash_commands'
      ? new URLSearchParams(outgoing.payload as Record<string, string>)
      : new URLSearchParams({ payload: JSON.stringify(outgoing.payload) });
  // Bolt's receiver matches this Content-Type exactly: no charset.
  return { body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
}

/**
 * Slack's HTTP delivery: a signed POST to the app's Request URL, given up after the ack timeout
 * (Slack's 3 s), with X-Slack-Retry-Num / X-Slack-Retry-Reason on a redelivery.
 */
export class HttpDelivery {
  constructor(
    private readonly signingSecret: string,
    private readonly ackTimeoutMs: number,
  ) {}

  async deliver(appUrl: string, outgoing: Outgoing, retry?: Retry): Promise<FakeAck> {
    const { body, contentType } = encode(outgoing);
    const headers: Record<string, string> = {
      'Content-Type': contentType,
      'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...signedHeaders(this.signingSecret, body),
    };
    if (retry) {
      headers['X-Slack-Retry-Num'] = String(retry.num);
      headers['X-Slack-Retry-Reason'] = retry.reason;
    }
    return post(appUrl, body, headers, this.ackTimeoutMs);
  }
}

/**
 * POSTs on a fresh connection (`Connection: close`: the app's server keeps no idle socket from the fake
 * and stops at once) and resolves with the answer, or with a timeout.
 */
export function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<FakeAck> {
  const started = Date.now();
  return new Promise<FakeAck>((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent: false,
      headers: { ...headers, Connection: 'close', 'Content-Length': String(Buffer.byteLength(body)) },
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ status: 0, body: '', afterMs: Date.now() - started, timedOut: true });
    }, timeoutMs);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          afterMs: Date.now() - started,
          timedOut: false,
        });
      });
    });
    // After a timeout the destroyed request errors too; the promise is settled by then.
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(body);
  });
}
