/// <reference lib="dom" />
import { existsSync } from 'node:fs';
import pino from 'pino';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlaygroundAdapter } from '../../src/adapters/playground/index.ts';
import { RedisArtifactStore } from '../../src/artifacts/index.ts';
import { loadManifest, OnnxVideoModel } from '../../src/model/index.ts';
import type { GenerateWorker } from '../../worker/generate-worker.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { testPicture } from '../support/test-images.ts';
import { startTestBot, startTestWorker, type TestBot } from '../support/test-spine.ts';

const silent = pino({ level: 'silent' });
/** Debian's chromium; .ci/run and scripts/ensure-deps.sh install it. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('the playground in a real browser (chromium through playwright-core)', () => {
  const redis = useLocalRedis();
  let model: OnnxVideoModel;
  let bot: TestBot;
  let worker: GenerateWorker;
  let playground: PlaygroundAdapter;
  let restarted: PlaygroundAdapter | undefined;
  let browser: Browser;
  let options: () => ConstructorParameters<typeof PlaygroundAdapter>[0];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}: run scripts/ensure-deps.sh`);
    model = await OnnxVideoModel.load(BUNDLED_MANIFEST);
    const { manifest } = await loadManifest(BUNDLED_MANIFEST);
    const prefix = `pg${Date.now()}`;
    const connection = redis.client();
    options = () => ({
      port: 0,
      host: '127.0.0.1',
      redis: connection,
      // The spine's store, as createSpineParts makes it by default: clips are served from it.
      artifacts: new RedisArtifactStore(connection, 24 * 3_600_000, `${prefix}:artifact:`),
      keyPrefix: prefix,
      uploadLimitBytes: 10 * 1024 * 1024,
      logger: silent,
    });
    playground = new PlaygroundAdapter(options());
    bot = await startTestBot(redis, {
      prefix,
      adapters: [playground],
      manifest,
      editIntervalMs: 100,
      connection,
    });
    worker = await startTestWorker(redis, model, bot.parts);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await restarted?.stop();
    await worker?.close(0);
    await bot?.close();
    await model?.dispose();
  });

  /** Records every message kind the page shows, so short-lived states (progress) are not missed. */
  async function openTab(): Promise<Page> {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { kindsSeen: string[] }).kindsSeen = seen;
      new MutationObserver((records) => {
        for (const record of records) {
          const node = record.target instanceof Element ? record.target.closest('[data-kind]') : null;
          const kind = node?.getAttribute('data-kind');
          if (kind && seen.at(-1) !== kind) seen.push(kind);
        }
      }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    await page.goto(playground.url);
    await page.locator('#connection[data-state="connected"]').waitFor();
    return page;
  }

  const send = async (page: Page, line: string) => {
    await page.getByLabel('Message').fill(line);
    await page.getByLabel('Message').press('Enter');
  };
  const doneSeeds = async (page: Page) =>
    (await page.locator('[data-kind="done"]').allInnerTexts()).map((text) =>
      Number(/seed (\d+)/.exec(text)?.[1]),
    );

  // Before the clip test, which ends with the playground restarted on its port.
  it('sends a chosen picture with /video: a preview while chosen, the line notes it, and the reply is the text-only model’s refusal', async () => {
    const page = await openTab();
    const png = await testPicture('png', 640, 360);
    await page.getByRole('button', { name: 'Attach a picture' }).waitFor();
    const chooser = page.getByLabel('Picture to start the video from');
    const huge = { name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(11 * 1024 * 1024) };
    await chooser.setInputFiles(huge);
    await page
      .locator('#composer-error', { hasText: 'That picture is 11.0 MB; the limit is 10 MB.' })
      .waitFor();
    const chosen = page.locator('#attachment');
    expect(await chosen.isHidden()).toBe(true);
    const file = { name: 'cat.png', mimeType: 'image/png', buffer: png };
    await chooser.setInputFiles(file);
    await chosen.waitFor();
    expect(await page.locator('#composer-error').textContent()).toBe('');
    expect(await chosen.textContent()).toContain('cat.png');
    const previewWidth = await page.locator('#attachment-preview').evaluate(
      (img: HTMLImageElement) =>
        new Promise<number>((resolve) => {
          if (img.complete) resolve(img.naturalWidth);
          img.addEventListener('load', () => resolve(img.naturalWidth));
          img.addEventListener('error', () => resolve(0));
        }),
    );
    expect(previewWidth).toBe(640);
    await page.getByRole('button', { name: 'Remove the picture cat.png' }).click();
    await chosen.waitFor({ state: 'hidden' });
    await chooser.setInputFiles(file);
    await chosen.waitFor();

    await send(page, '/video a cat wakes up and stretches');
    const refusal = page.locator('[data-kind="refused"]');
    await refusal.waitFor({ timeout: 30_000 });
    expect(await refusal.textContent()).toContain('makes clips from text only');
    expect(await page.locator('[data-kind="user"]').textContent()).toMatch(
      /\/video a cat wakes up and stretches\s*🖼 cat\.png/,
    );
    expect(await chosen.isHidden()).toBe(true);
    expect(await page.locator('#composer-error').textContent()).toBe('');
  }, 60_000);

  it('makes a clip that plays inline with progress on the way, rerolls it with a new seed, and shows another tab its own refusal', async () => {
    const first = await openTab();
    await send(first, '/video a red ball bouncing on a white background --quality low');
    const done = first.locator('[data-kind="done"]').first();
    await done.waitFor({ timeout: 60_000 });
    const kinds = await first.evaluate(() => (window as unknown as { kindsSeen: string[] }).kindsSeen);
    expect(kinds).toContain('running');
    expect(kinds.indexOf('running')).toBeLessThan(kinds.indexOf('done'));

    const video = done.locator('video');
    await video.evaluate(
      (el: HTMLVideoElement) =>
        new Promise<void>((resolve, reject) => {
          const check = () => el.readyState >= 2 && el.duration > 0 && resolve();
          el.addEventListener('loadeddata', check);
          el.addEventListener('error', () => reject(new Error(`video error ${el.error?.code}`)));
          check();
        }),
    );
    const playable = await video.evaluate((el: HTMLVideoElement) => ({
      readyState: el.readyState,
      duration: el.duration,
      canPlay: el.canPlayType('video/mp4; codecs="avc1.42E01E"'),
      src: el.currentSrc,
    }));
    expect(playable.readyState).toBeGreaterThanOrEqual(2);
    expect(playable.duration).toBeGreaterThan(0);
    expect(playable.canPlay).not.toBe('');
    const response = await fetch(playable.src);
    expect(response.headers.get('content-type')).toBe('video/mp4');
    expect(
      Buffer.from(await response.arrayBuffer())
        .subarray(4, 8)
        .toString('latin1'),
    ).toBe('ftyp');

    await done.getByRole('button', { name: /reroll/i }).click();
    await first.locator('[data-kind="done"]').nth(1).waitFor({ timeout: 60_000 });
    const seeds = await doneSeeds(first);
    expect(seeds).toHaveLength(2);
    expect(seeds[1]).not.toBe(seeds[0]);

    const second = await openTab();
    await send(second, '/video a blue square slides to the left --quality low --steps 50');
    await send(second, '/video a green star rises at night --quality low');
    const refusal = second.locator('[data-kind="refused"]');
    await refusal.waitFor({ timeout: 30_000 });
    expect(await refusal.textContent()).toMatch(/try again at \d\d:\d\d/i);
    expect(await first.locator('[data-kind="refused"]').count()).toBe(0);
    expect(await doneSeeds(first)).toEqual(seeds);

    // A reload brings the conversation back from Redis.
    await first.reload();
    await first.locator('[data-kind="done"] video').nth(1).waitFor();
    expect(await doneSeeds(first)).toEqual(seeds);

    // So does a bot restart: the page notices, reconnects by itself and gets its clips back.
    const port = Number(new URL(playground.url).port);
    await playground.stop();
    await first.locator('#connection:not([data-state="connected"])').waitFor();
    await first.evaluate(() => document.getElementById('messages')?.replaceChildren());
    restarted = new PlaygroundAdapter({ ...options(), port });
    await restarted.start(bot.bot.handler);
    await first.locator('#connection[data-state="connected"]').waitFor({ timeout: 60_000 });
    await first.locator('[data-kind="done"] video').nth(1).waitFor();
    expect(await doneSeeds(first)).toEqual(seeds);
  }, 180_000);
});
