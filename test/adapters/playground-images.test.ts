// The playground's picture upload (image to video): POST /api/images, then /api/command naming the
// picture, through the real bot core, so admission reads every picture as it does for any platform.
import { readFile } from 'node:fs/promises';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFacts, videoCommand } from '../../commands/index.ts';
import { PlaygroundAdapter, type PlaygroundMessage } from '../../src/adapters/playground/index.ts';
import { PictureShelf } from '../../src/adapters/playground/picture-shelf.ts';
import { RedisArtifactStore } from '../../src/artifacts/index.ts';
import { IMAGE_MAX_BYTES } from '../../src/core/index.ts';
import { ComfyVideoModel, loadManifest, type ModelManifest } from '../../src/model/index.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';
import { FakeComfyUI } from '../support/fake-comfyui/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { playgroundMessage, playgroundPost, playgroundUpload } from '../support/playground-client.ts';
import { testPicture } from '../support/test-images.ts';
import { startTestBot, startTestWorker } from '../support/test-spine.ts';

const WAN = 'models/wan2.2-ti2v-5b/model.json';
const redis = useLocalRedis();
const silent = pino({ level: 'silent' });
const running: { stop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const thing of running.splice(0).reverse()) await thing.stop();
});

/** A playground on the real bot core for `manifest`, under a fresh key prefix. */
async function playgroundFor(manifest: ModelManifest) {
  const prefix = `pi${Math.random().toString(36).slice(2, 10)}`;
  const connection = redis.client();
  const playground = new PlaygroundAdapter({
    port: 0,
    host: '127.0.0.1',
    redis: connection,
    artifacts: new RedisArtifactStore(connection, 3_600_000, `${prefix}:artifact:`),
    keyPrefix: prefix,
    uploadLimitBytes: 8 * 1024 * 1024,
    logger: silent,
    video: videoCommand.define(modelFacts(manifest)),
  });
  const bot = await startTestBot(redis, { prefix, adapters: [playground], manifest, connection });
  running.push({ stop: () => bot.close() });
  return { playground, bot, base: playground.url };
}

let lines = 0;
/** Sends `text` as `session` (with the picture `imageId`); answers the ids of its two messages. */
async function send(base: string, session: string, text: string, imageId?: string) {
  const requestId = `line-${++lines}-${Date.now()}`;
  const response = await playgroundPost(base, session, '/api/command', {
    text,
    requestId,
    ...(imageId ? { imageId } : {}),
  });
  expect(response.status).toBe(202);
  return { line: `u-${requestId}`, reply: `r-${requestId}` };
}

/** Uploads `bytes` as `session` and answers the picture's id. */
async function upload(base: string, session: string, name: string, bytes: Uint8Array): Promise<string> {
  const response = await playgroundUpload(base, session, name, bytes);
  const body = (await response.json()) as { imageId?: string; error?: string };
  expect([response.status, body.error]).toEqual([201, undefined]);
  return body.imageId as string;
}

const settled = (m: PlaygroundMessage) => m.reply !== undefined && m.reply.kind !== 'queued';
const refusal = (m: PlaygroundMessage) => (m.reply?.kind === 'refused' ? m.reply.message : m.reply?.kind);

describe('the playground picture upload, with the bundled model (text only)', () => {
  let base: string;
  beforeAll(async () => {
    ({ base } = await playgroundFor((await loadManifest(BUNDLED_MANIFEST)).manifest));
  });

  it('a PNG uploaded and sent with /video reaches admission: the reply says the model makes clips from text only, and the line notes the picture', async () => {
    const tab = 'tab-img-0001';
    const imageId = await upload(base, tab, 'cat.png', await testPicture('png', 640, 360));
    const { line, reply } = await send(base, tab, '/video a cat wakes up and stretches', imageId);
    const answer = await playgroundMessage(base, tab, reply, settled);
    expect(answer.reply).toMatchObject({ kind: 'refused', reason: 'invalid-image' });
    expect(refusal(answer)).toMatch(/shapes-v1\) makes clips from text only/);
    expect(await playgroundMessage(base, tab, line, () => true)).toMatchObject({
      author: 'user',
      text: '/video a cat wakes up and stretches',
      image: 'cat.png',
    });
  });

  it('when the picture id is unknown, or another tab uploaded it, then the reply says to choose the picture again', async () => {
    const unknown = await send(base, 'tab-img-0002', '/video a cat', 'no-such-picture-0000');
    const answer = await playgroundMessage(base, 'tab-img-0002', unknown.reply, settled);
    expect(answer.reply).toMatchObject({ kind: 'refused', reason: 'invalid-image' });
    expect(refusal(answer)).toMatch(/no longer here.*Choose it again/);

    const elsewhere = await upload(base, 'tab-img-0003', 'cat.png', await testPicture('png', 640, 360));
    const stolen = await send(base, 'tab-img-0004', '/video a cat', elsewhere);
    expect(refusal(await playgroundMessage(base, 'tab-img-0004', stolen.reply, settled))).toMatch(
      /Choose it again/,
    );
  });

  it('typed text for --image is refused with where the Picture button is, and the help says so too', async () => {
    const { reply } = await send(base, 'tab-img-0005', '/video a cat --image cat.png');
    const answer = await playgroundMessage(base, 'tab-img-0005', reply, settled);
    expect(answer.reply).toMatchObject({ kind: 'refused', reason: 'invalid-input' });
    expect(refusal(answer)).toBe(
      '--image cannot be typed: choose the picture with the Picture button beside the prompt box.',
    );
  });

  it('an upload over 10 MiB gets 413 with a clear error, while JSON requests keep their 16 KiB limit', async () => {
    const tab = 'tab-img-0006';
    const over = await playgroundUpload(base, tab, 'big.png', new Uint8Array(IMAGE_MAX_BYTES + 1));
    expect(over.status).toBe(413);
    expect(await over.json()).toEqual({ error: 'The picture is too large: 10 MB at most.' });
    const atLimit = await playgroundUpload(base, tab, 'full.png', new Uint8Array(IMAGE_MAX_BYTES));
    expect(atLimit.status).toBe(201);
    const json = await playgroundPost(base, tab, '/api/command', { text: 'x'.repeat(20_000) });
    expect(json.status).toBe(413);
    expect(((await json.json()) as { error: string }).error).toMatch(/16 KiB at most/);
  });

  it('an upload without the tab’s session header, or from another site, is refused before its body is kept', async () => {
    const body = new Uint8Array(await testPicture('png', 64, 64));
    const url = new URL('/api/images?name=cat.png', base);
    const sessionless = await fetch(url, { method: 'POST', body });
    expect(sessionless.status).toBe(400);
    expect(((await sessionless.json()) as { error: string }).error).toMatch(/X-Clipbot-Session/);
    const headers = { 'x-clipbot-session': 'tab-img-0007', origin: 'https://evil.example' };
    const foreign = await fetch(url, { method: 'POST', headers, body });
    expect(foreign.status).toBe(403);
  });
});

