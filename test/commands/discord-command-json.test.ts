import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CommandModule,
  type DiscordApplicationCommand,
  type DiscordCommandOption,
  discordCommandJson,
  loadCommands,
  type ModelFacts,
  modelFacts,
  videoAdminCommand,
  videoCommand,
  videoQueueCommand,
} from '../../commands/index.ts';
import { loadManifest } from '../../src/model/index.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';

const NAME = /^[-_\p{L}\p{N}]{1,32}$/u;
/** STRING, INTEGER, BOOLEAN, NUMBER, ATTACHMENT. */
const OPTION_TYPES = new Set([3, 4, 5, 10, 11]);

/**
 * Every way `command` breaks Discord's limits for a CHAT_INPUT command: names, descriptions, option
 * and choice counts, which fields each option type may carry, required options first, and the
 * 4000 characters all names, descriptions and choices may add up to.
 */
function discordProblems(command: DiscordApplicationCommand): string[] {
  const problems: string[] = [];
  const name = (value: string, where: string) => {
    if (!NAME.test(value) || value !== value.toLowerCase()) problems.push(`${where}: bad name "${value}"`);
  };
  const text = (value: string, where: string, max = 100) => {
    if (value.length < 1 || value.length > max) problems.push(`${where}: ${value.length} characters`);
  };
  if (command.type !== 1) problems.push('type must be 1 (CHAT_INPUT)');
  name(command.name, 'command');
  text(command.description, 'command description');
  let total = command.name.length + command.description.length;
  const checkOptions = (options: readonly DiscordCommandOption[], prefix: string) => {
    if (options.length > 25) problems.push(`${prefix}${options.length} options (most: 25)`);
    let optionalSeen = false;
    for (const option of options) {
      const where = `${prefix}option ${option.name}`;
      name(option.name, where);
      text(option.description, `${where} description`);
      total += option.name.length + option.description.length;
      if (!OPTION_TYPES.has(option.type)) problems.push(`${where}: type ${option.type}`);
      if (option.required && optionalSeen) problems.push(`${where}: required after an optional option`);
      if (!option.required) optionalSeen = true;
      const numeric = option.type === 4 || option.type === 10;
      if ((option.min_value !== undefined || option.max_value !== undefined) && !numeric)
        problems.push(`${where}: min_value/max_value on a non-number`);
      if ((option.min_length !== undefined || option.max_length !== undefined) && option.type !== 3)
        problems.push(`${where}: min_length/max_length on a non-string`);
      if ((option.min_value ?? -Infinity) > (option.max_value ?? Infinity))
        problems.push(`${where}: min > max`);
      if (option.min_length !== undefined && (option.min_length < 0 || option.min_length > 6000))
        problems.push(`${where}: min_length ${option.min_length}`);
      if (option.max_length !== undefined && (option.max_length < 1 || option.max_length > 6000))
        problems.push(`${where}: max_length ${option.max_length}`);
      if (
        option.type === 4 &&
        [option.min_value, option.max_value].some((v) => v !== undefined && !Number.isInteger(v))
      )
        problems.push(`${where}: an INTEGER option's bounds must be whole`);
      if (option.choices) {
        if (option.type === 5) problems.push(`${where}: choices on a boolean`);
        if (option.choices.length > 25)
          problems.push(`${where}: ${option.choices.length} choices (most: 25)`);
        for (const choice of option.choices) {
          text(choice.name, `${where} choice name`);
          text(choice.value, `${where} choice value`);
          total += choice.name.length + choice.value.length;
        }
      }
    }
  };
  const verbs = command.options.filter((o) => o.type === 1);
  if (verbs.length > 0 && verbs.length !== command.options.length)
    problems.push('options mix subcommands and values');
  if (verbs.length > 25) problems.push(`${verbs.length} subcommands (most: 25)`);
  for (const verb of verbs) {
    name(verb.name, `subcommand ${verb.name}`);
    text(verb.description, `subcommand ${verb.name} description`);
    total += verb.name.length + verb.description.length;
    checkOptions(verb.options ?? [], `subcommand ${verb.name} `);
  }
  if (verbs.length === 0) checkOptions(command.options, '');
  if (total > 4000) problems.push(`names, descriptions and choices total ${total} characters (most: 4000)`);
  if (!command.contexts.every((c) => [0, 1, 2].includes(c))) problems.push('contexts: unknown context');
  if (!command.integration_types.every((c) => [0, 1].includes(c)))
    problems.push('integration_types: unknown');
  return problems;
}

