import type { PlaygroundMessage } from '../../src/adapters/playground/index.ts';

/** The session's messages, as a page that connects gets them: the event stream's first snapshot. */
export async function playgroundSnapshot(
  base: string,
  session: string,
  headers: Record<string, string> = {},
): Promise<PlaygroundMessage[]> {
  const abort = new AbortController();
  const response = await fetch(new URL(`/api/events?session=${session}`, base), {
    signal: abort.signal,
    headers,
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the event stream ended before its snapshot (${response.status})`);
      text += decoder.decode(value, { stream: true });
      const frame = /event: snapshot\ndata: (.*)\n\n/.exec(text);
      if (frame) return (JSON.parse(frame[1] as string) as { messages: PlaygroundMessage[] }).messages;
    }
  } finally {
    abort.abort();
  }
}

/** POSTs JSON to the playground as `session`; resolves to the response. */
export function playgroundPost(
  base: string,
  session: string,
  path: string,
  body: unknown,
): Promise<Response> {
  return fetch(new URL(path, base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-clipbot-session': session },
    body: JSON.stringify(body),
  });
}

/** Uploads a picture's bytes as `session`, as the page does before it sends the line. */
export function playgroundUpload(
  base: string,
  session: string,
  name: string,
  bytes: Uint8Array,
): Promise<Response> {
  return fetch(new URL(`/api/images?name=${encodeURIComponent(name)}`, base), {
    method: 'POST',
    headers: { 'x-clipbot-session': session },
    body: new Uint8Array(bytes), // a copy on its own ArrayBuffer, which fetch's types ask for
  });
}

/** The session's message `id` once `ready` holds for it, read from snapshots until `timeoutMs`. */
export async function playgroundMessage(
  base: string,
  session: string,
  id: string,
  ready: (message: PlaygroundMessage) => boolean,
  timeoutMs = 10_000,
): Promise<PlaygroundMessage> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const messages = await playgroundSnapshot(base, session);
    const message = messages.find((m) => m.id === id);
    if (message && ready(message)) return message;
    if (Date.now() > end)
      throw new Error(`message ${id} not ready: ${JSON.stringify(messages.map((m) => m.reply ?? m.text))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
