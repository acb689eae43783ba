import type { Attachment } from 'discord.js';
import { type AttachedImage, ImageUnavailableError, readCapped } from '../../core/index.ts';

/** Discord's CDN hosts, where the attachments of interactions live. */
const CDN_ORIGINS = ['https://cdn.discordapp.com', 'https://media.discordapp.net'];

/** A picture downloads in well under this; a stalled CDN must not hold the request. */
const DOWNLOAD_TIMEOUT_MS = 30_000;

const TRY_AGAIN = 'Please attach it again.';

/**
 * A picture attached to a command (an ATTACHMENT option), read from the signed CDN URL Discord put
 * in the interaction. Only Discord's CDN is fetched (or the origin of the API the client was pointed
 * at, in tests), never a URL from elsewhere; a link that expired or a CDN that fails is a refusal
 * in words for the user.
 */
export function attachmentImage(attachment: Attachment, apiUrl: string): AttachedImage {
  return {
    name: attachment.name,
    declaredBytes: attachment.size,
    read: async (maxBytes) => {
      const url = new URL(attachment.url);
      if (![...CDN_ORIGINS, new URL(apiUrl).origin].includes(url.origin))
        throw new ImageUnavailableError(
          `Your picture is not on Discord's CDN, so I did not fetch it. ${TRY_AGAIN}`,
        );
      let response: Response;
      try {
        response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS), redirect: 'error' });
      } catch (cause) {
        throw new ImageUnavailableError(
          `I could not download your picture from Discord just now. ${TRY_AGAIN}`,
          {
            cause,
          },
        );
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new ImageUnavailableError(
          response.status === 404 || response.status === 403
            ? `Discord no longer has your picture (its link expired). ${TRY_AGAIN}`
            : `Discord did not give me your picture (HTTP ${response.status}). ${TRY_AGAIN}`,
        );
      }
      return readCapped(response, maxBytes);
    },
  };
}
