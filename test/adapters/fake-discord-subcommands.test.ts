import { once } from 'node:events';
import {
  ChatInputCommandInteraction,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  SlashCommandBuilder,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../support/fake-discord/index.ts';

const GUILD = '930000000000000001';
const CHANNEL = '930000000000000002';
const USER = '830000000000000001';

const schedule = new SlashCommandBuilder()
  .setName('schedule')
  .setDescription('Clips on a schedule')
  .addSubcommand((sub) =>
    sub
      .setName('add')
      .setDescription('Add a scheduled clip')
      .addStringOption((option) => option.setName('prompt').setDescription('What to show').setRequired(true))
      .addStringOption((option) => option.setName('when').setDescription('When to post')),
  )
  .addSubcommand((sub) => sub.setName('list').setDescription('List scheduled clips'))
  .addSubcommandGroup((group) =>
    group
      .setName('teaser')
      .setDescription('Event teasers')
      .addSubcommand((sub) => sub.setName('off').setDescription('No teasers')),
  );

const option = (name: string, type: number, extra: Record<string, unknown> = {}) => ({
  name,
  type,
  description: `${name} option`,
  ...extra,
});

describe('slash commands with subcommands in the fake Discord', () => {
  let fake: FakeDiscord;
  let client: Client;
  const arrived: Interaction[] = [];

  const register = (options: unknown[]) =>
    client.application?.commands
      .set([{ name: 'bad', description: 'A command Discord refuses', options } as never])
      .catch((caught: unknown) => caught);
  const used = async (options: Parameters<FakeDiscord['slashCommand']>[0]['options']) => {
    const sent = await fake.slashCommand({ userId: USER, guildId: GUILD, name: 'schedule', options });
    return fake.waitFor(() =>
      arrived.find(
        (interaction): interaction is ChatInputCommandInteraction =>
          interaction.id === sent.interactionId && interaction instanceof ChatInputCommandInteraction,
      ),
    );
  };

  beforeAll(async () => {
    fake = await FakeDiscord.start({ guilds: [{ id: GUILD, channels: [{ id: CHANNEL }] }] });
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
    client.on(Events.InteractionCreate, (interaction) => void arrived.push(interaction));
    const ready = once(client, Events.ClientReady);
    await client.login(fake.token);
    await ready;
  });

  afterAll(async () => {
    await client?.destroy();
    await fake?.stop();
  });

  it('when a command with subcommands and a group is registered, then Discord keeps them nested', async () => {
    const registered = await client.application?.commands.set([schedule.toJSON()]);
    const [command] = [...(registered?.values() ?? [])];
    expect(command?.options.map((sub) => [sub.name, sub.type])).toEqual([
      ['add', 1],
      ['list', 1],
      ['teaser', 2],
    ]);
    const put = fake.requests.find((request) => request.method === 'PUT');
    expect(put).toMatchObject({ status: 200, auth: 'bot' });
  });

  it('when a user runs /schedule add, then getSubcommand and getString read the nested options', async () => {
    const interaction = await used([
      {
        name: 'add',
        type: 1,
        options: [
          { name: 'prompt', type: 3, value: 'a lighthouse' },
          { name: 'when', type: 3, value: 'friday 18:00' },
        ],
      },
    ]);
    expect(interaction.options.getSubcommand()).toBe('add');
    expect(interaction.options.getSubcommandGroup()).toBeNull();
    expect(interaction.options.getString('prompt')).toBe('a lighthouse');
    expect(interaction.options.getString('when')).toBe('friday 18:00');
  });

  it('when a user runs a subcommand without options or inside a group, then both read back', async () => {
    const list = await used([{ name: 'list', type: 1 }]);
    expect(list.options.getSubcommand()).toBe('list');
    const off = await used([{ name: 'teaser', type: 2, options: [{ name: 'off', type: 1, options: [] }] }]);
    expect([off.options.getSubcommandGroup(), off.options.getSubcommand()]).toEqual(['teaser', 'off']);
  });

  it('when a test nests options as Discord never sends them, then the fake throws', async () => {
    await expect(
      fake.slashCommand({
        userId: USER,
        guildId: GUILD,
        name: 'schedule',
        options: [{ name: 'add', type: 1, options: [{ name: 'deeper', type: 1 }] }],
      }),
    ).rejects.toThrow(/values only/);
    await expect(
      fake.slashCommand({
        userId: USER,
        guildId: GUILD,
        name: 'schedule',
        options: [
          { name: 'list', type: 1 },
          { name: 'prompt', type: 3, value: 'x' },
        ],
      }),
    ).rejects.toThrow(/comes alone/);
  });

  it.each([
    [
      'a subcommand beside a plain option',
      [option('prompt', 3), option('add', 1)],
      '0.options.1',
      'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
    ],
    [
      'a subcommand inside a subcommand',
      [option('add', 1, { options: [option('deeper', 1)] })],
      '0.options.0.options.0',
      'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
    ],
    [
      'a plain option inside a group',
      [option('teaser', 2, { options: [option('prompt', 3)] })],
      '0.options.0.options.0',
      'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
    ],
    [
      'a required option after an optional one inside a subcommand',
      [option('add', 1, { options: [option('when', 3), option('prompt', 3, { required: true })] })],
      '0.options.0.options',
      'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
    ],
    [
      '26 options inside a subcommand',
      [option('add', 1, { options: Array.from({ length: 26 }, (_, i) => option(`o${i}`, 3)) })],
      '0.options.0.options',
      'BASE_TYPE_MAX_LENGTH',
    ],
    [
      '26 subcommands',
      Array.from({ length: 26 }, (_, i) => option(`s${i}`, 1)),
      '0.options',
      'BASE_TYPE_MAX_LENGTH',
    ],
  ])(
    'when a command holds %s, then registration fails with 50035 at %s',
    async (_what, options, field, code) => {
      const error = await register(options);
      expect(error).toBeInstanceOf(DiscordAPIError);
      expect(error).toMatchObject({ status: 400, code: 50035 });
      const { errors } = (error as DiscordAPIError).rawError as { errors: unknown };
      const at = field.split('.').reduce((node, part) => (node as Record<string, unknown>)[part], errors);
      expect(at).toMatchObject({ _errors: [{ code }] });
    },
  );
});
