import pino from 'pino';
import { modelFacts, videoCommand } from '../../commands/index.ts';
import { PlaygroundAdapter, type PlaygroundMessage } from '../../src/adapters/playground/index.ts';
import { RedisArtifactStore } from '../../src/artifacts/index.ts';
import { loadManifest } from '../../src/model/index.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';
import { playgroundSnapshot } from '../support/playground-client.ts';
import { adapterContract, type SeenMessage } from './adapter-contract.ts';

adapterContract('the web playground', async (redis, prefix) => {
  const { manifest } = await loadManifest(BUNDLED_MANIFEST);
  const adapter = new PlaygroundAdapter({
    port: 0,
    host: '127.0.0.1',
    // Each user of the suite is a person of their own, so at an address of their own: the suite
    // reaches the playground as a trusted proxy that names it.
    trustedProxies: ['127.0.0.1'],
    redis: redis.client(),
    // The spine's store, as createSpineParts makes it by default: clips are served from it.
    artifacts: new RedisArtifactStore(redis.client(), 24 * 3_600_000, `${prefix}:artifact:`),
    keyPrefix: prefix,
    uploadLimitBytes: 10 * 1024 * 1024,
    logger: pino({ level: 'silent' }),
    video: videoCommand.define(modelFacts(manifest)),
  });
  let presses = 0;
  const addresses = new Map<string, string>();
  const addressOf = (user: string) => {
    if (!addresses.has(user)) addresses.set(user, `198.51.100.${addresses.size + 1}`);
    return addresses.get(user) as string;
  };
  const post = async (session: string, path: string, body: unknown) => {
    const response = await fetch(new URL(path, adapter.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-clipbot-session': session,
        'x-forwarded-for': addressOf(session),
      },
      body: JSON.stringify(body),
    });
    if (response.status !== 202) throw new Error(`${path} answered ${response.status}`);
  };
  const seen = (message: PlaygroundMessage): SeenMessage => {
    const reply = message.reply;
    if (!reply) throw new Error('a bot message without a reply');
    return {
      id: message.id,
      kind: reply.kind,
      buttons: reply.buttons,
      ...(reply.kind === 'notice' || reply.kind === 'refused' ? { text: reply.message } : {}),
      ...(reply.kind === 'done'
        ? {
            prompt: reply.prompt,
            seed: reply.seed,
            clip: async () =>
              Buffer.from(await (await fetch(new URL(reply.videoUrl, adapter.url))).arrayBuffer()),
          }
        : {}),
    };
  };
  return {
    adapter,
    send: (user, requestId, prompt, options) =>
      post(user, '/api/command', {
        text: `/video ${prompt} --seed=${options.seed} --quality ${options.quality}`,
        requestId,
      }),
    seen: async (user) =>
      (await playgroundSnapshot(adapter.url, user))
        .filter((m) => m.author === 'bot' && m.reply?.kind !== 'deleted')
        .map(seen),
    press: (user, _message, button) =>
      post(user, '/api/button', { customId: button.customId, pressId: `press-${++presses}-${prefix}` }),
  };
});
