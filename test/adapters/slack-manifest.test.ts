import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VIDEO_WITHOUT_MODEL } from '../../commands/index.ts';
import { SLACK_BOT_SCOPES } from '../../src/adapters/slack/slack-scopes.ts';

type Json = Record<string, unknown>;

function readManifest(name: string): Json {
  return JSON.parse(readFileSync(new URL(`../../slack/${name}`, import.meta.url), 'utf8')) as Json;
}

/** The value at a dotted path (`settings.interactivity.request_url`; `[0]` for an array item). */
function at(value: unknown, path: string): unknown {
  return path
    .split(/\.|(?=\[)/)
    .reduce<unknown>(
      (node, part) =>
        part.startsWith('[') ? (node as unknown[])[Number(part.slice(1, -1))] : (node as Json)?.[part],
      value,
    );
}

/** Every string anywhere in the manifest that is a URL. */
function urlsIn(value: unknown): string[] {
  if (typeof value === 'string') return /^https?:\/\//.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(urlsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(urlsIn);
  return [];
}

const socket = readManifest('manifest.json');
const http = readManifest('manifest-http.json');
const both = [
  ['manifest.json (Socket Mode)', socket],
  ['manifest-http.json (HTTP)', http],
] as const;

/** Where the HTTP manifest sends Slack: every request to Bolt's one endpoint, the OAuth redirect beside it. */
const HTTP_URLS = {
  'features.slash_commands[0].url': 'https://YOUR-HOST/slack/events',
  'settings.interactivity.request_url': 'https://YOUR-HOST/slack/events',
  'settings.event_subscriptions.request_url': 'https://YOUR-HOST/slack/events',
  'oauth_config.redirect_urls': ['https://YOUR-HOST/slack/oauth_redirect'],
};

describe.each(both)('the Slack app manifest %s', (_name, manifest) => {
  it('names the app and its bot user clipbot', () => {
    expect(at(manifest, 'display_information.name')).toBe('clipbot');
    expect(at(manifest, 'features.bot_user.display_name')).toBe('clipbot');
  });

  it("declares the one slash command clipbot's /video definition names, its text passed unescaped", () => {
    expect(at(manifest, 'features.slash_commands')).toHaveLength(1);
    expect(at(manifest, 'features.slash_commands[0]')).toMatchObject({
      command: `/${VIDEO_WITHOUT_MODEL.name}`,
      usage_hint: 'a red ball bouncing --quality low | queue | schedule | admin | help',
      should_escape: false,
    });
    expect(at(manifest, 'features.slash_commands[0].command')).toBe('/video');
    expect(at(manifest, 'features.slash_commands[0].description')).toEqual(expect.any(String));
  });

  it('asks for exactly the bot scopes in SLACK_BOT_SCOPES, and not chat:write.public', () => {
    const scopes = at(manifest, 'oauth_config.scopes.bot') as string[];
    expect([...scopes].sort()).toEqual([...SLACK_BOT_SCOPES].sort());
    expect(new Set(scopes).size).toBe(scopes.length);
    expect(scopes).not.toContain('chat:write.public');
    expect(at(manifest, 'oauth_config.scopes.user')).toBeUndefined();
  });

  it('turns interactivity on and subscribes to the step runs and to uninstalls', () => {
    expect(at(manifest, 'settings.interactivity.is_enabled')).toBe(true);
    expect([...(at(manifest, 'settings.event_subscriptions.bot_events') as string[])].sort()).toEqual([
      'app_uninstalled',
      'function_executed',
      'tokens_revoked',
    ]);
  });

  it('declares the generate_video workflow step, run by clipbot itself, with its inputs and outputs', () => {
    // Slack refuses a custom step in an app that is not org-ready (org_deploy_enabled), and runs a
    // Bolt app's steps only with function_runtime "remote".
    expect(at(manifest, 'settings.org_deploy_enabled')).toBe(true);
    expect(at(manifest, 'settings.function_runtime')).toBe('remote');
    expect(Object.keys(at(manifest, 'functions') as Json)).toEqual(['generate_video']);
    const step = at(manifest, 'functions.generate_video') as Json;
    expect(step.title).toBe('Generate video');

    const inputs = step.input_parameters as Record<string, Json>;
    expect(Object.keys(inputs).sort()).toEqual(['channel', 'prompt', 'quality', 'user']);
    expect(inputs.prompt).toMatchObject({ type: 'string', is_required: true });
    expect(inputs.channel).toMatchObject({ type: 'slack#/types/channel_id', is_required: false });
    expect(inputs.quality).toMatchObject({ type: 'string', is_required: false });
    expect(inputs.user).toMatchObject({ type: 'slack#/types/user_id', is_required: false });

    const outputs = step.output_parameters as Record<string, Json>;
    expect(Object.keys(outputs).sort()).toEqual(['file_id', 'permalink']);
    expect(outputs.file_id).toMatchObject({ type: 'string' });
    expect(outputs.permalink).toMatchObject({ type: 'string' });

    for (const [key, parameter] of Object.entries({ ...inputs, ...outputs })) {
      // The exported manifest repeats each key as `name`; a title is what Workflow Builder shows.
      expect(parameter.name, key).toBe(key);
      expect(parameter.title, key).toEqual(expect.any(String));
    }
  });
});

describe('the Socket Mode and HTTP manifests', () => {
  it('turn Socket Mode on in manifest.json and off in manifest-http.json', () => {
    expect(at(socket, 'settings.socket_mode_enabled')).toBe(true);
    expect(at(http, 'settings.socket_mode_enabled')).toBe(false);
  });

  it('give request URLs (and the OAuth redirect) in the HTTP manifest only', () => {
    expect(urlsIn(socket)).toEqual([]);
    for (const [path, url] of Object.entries(HTTP_URLS)) expect(at(http, path), path).toEqual(url);
    expect(urlsIn(http).sort()).toEqual(Object.values(HTTP_URLS).flat().sort());
  });

  it('differ in nothing else', () => {
    const transportless = (manifest: Json): Json => {
      const copy = structuredClone(manifest) as Json & {
        features: { slash_commands: Json[] };
        oauth_config: Json;
        settings: { interactivity: Json; event_subscriptions: Json; socket_mode_enabled?: boolean };
      };
      delete copy.features.slash_commands[0]?.url;
      delete copy.oauth_config.redirect_urls;
      delete copy.settings.interactivity.request_url;
      delete copy.settings.event_subscriptions.request_url;
      delete copy.settings.socket_mode_enabled;
      return copy;
    };
    expect(transportless(http)).toEqual(transportless(socket));
  });
});
