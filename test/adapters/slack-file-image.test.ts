// The Slack adapter's reading of `--image`: which typed text names a file, that the bot token is
// sent to Slack's hosts alone (never to a host a files.info answer or a redirect names), and the
// fake Slack's files as Slack serves them (files.info of a user's file, url_private only with the
// bot token).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webApi } from '@slack/bolt';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { SlackClients } from '../../src/adapters/slack/slack-clients.ts';
import { parseFileLink, SlackFileImages } from '../../src/adapters/slack/slack-file-image.ts';
import { ImageUnavailableError } from '../../src/core/index.ts';
import { FakeSlack } from '../support/fake-slack/index.ts';
import { ALICE, BOB, CHANNEL, SIGNING_SECRET, TEAM, TEAM_ONE } from '../support/slack-stack.ts';

const TOKEN = 'xoxb-1-fake-bot-token-under-test';
const PLACE = { teamId: TEAM, channelId: CHANNEL, userId: ALICE };
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

describe('which text after --image names a Slack file', () => {
  const api = '127.0.0.1:4000';
  it.each([
    ['F0123456789', { id: 'F0123456789' }],
    [
      'https://clip-team.slack.com/files/U0000000A01/F0123456789/cat.png',
      { id: 'F0123456789', name: 'cat.png' },
    ],
    [
      '<https://clip-team.slack.com/files/U0000000A01/F0123456789/cat%20one.png|cat one>',
      { id: 'F0123456789', name: 'cat one.png' },
    ],
    [
      'https://files.slack.com/files-pri/T0000000001-F0123456789/cat.png',
      { id: 'F0123456789', name: 'cat.png' },
    ],
    [
      'https://files.slack.com/files-pri/T0000000001-F0123456789/download/cat.png',
      { id: 'F0123456789', name: 'cat.png' },
    ],
    [
      'http://127.0.0.1:4000/files-pri/T0000000001-F0123456789/cat.png',
      { id: 'F0123456789', name: 'cat.png' },
    ],
  ])('%s names a file', (text, expected) => {
    expect(parseFileLink(text, api)).toEqual(expected);
  });

  it.each([
    'cat.png',
    'f0123456789',
    'https://example.com/files/U0000000A01/F0123456789/cat.png',
    'https://clip-team.slack.com/archives/C0000000001/p1733040000000100',
    '<@U0000000A01>',
  ])('%s names none', (text) => {
    expect(parseFileLink(text, api)).toBeUndefined();
  });

  it('the how-to names the link to copy, and reads nothing yet', () => {
    const images = new SlackFileImages(
      new SlackClients('https://slack.com/api/', async () => TOKEN),
      'https://slack.com/api/',
      pino({ level: 'silent' }),
    );
    const read = images.reader(PLACE)('cat.png');
    expect(read).toEqual({ problem: expect.stringContaining('Copy link to file') });
  });
});

/** What a local stand-in server answers. */
type Answer = { status: number; headers?: Record<string, string>; body?: string | Buffer };

