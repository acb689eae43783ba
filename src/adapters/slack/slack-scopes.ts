/**
 * The bot token scopes clipbot asks a workspace for: Bolt's OAuth installer requests exactly these,
 * and both app manifests (`slack/manifest.json`, `slack/manifest-http.json`) list exactly these (a
 * test holds them equal). Each one is here for the Web API calls named beside it.
 *
 * `chat:write.public` is left out on purpose: it lets a bot post in public channels it was never
 * added to. clipbot posts only where a member has invited it (`/invite @clipbot`), and says so
 * ephemerally when it is not in the channel.
 */
export const SLACK_BOT_SCOPES = [
  // The /video slash command.
  'commands',
  // chat.postMessage and chat.update (progress and the final state, with the bot token),
  // chat.postEphemeral (refusals and answers to a button press).
  'chat:write',
  // files.uploadV2: files.getUploadURLExternal and files.completeUploadExternal, for the MP4;
  // files.delete, for Delete.
  'files:write',
  // files.info: the permalink the workflow step outputs (completeUploadExternal answers id and title only),
  // and the picture a `/video … --image <file link>` names (then downloaded from its url_private).
  'files:read',
  // conversations.open: the DM that --private replies go to.
  'im:write',
  // users.info: whether the asker is a workspace admin or owner, for /video admin and for
  // cancelling or deleting other people's clips.
  'users:read',
] as const;

/** One of {@link SLACK_BOT_SCOPES}. */
export type SlackBotScope = (typeof SLACK_BOT_SCOPES)[number];
