// What Discord does to a bot in production, against the real discord.js adapter and a local fake
// Discord: rate limits, server errors, a refused token, expired interaction tokens, channels the bot
// may not post in, small upload limits and Gateway drops.
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { useBundledModel } from '../support/bundled-model.ts';
import { seenKind } from '../support/discord-seen.ts';
import { ALICE, CHANNEL, type DiscordStack, GUILD, startDiscordStack } from '../support/discord-stack.ts';
import type { FakeGuild } from '../support/fake-discord/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const EDIT = { method: 'PATCH', path: /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/ };

describe('the Discord adapter under the faults Discord produces', () => {
  const redis = useLocalRedis();
  const bundled = useBundledModel();
  let stack: DiscordStack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });
  const start = async (options: Parameters<typeof startDiscordStack>[2] = {}) => {
    stack = await startDiscordStack(redis, bundled, options);
    return stack;
  };

  it('waits out a 429 for its Retry-After (counted for /metrics), and retries a 500', async () => {
    let waits = 0;
    const s = await start({ onRateLimited: () => void waits++ });
    s.fake.failNext(
      EDIT,
      {
        status: 429,
        headers: { 'Retry-After': '1', 'X-RateLimit-Scope': 'user' },
        body: { message: 'You are being rate limited.', retry_after: 1, global: false },
      },
      1,
    );
    const { interactionId } = await s.video(ALICE, 'a red ball bouncing', { seed: 1 });
    const limited = await s.fake.waitFor(() => s.fake.requests.find((r) => r.status === 429));
    const queued = await s.answer(interactionId, 'queued');
    const landed = s.fake.requests.find(
      (r) => r.status === 200 && EDIT.path.test(r.path) && r.at > limited.at,
    );
    expect((landed?.at ?? 0) - limited.at).toBeGreaterThanOrEqual(900);
    expect(queued.content).toMatch(/Queued/);
    expect(waits).toBeGreaterThanOrEqual(1);

    s.fake.failNext(EDIT, { status: 500, body: { message: '500: Internal Server Error', code: 0 } }, 1);
    await s.startWorker();
    await s.answer(interactionId, 'done');
    expect(s.fake.requests.filter((r) => r.status === 500)).toHaveLength(1);
  });

  it('after the interaction token expires, the clip is posted in the channel mentioning only its requester', async () => {
    const s = await start();
    const { interactionId, token } = await s.video(ALICE, '@everyone a blue ball rises', { seed: 2 });
    await s.answer(interactionId, 'queued');
    s.fake.expireInteraction(token);
    await s.startWorker();
    const moved = await s.fake.waitFor(
      () => s.fake.messages({ channelId: CHANNEL }).find((m) => !m.interactionId && seenKind(m) === 'done'),
      60_000,
    );
    expect(moved.content.startsWith(`<@${ALICE}> `)).toBe(true);
    expect(moved.allowedMentions).toEqual({ parse: [], users: [ALICE] });
    expect(moved.mentions).toEqual({ everyone: false, users: [ALICE], roles: [] });
    expect(moved.attachments).toHaveLength(1);
    const posts = s.fake.requests.filter(
      (r) => r.method === 'POST' && r.path === `/channels/${CHANNEL}/messages`,
    );
    expect(posts.every((r) => r.auth === 'bot')).toBe(true);
  });

  it('when the channel refuses the bot after the token expired, the clip goes to a DM, and the log says why', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const s = await start({ logger });
    const { interactionId, token } = await s.video(ALICE, 'a green square slides left', { seed: 3 });
    await s.answer(interactionId, 'queued');
    s.fake.expireInteraction(token);
    s.fake.denyChannel(CHANNEL);
    await s.startWorker();
    const dm = await s.fake.waitFor(
      () => s.fake.messages().find((m) => m.channelId !== CHANNEL && seenKind(m) === 'done'),
      60_000,
    );
    expect(dm.content).not.toMatch(/<@/);
    expect(lines.join('')).toMatch(/the bot may not post in this channel/);
    expect(lines.join('')).not.toContain(token);
  });

  it('a 401 on the bot token is not retried in a loop: one refused call, counted, and the adapter says it is not connected', async () => {
    let refused = 0;
    const s = await start({ onBotTokenRefused: () => void refused++ });
    const { interactionId, token } = await s.video(ALICE, 'a white star falls', { seed: 4 });
    await s.answer(interactionId, 'queued');
    s.fake.expireInteraction(token);
    s.fake.failNext(
      { method: 'POST', path: /^\/channels\/\d+\/messages$/ },
      { status: 401, body: { message: '401: Unauthorized', code: 0 } },
      100,
    );
    await s.startWorker();
    await s.fake.waitFor(() => refused > 0, 60_000);
    await new Promise((r) => setTimeout(r, 3_000)); // delivery retries, were any to reach Discord, would by now
    // (The expired interaction token's own 401s on the webhook route are not the bot token's.)
    const refusedBotCalls = s.fake.requests.filter((r) => r.status === 401 && r.auth === 'bot');
    expect(refusedBotCalls).toHaveLength(1);
    // Nor is the dead interaction token tried again and again.
    expect(s.fake.requests.filter((r) => r.status === 401 && r.auth === 'none')).toHaveLength(1);
    expect(s.adapter.connected()).toBe(false);
  });

  it("a clip larger than the guild's upload limit is encoded to fit it", async () => {
    const small: FakeGuild = { id: GUILD, channels: [{ id: CHANNEL }], attachmentSizeLimit: 5_000 };
    const s = await start({ guilds: [small] });
    await s.startWorker();
    const { interactionId } = await s.video(ALICE, 'a red ball bouncing on green grass', { seed: 3 });
    const done = await s.answer(interactionId, 'done');
    const size = done.attachments[0]?.size ?? Number.POSITIVE_INFINITY;
    expect(size).toBeLessThanOrEqual(5_000);
    expect(s.fake.requests.filter((r) => r.status === 413)).toEqual([]);
  });

  it('a command sent while the Gateway is down arrives after the resume and is answered; connected() says when it is down', async () => {
    const s = await start();
    expect(s.adapter.connected()).toBe(true);
    s.fake.dropGateway();
    // /healthz says so while the session is down.
    await s.fake.waitFor(() => !s.adapter.connected(), 2_000);
    const { interactionId } = await s.video(ALICE, 'a yellow ball rolls right', { seed: 6 });
    await s.answer(interactionId, 'queued', 10_000);
    expect(s.adapter.connected()).toBe(true);
  });
});
