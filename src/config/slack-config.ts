import { ConfigError } from './config-error.ts';
import type { Env } from './env-schema.ts';

/** The Slack bot's settings: `appToken` means Socket Mode; `oauth` serves many workspaces. */
export interface SlackConfig {
  signingSecret: string;
  /** One workspace's bot token; unset when workspaces install through OAuth. */
  botToken?: string;
  appToken?: string;
  /** The Web API base, ending in a slash. */
  apiUrl: string;
  /** Where the HTTP receiver listens (unused in Socket Mode). */
  port: number;
  host: string;
  oauth?: { clientId: string; clientSecret: string; stateSecret: string };
}

const OAUTH = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;

/**
 * `{ slack }` when the environment configures Slack (its signing secret, and a bot token or the
 * three OAuth settings), else nothing. A partial configuration fails with a message that names what
 * is missing, never by quietly running without Slack.
 */
export function slackConfig(e: Env): { slack?: SlackConfig } {
  const oauthSet = OAUTH.filter((name) => e[name] !== undefined);
  const anySet =
    e.SLACK_BOT_TOKEN !== undefined ||
    e.SLACK_SIGNING_SECRET !== undefined ||
    e.SLACK_APP_TOKEN !== undefined;
  if (!anySet && oauthSet.length === 0) return {};
  const missing: string[] = [];
  if (e.SLACK_SIGNING_SECRET === undefined) missing.push('SLACK_SIGNING_SECRET');
  if (oauthSet.length > 0 && oauthSet.length < OAUTH.length)
    missing.push(...OAUTH.filter((name) => e[name] === undefined));
  if (e.SLACK_BOT_TOKEN === undefined && oauthSet.length === 0)
    missing.push('SLACK_BOT_TOKEN (or the OAuth trio)');
  if (missing.length > 0)
    throw new ConfigError(
      `invalid environment: Slack is partly configured; also set ${missing.join(', ')} (see the README's Slack section)`,
    );
  return {
    slack: {
      signingSecret: e.SLACK_SIGNING_SECRET as string,
      ...(e.SLACK_BOT_TOKEN ? { botToken: e.SLACK_BOT_TOKEN } : {}),
      ...(e.SLACK_APP_TOKEN ? { appToken: e.SLACK_APP_TOKEN } : {}),
      apiUrl: e.SLACK_API_URL,
      port: e.CLIPBOT_SLACK_PORT,
      host: e.CLIPBOT_SLACK_HOST,
      ...(oauthSet.length === OAUTH.length
        ? {
            oauth: {
              clientId: e.SLACK_CLIENT_ID as string,
              clientSecret: e.SLACK_CLIENT_SECRET as string,
              stateSecret: e.SLACK_STATE_SECRET as string,
            },
          }
        : {}),
    },
  };
}
