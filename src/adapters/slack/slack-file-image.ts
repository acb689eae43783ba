import type { Logger } from 'pino';
import { type AttachedImage, ImageUnavailableError, readCapped, shownFileName } from '../../core/index.ts';
import { type SlackClients, slackErrorCode, type WebClient } from './slack-clients.ts';

/** Where a /video was typed, and by whom: a picture must be theirs or shared right there. */
export interface SlackImagePlace {
  teamId: string;
  channelId: string;
  userId: string;
}

type SlackFile = NonNullable<Awaited<ReturnType<WebClient['files']['info']>>['file']>;

/** A file id as Slack writes it. */
const FILE_ID = /^F[A-Z0-9]{6,}$/;
/** "Copy link to file" (`…/files/U…/F…/name`), and url_private, its download and thumbnails. */
const LINK_PATHS = [
  /^\/files\/[UW][A-Z0-9]+\/(F[A-Z0-9]+)(?:\/([^/]+))?/,
  /^\/files-(?:pri|tmb)\/T[A-Z0-9]+-(F[A-Z0-9]+)[^/]*(?:\/(?:download\/)?([^/]+))?/,
];
/** The one host besides the Web API's that may see a bot token: Slack's file server. */
const FILE_SERVER = 'https://files.slack.com';
const DOWNLOAD_MS = 30_000;
const MB = 1024 * 1024;

const HOW_TO =
  '--image takes the link of a picture shared in Slack (hover the file → ⋮ More actions → Copy link to file), or its file id (F…)';
const CANNOT_SEE =
  "I can't see that file. Share the picture in this channel (or one I'm in) and use its link.";
const DELETED = 'That file was deleted from Slack. Share the picture again and use its new link.';
const NO_SCOPE =
  'clipbot may not read files in this workspace yet: a workspace admin must reinstall the app so it gets the files:read permission. Until then, send the prompt without --image.';
const NOT_HERE =
  'You can only use a picture you shared yourself or one shared in this channel. Share it here first, then use its link.';
const NO_DOWNLOAD =
  'Slack would not let me download that picture. Share it again and use its new link, or try again in a minute.';

/** files.info's errors that are the user's to know, in their words; any other is a fault of ours. */
const INFO_ERRORS = new Map([
  ['file_not_found', CANNOT_SEE],
  ['file_deleted', DELETED],
  ['missing_scope', NO_SCOPE],
  ['not_allowed_token_type', NO_SCOPE],
]);

/**
 * Pictures for /video on Slack, where a slash command carries no file: `--image` names a file
 * already shared in Slack (its link, or its id). Reading it asks files.info with the workspace's
 * bot token, then downloads url_private with that token. The bot may see files its requester
 * cannot, so only a file the requester shared, or one shared in the channel of the command, is
 * read. The token goes to Slack alone: the Web API's origin and files.slack.com.
 */
export class SlackFileImages {
  private readonly apiOrigin: string;
  private readonly apiHost: string;

  constructor(
    private readonly clients: SlackClients,
    apiUrl: string,
    private readonly logger: Logger,
  ) {
    const api = new URL(apiUrl);
    this.apiOrigin = api.origin;
    this.apiHost = api.host;
  }

  /** How the typed text after `--image` becomes a picture, for a command typed at `place`. */
  reader(place: SlackImagePlace): (text: string) => AttachedImage | { problem: string } {
    return (text) => {
      const link = parseFileLink(text, this.apiHost);
      if (!link) return { problem: `${HOW_TO}; got ${JSON.stringify(cut(text))}.` };
      return this.image(link, place);
    };
  }

  private image(link: FileLink, place: SlackImagePlace): AttachedImage {
    let sharedName: string | undefined;
    return {
      // The link's name until files.info, which is read before admission keeps the name.
      get name() {
        return sharedName ?? link.name ?? link.id;
      },
      read: async (maxBytes) => {
        const client = await this.clients.bot(place.teamId);
        const file = await this.fileInfo(client, link.id);
        if (!visibleTo(file, place)) throw new ImageUnavailableError(NOT_HERE);
        sharedName = file.name ?? sharedName;
        const shown = shownFileName(file.name ?? link.id);
        if (file.size !== undefined && file.size > maxBytes)
          throw new ImageUnavailableError(
            `Your image ${shown} is ${megabytes(file.size)}; the limit is ${megabytes(maxBytes, 0)}.`,
          );
        if (file.mimetype && !file.mimetype.startsWith('image/'))
          throw new ImageUnavailableError(
            `Your file ${shown} is not a picture (Slack says ${file.mimetype}); --image takes a PNG, JPEG or WebP.`,
          );
        const url = file.url_private_download ?? file.url_private;
        if (!url || file.is_external)
          throw new ImageUnavailableError(
            `Your file ${shown} is kept outside Slack, so I cannot download it.`,
          );
        if (!client.token) throw new Error('the Slack client has no token');
        return this.download(url, client.token, maxBytes, link.id);
      },
    };
  }

