// /video --image on Slack, end to end: a picture a user shared in Slack, named by its link in the
// slash command, read by the real Bolt adapter through files.info and url_private from the local fake
// Slack; the real bot core's admission; with the Wan manifest, the real worker uploads it to a fake
// ComfyUI as the workflow's start image.
import { readFile } from 'node:fs/promises';
import pino from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ComfyVideoModel,
  loadManifest,
  type ModelManifest,
  type OnnxVideoModel,
} from '../../src/model/index.ts';
import { useBundledModel } from '../support/bundled-model.ts';
import { FakeComfyUI } from '../support/fake-comfyui/index.ts';
import type { FakeTeam } from '../support/fake-slack/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { eventually, LONG, replyIn, useSlackStacks } from '../support/slack-scenarios.ts';
import { ADMIN, ALICE, BOB, CHANNEL, type SlackStack, TEAM_ONE } from '../support/slack-stack.ts';
import { testPicture } from '../support/test-images.ts';
import { startTestWorker } from '../support/test-spine.ts';

const WAN = 'models/wan2.2-ti2v-5b/model.json';
/** A private channel the bot is in with Bob, and Alice is not. */
const SECRET = 'G0000000002';
const TEAM: FakeTeam = {
  ...TEAM_ONE,
  channels: [...TEAM_ONE.channels, { id: SECRET, name: 'secret', members: [BOB] }],
};

