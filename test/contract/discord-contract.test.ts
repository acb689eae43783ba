import pino from 'pino';
import { loadCommands, modelFacts } from '../../commands/index.ts';
import { DiscordAdapter } from '../../src/adapters/discord/index.ts';
import { parseButtonId, type ReplyButton } from '../../src/core/index.ts';
import { loadManifest } from '../../src/model/index.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';
import { seenKind } from '../support/discord-seen.ts';
import { FakeDiscord, type FakeMessage } from '../support/fake-discord/index.ts';
import { adapterContract, type SeenMessage } from './adapter-contract.ts';

const GUILD = '900000000000000001';
const CHANNEL = '900000000000000002';

adapterContract('Discord (the real discord.js against a local fake Discord)', async () => {
  const fake = await FakeDiscord.start({ guilds: [{ id: GUILD, channels: [{ id: CHANNEL }] }] });
  const adapter = new DiscordAdapter({
    token: fake.token,
    apiUrl: fake.apiUrl,
    uploadLimitBytes: 10 * 1024 * 1024,
    logger: pino({ level: 'silent' }),
    commands: [...(await loadCommands()).values()],
    facts: modelFacts((await loadManifest(BUNDLED_MANIFEST)).manifest),
  });
  // The suite's users by name, as Discord users; whose interaction each message answers.
  const users = new Map<string, string>();
  const userId = (name: string) => {
    if (!users.has(name)) users.set(name, `8000000000000000${String(users.size + 10).padStart(2, '0')}`);
    return users.get(name) as string;
  };
  const interactionsOf = new Map<string, string>(); // interaction id → user id
  const commands = new Map<string, { interactionId: string; token: string }>(); // request id → interaction

  const ownedBy = (message: FakeMessage, id: string): boolean =>
    (message.interactionId !== undefined && interactionsOf.get(message.interactionId) === id) ||
    message.content.startsWith(`<@${id}>`);

  const seen = (message: FakeMessage): SeenMessage => {
    const kind = seenKind(message);
    const buttons: ReplyButton[] = [];
    for (const row of message.components as { components?: { custom_id?: string; label?: string }[] }[])
      for (const component of row.components ?? []) {
        const parsed = parseButtonId(component.custom_id ?? '');
        if (parsed)
          buttons.push({
            action: parsed.action,
            customId: component.custom_id as string,
            label: component.label ?? '',
          });
      }
    const attachment = message.attachments[0];
    const prompt = /\*\*(.+?)\*\*/.exec(message.content)?.[1];
    const seed = /seed (\d+)/.exec(message.content)?.[1];
    return {
      id: message.id,
      kind,
      buttons,
      text: message.content,
      ...(prompt !== undefined ? { prompt } : {}),
      ...(seed !== undefined ? { seed: Number(seed) } : {}),
      ...(attachment
        ? { clip: async () => Buffer.from(await (await fetch(attachment.url)).arrayBuffer()) }
        : {}),
    };
  };

  return {
    adapter,
    async send(user, requestId, prompt, options) {
      const id = userId(user);
      const earlier = commands.get(requestId);
      if (earlier) return void (await fake.redeliver(earlier.interactionId));
      const sent = await fake.slashCommand({
        userId: id,
        guildId: GUILD,
        channelId: CHANNEL,
        name: 'video',
        options: [
          { name: 'prompt', type: 3, value: prompt },
          ...(options.seed !== undefined ? [{ name: 'seed', type: 4, value: options.seed }] : []),
          ...(options.quality !== undefined ? [{ name: 'quality', type: 3, value: options.quality }] : []),
        ],
      });
      interactionsOf.set(sent.interactionId, id);
      commands.set(requestId, sent);
    },
    seen: async (user) => {
      const id = userId(user);
      return fake
        .messages({ visibleTo: id })
        .filter((m) => m.authorId === fake.botUserId && ownedBy(m, id) && seenKind(m) !== 'thinking')
        .map(seen);
    },
    async press(user, message, button) {
      const id = userId(user);
      const pressed = await fake.pressButton({
        userId: id,
        messageId: message.id,
        customId: button.customId,
      });
      interactionsOf.set(pressed.interactionId, id);
    },
    expire(requestId) {
      const command = commands.get(requestId);
      if (!command) throw new Error(`no command was sent as ${requestId}`);
      fake.expireInteraction(command.token);
    },
    violations: () => {
      const found: string[] = [];
      for (const request of fake.requests) {
        const body = request.body as { allowed_mentions?: { parse?: unknown[] } } | undefined;
        const posts = /\/messages|^\/webhooks\/\d+\/[^/]+$/.test(request.path) && request.method !== 'DELETE';
        if (posts && request.method !== 'GET' && body && !Array.isArray(body.allowed_mentions?.parse))
          found.push(`${request.method} ${request.path} without allowed_mentions.parse`);
        if (request.path.startsWith('/webhooks/') && request.auth !== 'none')
          found.push(`${request.method} ${request.path} sent the bot token to an interaction route`);
      }
      for (const callback of fake.callbacks)
        if (callback.afterMs > 3_000)
          found.push(`interaction ${callback.interactionId} answered after ${callback.afterMs} ms`);
      return found;
    },
    close: () => fake.stop(),
  };
});
