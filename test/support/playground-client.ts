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
