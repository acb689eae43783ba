import { once } from 'node:events';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonInteraction,
  ButtonStyle,
  ChatInputCommandInteraction,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  MessageFlags,
  type TextChannel,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../support/fake-discord/index.ts';

const GUILD = '910000000000000001';
const CHANNEL = '910000000000000002';
const USER = '810000000000000001';
const OTHER_USER = '810000000000000002';
const LIMIT = 256 * 1024;

describe('the fake Discord, with the real discord.js client logged in to it', () => {
  let fake: FakeDiscord;
  let client: Client;
  let loginMs = 0;
  const arrived: Interaction[] = [];

  /** Waits for discord.js to emit the interaction the fake dispatched, as the class it should be. */
  const received = <T extends Interaction>(
    interactionId: string,
    is: (interaction: Interaction) => interaction is T,
  ) =>
    fake.waitFor(() =>
      arrived.find((interaction): interaction is T => interaction.id === interactionId && is(interaction)),
    );
  const isCommand = (interaction: Interaction): interaction is ChatInputCommandInteraction =>
    interaction instanceof ChatInputCommandInteraction;
  const isButton = (interaction: Interaction): interaction is ButtonInteraction =>
    interaction instanceof ButtonInteraction;
  const command = async (name = 'video', userId = USER) => {
    const sent = await fake.slashCommand({
      userId,
      guildId: GUILD,
      name,
      options: [{ name: 'prompt', type: 3, value: 'a cat' }],
    });
    return { sent, interaction: await received(sent.interactionId, isCommand) };
  };
  const row = (customId: string) =>
    new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId(customId).setLabel('Again').setStyle(ButtonStyle.Secondary),
    );

  beforeAll(async () => {
    fake = await FakeDiscord.start({
      guilds: [
        {
          id: GUILD,
          name: 'clips',
          channels: [{ id: CHANNEL, name: 'general' }],
          attachmentSizeLimit: LIMIT,
        },
      ],
      heartbeatIntervalMs: 500,
    });
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
    client.on(Events.InteractionCreate, (interaction) => void arrived.push(interaction));
    const started = Date.now();
    const ready = once(client, Events.ClientReady);
    await client.login(fake.token);
    await ready;
    loginMs = Date.now() - started;
  });

  afterAll(async () => {
    await client?.destroy();
    await fake?.stop();
  });

  it('when the bot logs in, then clientReady comes at once and the guild is cached with its channel', () => {
    expect(loginMs).toBeLessThan(2_000);
    expect(client.user?.id).toBe(fake.botUserId);
    expect(client.guilds.cache.get(GUILD)?.channels.cache.has(CHANNEL)).toBe(true);
    expect(fake.requests.find((request) => request.path === '/gateway/bot')?.auth).toBe('bot');
  });

  it('when a client logs in with a wrong token, then GET /gateway/bot answers 401 and login fails with TokenInvalid', async () => {
    const stranger = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
    const error = await stranger.login('MTAw.wrong.token').catch((caught: unknown) => caught);
    await stranger.destroy();
    expect(error).toMatchObject({ code: 'TokenInvalid' });
    expect(fake.requests.at(-1)).toMatchObject({ path: '/gateway/bot', auth: 'wrong', status: 401 });
  });

  it('when a user runs a slash command, then it arrives as a ChatInputCommandInteraction with its options and limits', async () => {
    const sent = await fake.slashCommand({
      userId: USER,
      guildId: GUILD,
      name: 'video',
      username: 'ada',
      options: [
        { name: 'prompt', type: 3, value: 'a red fox' },
        { name: 'seed', type: 4, value: 7 },
      ],
    });
    const interaction = await received(sent.interactionId, isCommand);
    expect(interaction.commandName).toBe('video');
    expect(interaction.options.getString('prompt')).toBe('a red fox');
    expect(interaction.options.getInteger('seed')).toBe(7);
    expect(interaction.attachmentSizeLimit).toBe(LIMIT);
    expect([interaction.guildId, interaction.channelId, interaction.user.id]).toEqual([GUILD, CHANNEL, USER]);
    expect(interaction.user.username).toBe('ada');
    expect(interaction.inCachedGuild()).toBe(true);
    expect(interaction.memberPermissions?.has('SendMessages')).toBe(true);
    expect(interaction.memberPermissions?.has('ManageGuild')).toBe(false);
    await interaction.reply({ content: 'ok', allowedMentions: { parse: [] } });
  });

  it('when a slash command comes from a DM, then it carries the user and no guild', async () => {
    const sent = await fake.slashCommand({ userId: OTHER_USER, name: 'video' });
    const interaction = await received(sent.interactionId, isCommand);
    expect(interaction.guildId).toBeNull();
    expect(interaction.user.id).toBe(OTHER_USER);
    expect(interaction.attachmentSizeLimit).toBe(10 * 1024 * 1024);
    const dm = await client.users.createDM(OTHER_USER);
    expect(dm.id).toBe(interaction.channelId);
  });

  it('when the bot defers ephemerally then edits in a file and a button, then only the user sees the clip, served byte for byte', async () => {
    const { sent, interaction } = await command();
    const clip = Buffer.from(Array.from({ length: 4096 }, (_, index) => index % 251));
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await interaction.editReply({
      content: 'done',
      files: [{ attachment: clip, name: 'clip.mp4' }],
      components: [row('video:reroll:j1')],
      allowedMentions: { parse: [] },
    });

    const [message] = fake
      .messages({ visibleTo: USER })
      .filter((m) => m.interactionId === sent.interactionId);
    expect(message?.ephemeralTo).toBe(USER);
    expect(message?.allowedMentions).toEqual({ parse: [] });
    expect(message?.components).toMatchObject([{ type: 1, components: [{ custom_id: 'video:reroll:j1' }] }]);
    const served = Buffer.from(await (await fetch(message?.attachments[0]?.url ?? '')).arrayBuffer());
    expect(served.equals(clip)).toBe(true);
    expect(fake.messages({ visibleTo: OTHER_USER }).some((m) => m.id === message?.id)).toBe(false);
    const states = fake.history(message?.id ?? '');
    expect(states.map((state) => [state.content, state.attachments.length, state.flags])).toEqual([
      ['', 0, MessageFlags.Ephemeral | MessageFlags.Loading],
      ['done', 1, MessageFlags.Ephemeral],
    ]);
    expect(fake.callbacks.find((callback) => callback.interactionId === sent.interactionId)).toMatchObject({
      type: 5,
      flags: MessageFlags.Ephemeral,
    });
  });

  it('when the bot edits in new files, then they replace the old ones, and attachments: [] removes them', async () => {
    const { interaction } = await command();
    await interaction.reply({
      content: 'v1',
      files: [{ attachment: Buffer.from('first'), name: 'one.mp4' }],
    });
    await interaction.editReply({
      content: 'v2',
      files: [{ attachment: Buffer.from('second!'), name: 'two.mp4' }],
    });
    const reply = await interaction.editReply({ content: 'v3', attachments: [] });
    expect(
      fake.history(reply.id).map((state) => state.attachments.map((a) => `${a.filename}:${a.size}`)),
    ).toEqual([['one.mp4:5'], ['two.mp4:7'], []]);
  });

  it('when a user presses a button, then it arrives as a ButtonInteraction and deferUpdate plus an ephemeral followUp work', async () => {
    const { interaction } = await command();
    const reply = await interaction.reply({
      content: 'clip',
      components: [row('video:reroll:j2')],
      withResponse: true,
    });
    const messageId = reply.resource?.message?.id ?? '';
    const pressed = await fake.pressButton({ userId: USER, messageId, customId: 'video:reroll:j2' });
    const press = await received(pressed.interactionId, isButton);
    expect(press.customId).toBe('video:reroll:j2');
    expect(press.message.id).toBe(messageId);
    await press.deferUpdate();
    const notice = await press.followUp({ content: 'only you', flags: MessageFlags.Ephemeral });
    expect(fake.messages().find((m) => m.id === notice.id)).toMatchObject({
      ephemeralTo: USER,
      content: 'only you',
    });
    expect(fake.callbacks.find((callback) => callback.interactionId === pressed.interactionId)?.type).toBe(6);
  });

  it('when an edit meets a 429 with Retry-After 1, then discord.js waits it out; a 500 is retried', async () => {
    const { interaction } = await command();
    await interaction.deferReply();
    const original = /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/;
    fake.failNext(
      { method: 'PATCH', path: original },
      {
        status: 429,
        headers: { 'Retry-After': '1', 'X-RateLimit-Scope': 'user' },
        body: { message: 'You are being rate limited.', retry_after: 1, global: false },
      },
    );
    await interaction.editReply('after the 429');
    fake.failNext({ method: 'PATCH', path: original }, { status: 500 });
    await interaction.editReply('after the 500');

    const edits = fake.requests.filter(
      (request) => request.method === 'PATCH' && request.path.includes(interaction.token),
    );
    expect(edits.map((request) => request.status)).toEqual([429, 200, 500, 200]);
    expect((edits[1]?.at ?? 0) - (edits[0]?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
    expect(edits[0]?.path.endsWith('/messages/@original')).toBe(true);
    expect(edits.every((request) => request.auth === 'none')).toBe(true);
  });

  it('when the Gateway drops, then discord.js resumes and a command sent while it was down still arrives', async () => {
    const resumed = once(client, Events.ShardResume);
    fake.dropGateway();
    const sent = await fake.slashCommand({ userId: USER, guildId: GUILD, name: 'video' });
    await resumed;
    const interaction = await received(sent.interactionId, isCommand);
    await interaction.reply({ content: 'still here', allowedMentions: { parse: [] } });
    expect(
      fake.callbacks.find((callback) => callback.interactionId === sent.interactionId)?.afterMs,
    ).toBeLessThan(3_000);
  });

  it('when the interaction token has expired, then editReply rejects with 50027 and the bot token still works', async () => {
    const { sent, interaction } = await command();
    await interaction.deferReply();
    fake.expireInteraction(sent.token);
    const error = await interaction.editReply('too late').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ status: 401, code: 50027 });
    const channel = (await client.channels.fetch(CHANNEL)) as TextChannel;
    const posted = await channel.send({ content: `<@${USER}> here it is`, allowedMentions: { parse: [] } });
    expect(fake.messages({ channelId: CHANNEL }).find((m) => m.id === posted.id)?.mentions.users).toEqual([]);
  });

  it('when a file is over the guild upload limit, then the edit is refused with 413 / 40005', async () => {
    const { interaction } = await command();
    await interaction.deferReply();
    const error = await interaction
      .editReply({ files: [{ attachment: Buffer.alloc(LIMIT + 1), name: 'big.mp4' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ status: 413, code: 40005 });
  });
});