  private async fileInfo(client: WebClient, fileId: string): Promise<SlackFile> {
    let file: SlackFile | undefined;
    try {
      ({ file } = await client.files.info({ file: fileId }));
    } catch (error) {
      const code = slackErrorCode(error);
      const message = code === undefined ? undefined : INFO_ERRORS.get(code);
      if (message === undefined) throw error;
      this.logger.info({ fileId, error: code }, 'a picture linked in /video is not readable');
      throw new ImageUnavailableError(message, { cause: error });
    }
    if (!file) throw new ImageUnavailableError(CANNOT_SEE);
    return file;
  }

  /** The file's bytes from Slack's file server, following its redirects only within Slack's hosts. */
  private async download(url: string, token: string, maxBytes: number, fileId: string): Promise<Uint8Array> {
    let at = url;
    for (let hop = 0; hop < 3; hop++) {
      const target = new URL(at);
      if (target.origin !== FILE_SERVER && target.origin !== this.apiOrigin) {
        // Slack's sign-in page, or a host the token must never reach.
        this.logger.warn({ fileId, host: target.host }, 'a Slack file download led off Slack; not followed');
        throw new ImageUnavailableError(NO_DOWNLOAD);
      }
      const response = await fetch(target, {
        headers: { Authorization: `Bearer ${token}` },
        redirect: 'manual',
        signal: AbortSignal.timeout(DOWNLOAD_MS),
      });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        at = new URL(location, target).toString();
        continue;
      }
      // An HTML answer is Slack's sign-in page: the token was not good for this file.
      const html = (response.headers.get('content-type') ?? '').includes('text/html');
      if (!response.ok || html) {
        await response.body?.cancel();
        this.logger.warn({ fileId, status: response.status, html }, 'a Slack file download was refused');
        throw new ImageUnavailableError(NO_DOWNLOAD);
      }
      return readCapped(response, maxBytes);
    }
    throw new ImageUnavailableError(NO_DOWNLOAD);
  }
}

/** A file named by typed text: its id, and the name the link ends in, if any. */
interface FileLink {
  id: string;
  name?: string;
}

/**
 * The file a typed `--image` names: a bare id, or a link to a file on Slack (or on the Web API's
 * host, where tests run), given as typed or as Slack wraps links (`<https://…>`, `<https://…|label>`).
 */
export function parseFileLink(text: string, apiHost: string): FileLink | undefined {
  const raw = /^<([^|>]*)(?:\|[^>]*)?>$/.exec(text.trim())?.[1] ?? text.trim();
  if (FILE_ID.test(raw)) return { id: raw };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  const host = url.hostname;
  if (!(host === 'slack.com' || host.endsWith('.slack.com') || url.host === apiHost)) return undefined;
  for (const path of LINK_PATHS) {
    const [, id, name] = path.exec(url.pathname) ?? [];
    if (id) return name ? { id, name: decoded(name) } : { id };
  }
  return undefined;
}

/**
 * The command's text with a link after `--image` unwrapped from Slack's `<url|label>`, whose label
 * may hold spaces that would split the option's value.
 */
export function unwrapImageLink(text: string): string {
  return text.replace(/(--image(?:=|\s+))<([^<>|\s]+)(?:\|[^<>]*)?>/gi, '$1$2');
}

/** Whether the requester may use the file: they shared it, or it is shared in their channel. */
function visibleTo(file: SlackFile, place: SlackImagePlace): boolean {
  if (file.user === place.userId) return true;
  const listed = [file.channels, file.groups, file.ims].some((ids) => ids?.includes(place.channelId));
  return listed || !!file.shares?.public?.[place.channelId] || !!file.shares?.private?.[place.channelId];
}

function decoded(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

function cut(text: string): string {
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function megabytes(bytes: number, digits = 1): string {
  return `${(bytes / MB).toFixed(digits)} MB`;
}