describe('/video --image on Slack: a picture shared in Slack, named by its link', () => {
  const redis = useLocalRedis();
  const bundled = useBundledModel();
  const stacks = useSlackStacks(redis, bundled);
  let wanManifest: ModelManifest | undefined;
  beforeAll(async () => {
    wanManifest = (await loadManifest(WAN)).manifest;
  });
  /** The Wan manifest, which takes pictures; a test starts its ComfyUI worker when it needs one. */
  const wanStacks = useSlackStacks(redis, {
    get manifest(): ModelManifest {
      if (!wanManifest) throw new Error('the Wan manifest is not loaded yet');
      return wanManifest;
    },
    get model(): OnnxVideoModel {
      throw new Error('a Wan stack has no bundled model: start a ComfyUI worker');
    },
  });
  const logLines: string[] = [];
  const startWan = () => {
    logLines.length = 0;
    const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
    return wanStacks.start({ teams: [TEAM], logger });
  };
  const share = async (s: SlackStack, user: string, channel: string, name = 'cat.png') => {
    const bytes = await testPicture('png', 640, 360);
    const id = s.fake.shareFile({ user, channel, name, bytes, mimetype: 'image/png' });
    const file = s.fake.files.find((f) => f.id === id);
    if (!file) throw new Error('the shared file is not in the fake');
    return { id, bytes, permalink: file.permalink, urlPrivate: file.urlPrivate };
  };
  const video = (s: SlackStack, text: string, userId = ALICE) =>
    s.fake.slashCommand({ userId, channelId: CHANNEL, text });
  const refusal = (s: SlackStack, text: RegExp) => stacks.ephemeral(s, ALICE, text);
  const filesInfo = (s: SlackStack) => s.fake.calls.filter((c) => c.method === 'files.info');

  it('when the model makes clips from text only, then a picture is refused in words, to the asker alone, and nothing is queued', async () => {
    const s = await stacks.start();
    const cat = await share(s, ALICE, CHANNEL);
    await video(s, `the cat stretches and yawns --image ${cat.permalink}`);
    const refused = await refusal(s, /makes clips from text only/);
    expect(refused.text).toMatch(/without the image/);
    // The "Starting…" message goes once the refusal is shown.
    await s.fake.waitFor(() => s.fake.messages(CHANNEL).every((m) => m.userId === ALICE));
    expect(await stacks.waitingJobs(s)).toBe(0);
    expect(filesInfo(s)).toEqual([]); // refused before the picture is even looked up
  });

  it('when the text after --image is not a file link, then the asker is told how to copy one', async () => {
    const s = await stacks.start();
    await video(s, 'the cat stretches and yawns --image cat.png');
    const hint = await refusal(s, /--image takes the link of a picture shared in Slack/);
    expect(hint.text).toContain('Copy link to file');
    expect(hint.text).toContain('cat.png');
    expect(filesInfo(s)).toEqual([]);
    await video(s, '--help');
    const help = await refusal(s, /--image LINK: /);
    expect(help.text).toContain('the link of a picture shared in Slack');
  });

  it(
    'with a model that takes pictures, the file the asker shared reaches the start image byte for byte, read with the bot token that no log line shows',
    async () => {
      const s = await startWan();
      const comfy = await FakeComfyUI.start({ cache: false, stepMs: 20 });
      wanStacks.cleanups.push(() => comfy.stop());
      const worker = await startTestWorker(
        redis,
        await ComfyVideoModel.load(WAN, { url: comfy.url, reconnectMs: 1_500 }),
        s.bot.parts,
      );
      wanStacks.cleanups.push(() => worker.close(0));
      const cat = await share(s, ALICE, CHANNEL);
      // As Slack may deliver a pasted link: wrapped, with a label holding spaces.
      await video(
        s,
        `the cat stretches and yawns --quality low --steps 4 --image <${cat.permalink}|cat picture>`,
      );
      await replyIn(s.fake, CHANNEL, 'done');
      const run = comfy.runs()[0];
      expect((await readFile(run?.startImage?.file ?? '')).equals(cat.bytes)).toBe(true);
      expect(filesInfo(s).map((c) => [c.args.file, c.token])).toEqual([[cat.id, TEAM.botToken]]);
      expect(logLines.length).toBeGreaterThan(0);
      expect(logLines.filter((line) => line.includes(TEAM.botToken))).toEqual([]);
    },
    LONG * 2,
  );

  it('a file someone else shared in this channel may be used, by its url_private or its id', async () => {
    const s = await startWan();
    const dog = await share(s, BOB, CHANNEL, 'dog.png');
    await video(s, `a dog wags its tail --quality low --steps 4 --image ${dog.urlPrivate}`);
    await video(s, `a dog rolls over --quality low --steps 4 --image ${dog.id}`, ADMIN);
    await eventually(async () => (await stacks.waitingJobs(s)) === 2, LONG);
    expect(filesInfo(s).map((c) => c.args.file)).toEqual([dog.id, dog.id]);
  });

  it('a link to a file someone else shared in a channel the asker is not in is refused, and the file is not named', async () => {
    const s = await startWan();
    const secret = await share(s, BOB, SECRET, 'plans-for-the-party.png');
    await video(s, `the cat stretches --image ${secret.permalink}`);
    const refused = await refusal(s, /only use a picture you shared yourself or one shared in this channel/);
    expect(refused.text).not.toContain('plans');
    expect(await stacks.waitingJobs(s)).toBe(0);
  });

  it('a picture the asker shared elsewhere (their DM with the bot) is theirs to use here', async () => {
    const s = await startWan();
    const mine = await share(s, ALICE, s.fake.dmChannel(ALICE));
    await video(s, `the cat stretches --quality low --steps 4 --image ${mine.permalink}`);
    await replyIn(s.fake, CHANNEL, 'queued');
  });

  it('a deleted file, a file too large and a workspace without files:read each get a clear reason', async () => {
    const s = await startWan();
    const gone = await share(s, ALICE, CHANNEL);
    s.fake.deleteFile(gone.id);
    await video(s, `the cat stretches --image ${gone.permalink}`);
    await refusal(s, /That file was deleted from Slack\. Share the picture again/);

    const huge = s.fake.shareFile({
      user: ALICE,
      channel: CHANNEL,
      name: 'huge.png',
      bytes: new Uint8Array(11 * 1024 * 1024),
    });
    await video(s, `the cat stretches --image ${huge}`);
    await refusal(s, /Your image "huge\.png" is 11\.0 MB; the limit is 10 MB\./);

    const cat = await share(s, ALICE, CHANNEL);
    s.fake.failNext('files.info', { error: 'missing_scope' });
    await video(s, `the cat stretches --image ${cat.id}`);
    await refusal(s, /a workspace admin must reinstall the app so it gets the files:read permission/);
    expect(await stacks.waitingJobs(s)).toBe(0);
  });
});
