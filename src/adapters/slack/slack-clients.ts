import { webApi } from '@slack/bolt';

/** Slack's Web API client, as @slack/bolt re-exports it. */
export type WebClient = InstanceType<typeof webApi.WebClient>;

/** Where a workspace's bot token comes from: the one configured, or an OAuth installation. */
export type BotTokenSource = (teamId: string) => Promise<string>;

/**
 * Web API clients, one per token (each keeps its own rate-limit queue), pointed at `apiUrl`. The
 * client waits out `ratelimited` answers for their Retry-After by itself.
 */
export class SlackClients {
  private readonly byToken = new Map<string, WebClient>();

  constructor(
    private readonly apiUrl: string,
    private readonly botToken: BotTokenSource,
  ) {}

  /** The client of a workspace's bot. */
  async bot(teamId: string): Promise<WebClient> {
    return this.withToken(await this.botToken(teamId));
  }

  /** A client for one token (a workflow step's `xwfp-` token). */
  withToken(token: string): WebClient {
    let client = this.byToken.get(token);
    if (!client) {
      // Tokens of workflow steps come and go: the map is emptied rather than left to grow.
      if (this.byToken.size >= 1_000) this.byToken.clear();
      client = new webApi.WebClient(token, {
        slackApiUrl: this.apiUrl,
        logLevel: webApi.LogLevel.ERROR,
        retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 },
      });
      this.byToken.set(token, client);
    }
    return client;
  }
}

/** Slack's error code of a failed Web API call (`not_in_channel`, `message_not_found`), if any. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}