describe('the picture shelf', () => {
  const owner = (user: string) => ({ session: `tab-${user}`, user });
  const bytes = (n: number) => new Uint8Array(n);

  it('keeps a few pictures per address: a new one pushes out that address’s oldest, not another’s', () => {
    const shelf = new PictureShelf({ lifeMs: 60_000, perUser: 2, totalBytes: 1_000 });
    const other = shelf.put(owner('b'), 'b.png', bytes(10));
    const [first, second, third] = ['1', '2', '3'].map((n) => shelf.put(owner('a'), `${n}.png`, bytes(10)));
    expect(shelf.get('tab-a', first as string)).toBeUndefined();
    expect(shelf.get('tab-a', second as string)?.name).toBe('2.png');
    expect(shelf.get('tab-a', third as string)?.name).toBe('3.png');
    expect(shelf.get('tab-b', other)?.name).toBe('b.png');
    shelf.clear();
  });

  it('holds no more than its total bytes, pushing out the oldest, and lets each picture go after its life', async () => {
    const shelf = new PictureShelf({ lifeMs: 100, perUser: 10, totalBytes: 25 });
    const oldest = shelf.put(owner('a'), 'a.png', bytes(10));
    shelf.put(owner('b'), 'b.png', bytes(10));
    const newest = shelf.put(owner('c'), 'c.png', bytes(10));
    expect(shelf.get('tab-a', oldest)).toBeUndefined();
    expect(shelf.size).toEqual({ count: 2, bytes: 20 });
    expect(await shelf.get('tab-c', newest)?.read(100)).toHaveLength(10);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(shelf.size).toEqual({ count: 0, bytes: 0 });
  });
});

describe('the playground picture upload, with a ComfyUI model that takes pictures', () => {
  let base: string;
  let fake: FakeComfyUI;
  beforeAll(async () => {
    const { manifest } = await loadManifest(WAN);
    const stack = await playgroundFor(manifest);
    base = stack.base;
    fake = await FakeComfyUI.start({ cache: false, stepMs: 20 });
    running.push(fake);
    const model = await ComfyVideoModel.load(WAN, { url: fake.url, reconnectMs: 1_500 });
    const worker = await startTestWorker(redis, model, stack.bot.parts);
    running.push({ stop: () => worker.close(0) });
  }, 60_000);

  it('an uploaded PNG becomes the start image of the job on the server, and the clip comes back', async () => {
    const tab = 'tab-img-0101';
    const png = await testPicture('png', 640, 360);
    const imageId = await upload(base, tab, 'cat.png', png);
    const { reply } = await send(base, tab, '/video a cat wakes up --quality low --steps 4', imageId);
    const answer = await playgroundMessage(base, tab, reply, (m) => m.reply?.kind === 'done', 60_000);
    expect(answer.reply).toMatchObject({ kind: 'done', tier: 'low' });
    const run = fake.runs()[0];
    expect(run?.startImage?.image).toMatch(/^clipbot-[0-9a-f]{16}\.png$/);
    expect((await readFile(run?.startImage?.file ?? '')).equals(png)).toBe(true);
  }, 60_000);

  it('a file that is no picture is uploaded all the same and refused by admission, which reads its bytes', async () => {
    const tab = 'tab-img-0102';
    const imageId = await upload(base, tab, 'notes.png', new TextEncoder().encode('not a picture at all'));
    const { reply } = await send(base, tab, '/video a cat wakes up --quality low', imageId);
    const answer = await playgroundMessage(base, tab, reply, settled);
    expect(answer.reply).toMatchObject({ kind: 'refused', reason: 'invalid-image' });
    expect(refusal(answer)).toMatch(/"notes.png" is not a PNG, JPEG or WebP picture/);
  });
});
