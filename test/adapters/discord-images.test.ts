// /video with a picture on Discord: the real discord.js adapter reads the ATTACHMENT option from a
// local fake Discord's CDN, admission checks it, and a ComfyUI worker (against a fake ComfyUI) starts
// the clip from it. The bundled model refuses a picture in words.
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { discordCommandJson, modelFacts, videoCommand } from '../../commands/index.ts';
import { ComfyVideoModel, loadManifest } from '../../src/model/index.ts';
import { useBundledModel } from '../support/bundled-model.ts';
import {
  ALICE,
  type DiscordStack,
  type ModelUnderTest,
  startDiscordStack,
} from '../support/discord-stack.ts';
import { FakeComfyUI } from '../support/fake-comfyui/index.ts';
import type { SlashCommandOption } from '../support/fake-discord/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { testPicture } from '../support/test-images.ts';

const WAN = 'models/wan2.2-ti2v-5b/model.json';
const PROMPT = 'the cat in the picture stretches and yawns';

describe('/video with a picture attached on Discord', () => {
  const redis = useLocalRedis();
  const bundled = useBundledModel();
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(model: ModelUnderTest | 'wan'): Promise<{ stack: DiscordStack; comfy?: FakeComfyUI }> {
    let comfy: FakeComfyUI | undefined;
    let under = model;
    if (under === 'wan') {
      const server = await FakeComfyUI.start({ cache: false, stepMs: 10 });
      comfy = server;
      cleanups.push(() => server.stop());
      under = {
        model: await ComfyVideoModel.load(WAN, { url: server.url }),
        manifest: (await loadManifest(WAN)).manifest,
      };
    }
    const stack = await startDiscordStack(redis, under);
    cleanups.push(() => stack.close());
    return comfy ? { stack, comfy } : { stack };
  }

  const withPicture = (file: Extract<SlashCommandOption, { type: 11 }>['file']): SlashCommandOption[] => [
    { name: 'prompt', type: 3, value: PROMPT },
    { name: 'quality', type: 3, value: 'low' },
    { name: 'steps', type: 4, value: 4 },
    { name: 'image', type: 11, file },
  ];

  it('reaches the start image of the workflow, and the clip is posted', async () => {
    const { stack, comfy } = await start('wan');
    await stack.startWorker();
    const cat = await testPicture('png', 640, 480);
    const answer = await stack.command(
      ALICE,
      'video',
      withPicture({ filename: 'cat.png', bytes: cat, contentType: 'image/png' }),
    );
    const done = await stack.answer(answer.interactionId ?? '', 'done');
    expect(done.attachments[0]?.filename).toMatch(/\.mp4$/);
    const run = comfy?.runs()[0];
    expect((await readFile(run?.startImage?.file ?? '')).equals(cat)).toBe(true);
  }, 60_000);

  it('is refused with what to do when it is not a picture, or its link has expired', async () => {
    const { stack } = await start('wan');
    const gif = await testPicture('gif', 200, 200);
    const notPicture = await stack.command(ALICE, 'video', withPicture({ filename: 'cat.png', bytes: gif }));
    expect(notPicture.content).toContain('🚫');
    expect(notPicture.content).toContain('is not a PNG, JPEG or WebP picture');
    const png = await testPicture('png', 200, 200);
    const expired = await stack.command(
      ALICE,
      'video',
      withPicture({ filename: 'cat.png', bytes: png, expiresInS: -60 }),
    );
    expect(expired.content).toContain(
      'Discord no longer has your picture (its link expired). Please attach it again.',
    );
    expect(await stack.bot.parts.generate.count()).toBe(0);
  }, 60_000);

  it("is refused by the bundled model, which makes clips from text only, and the command's option says so", async () => {
    const { stack } = await start(bundled);
    const cat = await testPicture('jpeg', 640, 480);
    const answer = await stack.command(
      ALICE,
      'video',
      withPicture({ filename: 'cat.jpg', bytes: cat, contentType: 'image/jpeg' }),
    );
    expect(answer.content).toContain("This server's model (shapes-v1) makes clips from text only");
    expect(await stack.bot.parts.generate.count()).toBe(0);
    const options = (manifest: ModelUnderTest['manifest']) =>
      discordCommandJson(videoCommand.define(modelFacts(manifest))).options;
    expect(options(bundled.manifest).find((o) => o.name === 'image')).toMatchObject({
      type: 11,
      description: expect.stringContaining('makes clips from text only'),
    });
    expect(options((await loadManifest(WAN)).manifest).find((o) => o.name === 'image')).toMatchObject({
      type: 11,
      description: 'A picture the clip starts from and brings to life (PNG, JPEG or WebP)',
    });
  }, 60_000);
});
