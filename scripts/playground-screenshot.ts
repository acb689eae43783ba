/// <reference lib="dom" />
/**
 * Takes the README's screenshot of a finished clip in a running playground (start it with
 * `npm start`), using Debian's chromium through playwright-core.
 *
 * usage: tsx scripts/playground-screenshot.ts [--url http://127.0.0.1:8787/] [--out docs/playground.png]
 */
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:8787/' },
    out: { type: 'string', default: 'docs/playground.png' },
    prompt: { type: 'string', default: 'a red ball bouncing on a white background' },
  },
});

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
try {
  const page = await browser.newPage({ viewport: { width: 760, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(values.url);
  await page.locator('#connection[data-state="connected"]').waitFor();
  await page.getByLabel('Message').fill(`/video ${values.prompt} --seed 7`);
  await page.getByLabel('Message').press('Enter');
  const video = page.locator('[data-kind="done"] video').last();
  await video.waitFor({ timeout: 120_000 });
  // A frame from the middle of the clip, paused, so the screenshot shows the object mid-motion.
  await video.evaluate(async (el: HTMLVideoElement) => {
    if (el.readyState < 2) await new Promise((r) => el.addEventListener('loadeddata', r, { once: true }));
    el.pause();
    el.currentTime = el.duration / 2;
    await new Promise((r) => el.addEventListener('seeked', r, { once: true }));
  });
  await page.screenshot({ path: values.out, fullPage: false });
  console.info(`wrote ${values.out}`);
} finally {
  await browser.close();
}