/** A local stand-in for Slack's Web API and a host that is not Slack's, each recording what reached it. */
async function listen(answer: (req: IncomingMessage) => Answer) {
  const seen: { path: string; authorization?: string }[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({
      path: req.url ?? '',
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    const { status, headers = {}, body = '' } = answer(req);
    res.writeHead(status, headers);
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('the bot token goes to Slack alone', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  /** A Slack whose files.info names `download` (a path on itself, or a whole URL) for the file. */
  const slackNaming = async (
    download: (origin: string) => string,
    files: (req: IncomingMessage) => Answer,
  ) => {
    let origin = '';
    const slack = await listen((req) => {
      if (!req.url?.startsWith('/api/files.info')) return files(req);
      const file = {
        id: 'F0123456789',
        name: 'cat.png',
        mimetype: 'image/png',
        size: PNG.length,
        user: ALICE,
        url_private_download: download(origin),
      };
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ok: true, file }),
      };
    });
    origin = slack.origin;
    closers.push(slack.close);
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
    const apiUrl = `${slack.origin}/api/`;
    const images = new SlackFileImages(new SlackClients(apiUrl, async () => TOKEN), apiUrl, logger);
    const image = images.reader(PLACE)('F0123456789');
    if ('problem' in image) throw new Error(image.problem);
    return { slack, image, lines };
  };
  const elsewhere = async () => {
    const host = await listen(() => ({ status: 200, headers: { 'content-type': 'image/png' }, body: PNG }));
    closers.push(host.close);
    return host;
  };

  it('a file whose url_private is on another host is not fetched', async () => {
    const other = await elsewhere();
    const { image, lines } = await slackNaming(
      () => `${other.origin}/files-pri/T0000000001-F0123456789/cat.png`,
      () => ({ status: 404 }),
    );
    await expect(image.read(1024)).rejects.toBeInstanceOf(ImageUnavailableError);
    expect(other.seen).toEqual([]);
    expect(lines.some((line) => line.includes('led off Slack'))).toBe(true);
    expect(lines.filter((line) => line.includes(TOKEN))).toEqual([]);
  });

  it("Slack's redirect to another host (its sign-in page) is not followed; one within Slack is, with the token", async () => {
    const other = await elsewhere();
    const { slack, image } = await slackNaming(
      (origin) => `${origin}/files-pri/T0000000001-F0123456789/download/cat.png`,
      (req) =>
        req.url?.includes('/download/')
          ? { status: 302, headers: { location: `${other.origin}/?redir=%2Ffiles-pri` } }
          : { status: 404 },
    );
    await expect(image.read(1024)).rejects.toThrow(/Slack would not let me download that picture/);
    expect(other.seen).toEqual([]);
    expect(slack.seen.at(-1)).toEqual({
      path: '/files-pri/T0000000001-F0123456789/download/cat.png',
      authorization: `Bearer ${TOKEN}`,
    });
  });

  it('a redirect within Slack is followed with the token, and an HTML answer (a sign-in page) is refused', async () => {
    let html = false;
    const { slack, image } = await slackNaming(
      (origin) => `${origin}/files-pri/T0000000001-F0123456789/download/cat.png`,
      (req): Answer =>
        req.url?.includes('/download/')
          ? { status: 302, headers: { location: '/files-pri/T0000000001-F0123456789/cat.png' } }
          : html
            ? { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>sign in</html>' }
            : { status: 200, headers: { 'content-type': 'image/png' }, body: PNG },
    );
    expect(Buffer.from(await image.read(1024)).equals(PNG)).toBe(true);
    expect(slack.seen.at(-1)).toEqual({
      path: '/files-pri/T0000000001-F0123456789/cat.png',
      authorization: `Bearer ${TOKEN}`,
    });
    html = true;
    await expect(image.read(1024)).rejects.toBeInstanceOf(ImageUnavailableError);
  });
});

describe("the fake Slack's files shared by users", () => {
  let fake: FakeSlack | undefined;
  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
  });

  it('files.info answers as Slack does, and url_private serves the bytes only with the bot token; a deleted file is gone', async () => {
    const secret = 'G0000000002';
    fake = await FakeSlack.start({
      signingSecret: SIGNING_SECRET,
      teams: [
        { ...TEAM_ONE, name: 'Clip Team', channels: [...TEAM_ONE.channels, { id: secret, members: [BOB] }] },
      ],
    });
    const id = fake.shareFile({ user: BOB, channel: secret, name: 'cat.png', bytes: PNG });
    const client = new webApi.WebClient(TEAM_ONE.botToken, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
    });
    const { file } = await client.files.info({ file: id });
    expect(file).toMatchObject({
      id,
      name: 'cat.png',
      mimetype: 'image/png',
      filetype: 'png',
      size: PNG.length,
      user: BOB,
      channels: [],
      groups: [secret],
      ims: [],
    });
    expect(file?.shares?.private?.[secret]?.[0]?.share_user_id).toBe(BOB);
    expect(file?.permalink).toBe(`https://clip-team.slack.com/files/${BOB}/${id}/cat.png`);
    expect(fake.messages(secret).find((m) => m.files?.includes(id))?.userId).toBe(BOB);

    const url = file?.url_private_download ?? '';
    expect(url).toMatch(/\/files-pri\/T0000000001-F\w+\/download\/cat\.png$/);
    const anonymous = await fetch(url, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toMatch(/^https:\/\/clip-team\.slack\.com\/\?redir=/);
    const wrong = await fetch(url, { redirect: 'manual', headers: { Authorization: 'Bearer xoxb-wrong' } });
    expect(wrong.status).toBe(302);
    const served = await fetch(url, { headers: { Authorization: `Bearer ${TEAM_ONE.botToken}` } });
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);

    await expect(client.files.delete({ file: id })).rejects.toMatchObject({
      data: { error: 'cant_delete_file' },
    });
    fake.deleteFile(id);
    await expect(client.files.info({ file: id })).rejects.toMatchObject({ data: { error: 'file_deleted' } });
    await expect(client.files.info({ file: 'F00000000ZZ' })).rejects.toMatchObject({
      data: { error: 'file_not_found' },
    });
    expect((await fetch(url, { headers: { Authorization: `Bearer ${TEAM_ONE.botToken}` } })).status).toBe(
      404,
    );
  });
});