let facts: ModelFacts;
let commands: Map<string, CommandModule>;
beforeAll(async () => {
  facts = modelFacts((await loadManifest(BUNDLED_MANIFEST)).manifest);
  commands = await loadCommands();
});

describe("Discord's application command JSON", () => {
  it("of every loaded command meets Discord's limits", () => {
    expect(commands.size).toBeGreaterThan(0);
    for (const command of commands.values())
      expect(discordProblems(discordCommandJson(command.define(facts))), `/${command.name}`).toEqual([]);
  });

  it('the limits checker finds a broken command (so the test above can fail)', () => {
    const json = discordCommandJson(videoCommand.define(facts));
    const [prompt, negative] = json.options;
    if (!prompt || !negative) throw new Error('/video has a prompt and a negative prompt');
    const broken: DiscordApplicationCommand = {
      ...json,
      name: 'Video',
      options: [
        { ...negative, description: 'x'.repeat(101) },
        {
          ...prompt,
          choices: Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `c${i}` })),
        },
      ],
    };
    expect(discordProblems(broken)).toEqual([
      'command: bad name "Video"',
      'option negative description: 101 characters',
      'option prompt: required after an optional option',
      'option prompt: 26 choices (most: 25)',
    ]);
  });

  it('of /video has the option types, ranges and tiers of the model, required options first', () => {
    const json = discordCommandJson(videoCommand.define(facts));
    expect(json).toMatchObject({
      type: 1,
      name: 'video',
      dm_permission: true,
      contexts: [0, 1],
      integration_types: [0],
    });
    const byName = Object.fromEntries(json.options.map((o) => [o.name, o]));
    expect(json.options[0]).toMatchObject({
      name: 'prompt',
      type: 3,
      required: true,
      min_length: 3,
      max_length: 500,
    });
    expect(byName.negative).toMatchObject({ type: 3, max_length: 200 });
    expect(byName.seed).toMatchObject({ type: 4, min_value: 0, max_value: 4294967295 });
    expect(byName.quality?.type).toBe(3);
    expect(byName.quality?.choices?.map((c) => c.value)).toEqual(['auto', ...facts.tiers.map((t) => t.name)]);
    expect(byName.steps).toMatchObject({ type: 4, min_value: facts.minSteps, max_value: facts.maxSteps });
    expect(byName.guidance).toMatchObject({ type: 10, min_value: 0, max_value: facts.maxGuidance });
    expect(byName.private).toEqual({ type: 5, name: 'private', description: 'Only you see the reply' });
  });
  it('of /video-admin is hidden from members without Manage Server and offered in servers only', () => {
    const json = discordCommandJson(videoAdminCommand.define(facts));
    expect(json).toMatchObject({
      name: 'video-admin',
      default_member_permissions: '32',
      dm_permission: false,
      contexts: [0],
      integration_types: [0],
    });
    const byName = Object.fromEntries(json.options.map((o) => [o.name, o]));
    expect(Object.keys(byName)).toEqual([
      'enabled',
      'default_quality',
      'clips_per_hour',
      'user_clips_per_hour',
      'max_active_per_user',
      'max_waiting',
      'allow_channel',
      'disallow_channel',
      'allow_all_channels',
      'timezone',
      'teaser_channel',
      'block',
      'unblock',
      'reset',
    ]);
    expect(json.options.every((o) => !o.required)).toBe(true);
    expect(byName.default_quality?.choices?.map((c) => c.value)).toEqual([
      'auto',
      ...facts.tiers.map((t) => t.name),
    ]);
    expect(byName.clips_per_hour).toMatchObject({ type: 4, min_value: 1, max_value: 1_000 });
    expect(byName.user_clips_per_hour).toMatchObject({ type: 4, min_value: 1, max_value: 100 });
    expect(byName.block).toMatchObject({ type: 3, min_length: 1, max_length: 100 });
    expect(byName.enabled?.type).toBe(5);
  });

  it('of /video and /video-queue is for everyone, in servers and in DMs', () => {
    for (const command of [videoCommand, videoQueueCommand]) {
      const json = discordCommandJson(command.define(facts));
      expect(json, `/${command.name}`).toMatchObject({ dm_permission: true, contexts: [0, 1] });
      expect(json, `/${command.name}`).not.toHaveProperty('default_member_permissions');
    }
    expect(discordCommandJson(videoQueueCommand.define()).options).toEqual([]);
  });
});
