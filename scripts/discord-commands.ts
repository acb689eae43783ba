// Registers clipbot's slash commands with Discord (the commands/ folder, for the configured model):
//
//   npm run discord:commands -- [--guild ID] [--dry-run] [--model FILE]
//
// Globally by default (Discord may take a while to show changes everywhere), or in one guild with
// --guild (at once: use it while testing). Reads DISCORD_TOKEN (the bot token), DISCORD_APPLICATION_ID
// (optional: asked of Discord when unset) and DISCORD_API_URL (default https://discord.com/api; the
// bot reads the same variable, and a trailing /v10 is allowed).
// --dry-run prints the JSON and sends nothing; it needs no token. The token is never printed.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadCommands, modelFacts } from '../commands/index.ts';
import { loadConfig } from '../src/config/index.ts';
import { loadManifest } from '../src/model/manifest.ts';
import {
  commandsJson,
  commandsUrl,
  DISCORD_API_URL,
  registerCommands,
  snowflakeSchema,
} from './discord/register-commands.ts';

const USAGE = 'Usage: npm run discord:commands -- [--guild ID] [--dry-run] [--model FILE]';

const envSchema = z.object({
  DISCORD_TOKEN: z.string().min(1).optional(),
  DISCORD_APPLICATION_ID: snowflakeSchema.optional(),
  // The REST base as the bot reads it (version optional), with the version this script speaks.
  DISCORD_API_URL: z
    .url()
    .default(DISCORD_API_URL)
    .transform((url) => `${url.replace(/\/+$/, '').replace(/\/v\d+$/, '')}/v10`),
});

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      guild: { type: 'string' },
      'dry-run': { type: 'boolean' },
      model: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (args.help) return void process.stdout.write(`${USAGE}\n`);
  const guildId = args.guild === undefined ? undefined : snowflakeSchema.parse(args.guild);
  const env = envSchema.parse(process.env);
  const { manifest } = await loadManifest(args.model ?? loadConfig().model.manifestPath);
  const commands = commandsJson((await loadCommands()).values(), modelFacts(manifest));

  if (args['dry-run']) {
    const where = commandsUrl(env.DISCORD_API_URL, env.DISCORD_APPLICATION_ID ?? '{application id}', guildId);
    process.stderr.write(`dry run: would PUT ${commands.length} command(s) to ${where}\n`);
    process.stdout.write(`${JSON.stringify(commands, null, 2)}\n`);
    return;
  }
  if (!env.DISCORD_TOKEN) throw new Error('set DISCORD_TOKEN to the bot token (or use --dry-run)');
  const { url, registered } = await registerCommands({
    apiUrl: env.DISCORD_API_URL,
    token: env.DISCORD_TOKEN,
    ...(env.DISCORD_APPLICATION_ID ? { applicationId: env.DISCORD_APPLICATION_ID } : {}),
    ...(guildId ? { guildId } : {}),
    commands,
  });
  const names = registered.map((c) => `/${c.name}`).join(', ');
  process.stdout.write(`registered ${names} at ${url}\n`);
}

main().catch((error: unknown) => {
  const message =
    error instanceof z.ZodError
      ? error.issues.map((i) => `${i.path.join('.') || 'argument'}: ${i.message}`).join('; ')
      : error instanceof Error
        ? error.message
        : String(error);
  process.stderr.write(`discord:commands: ${message}\n${USAGE}\n`);
  process.exitCode = 1;
});
