import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DiscordApplicationCommand, loadCommands, modelFacts } from '../../commands/index.ts';
import { commandsJson, registerCommands } from '../../scripts/discord/register-commands.ts';
import { loadManifest } from '../../src/model/index.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';

const TOKEN = 'bot-token-never-printed-123';
const APP = '111111111111111111';
const GUILD = '222222222222222222';

interface Seen {
  method: string;
  url: string;
  authorization: string;
  body: string;
}

/** A local stand-in for Discord's REST API: answers @me and the bulk overwrite, records each call. */
class FakeDiscord {
  seen: Seen[] = [];
  status = 200;
  private server?: Server;

  async start(): Promise<string> {
    const server = createServer(async (req: IncomingMessage, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      this.seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization ?? '',
        body,
      });
      res.setHeader('content-type', 'application/json');
      if (this.status !== 200)
        return void res.writeHead(this.status).end('{"message": "401: Unauthorized", "code": 0}');
      if (req.url === '/api/v10/oauth2/applications/@me') return void res.end(JSON.stringify({ id: APP }));
      const sent = JSON.parse(body) as DiscordApplicationCommand[];
      res.end(JSON.stringify(sent.map((c, i) => ({ id: `90000000000000000${i}`, name: c.name }))));
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v10`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

const discord = new FakeDiscord();
let apiUrl: string;
let commands: DiscordApplicationCommand[];
beforeAll(async () => {
  apiUrl = await discord.start();
  const { manifest } = await loadManifest(BUNDLED_MANIFEST);
  commands = commandsJson((await loadCommands()).values(), modelFacts(manifest));
});
afterAll(() => discord.stop());
beforeEach(() => {
  discord.seen = [];
  discord.status = 200;
});

describe('registering the commands with Discord', () => {
  it('PUTs the whole list to the application commands with the bot token', async () => {
    const result = await registerCommands({ apiUrl, token: TOKEN, applicationId: APP, commands });
    expect(discord.seen).toEqual([
      {
        method: 'PUT',
        url: `/api/v10/applications/${APP}/commands`,
        authorization: `Bot ${TOKEN}`,
        body: JSON.stringify(commands),
      },
    ]);
    expect(result.registered.map((c) => c.name)).toEqual([
      'video',
      'video-admin',
      'video-queue',
      'video-schedule',
    ]);
  });

  it('with a guild, PUTs to that guild, and asks Discord for the application id when none is given', async () => {
    await registerCommands({ apiUrl: `${apiUrl}/`, token: TOKEN, guildId: GUILD, commands });
    expect(discord.seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /api/v10/oauth2/applications/@me',
      `PUT /api/v10/applications/${APP}/guilds/${GUILD}/commands`,
    ]);
  });

  it('when Discord refuses the token, then it fails once with the status and never shows the token', async () => {
    discord.status = 401;
    const failure = await registerCommands({ apiUrl, token: TOKEN, applicationId: APP, commands }).catch(
      (error: Error) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/HTTP 401 \(check DISCORD_TOKEN.*401: Unauthorized/);
    expect((failure as Error).message).not.toContain(TOKEN);
    expect(discord.seen).toHaveLength(1);
  });
});

describe('npm run discord:commands -- --dry-run', () => {
  it('prints the JSON of the loaded commands, sends nothing and never prints the token', async () => {
    const script = fileURLToPath(new URL('../../scripts/discord-commands.ts', import.meta.url));
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', script, '--dry-run', '--guild', GUILD],
      {
        env: {
          ...process.env,
          DISCORD_TOKEN: TOKEN,
          DISCORD_API_URL: apiUrl,
          CLIPBOT_MODEL: BUNDLED_MANIFEST,
        },
      },
    );
    expect(JSON.parse(stdout)).toEqual(commands);
    expect(stderr).toContain(
      `would PUT 4 command(s) to ${apiUrl}/applications/{application id}/guilds/${GUILD}/commands`,
    );
    expect(stdout + stderr).not.toContain(TOKEN);
    expect(discord.seen).toEqual([]);
  });
});
