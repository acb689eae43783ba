import { type FakeServer, listen } from './fake-server.ts';
import { HttpDelivery, type Outgoing, post, signedHeaders } from './http-delivery.ts';
import { secret } from './ids.ts';
import { fileView } from './methods/files.ts';
import { type InstallResult, installThroughBrowser } from './oauth-install.ts';
import { eventCallbackBody } from './payloads.ts';
import type { DropMode } from './socket-mode.ts';
import { view } from './state.ts';
import type {
  ButtonPressInput,
  FakeAck,
  FakeCall,
  FakeCompletion,
  FakeDelivery,
  FakeEphemeral,
  FakeSlackFile,
  FakeSlackMessage,
  FakeSlackOptions,
  FakeTeam,
  Interaction,
  ShareFileInput,
  SlashCommandInput,
  WorkflowStepInput,
} from './types.ts';
import { UserActions } from './user-actions.ts';
import { deleteUserFile, shareUserFile } from './user-files.ts';

export const DEFAULT_TEAM: FakeTeam = {
  id: 'T0000000001',
  name: 'Clip Team',
  botToken: 'xoxb-1000000000001-2000000000001-fakeslackbottoken000001',
  botUserId: 'U0000000B01',
  channels: [{ id: 'C0000000001', name: 'general' }],
};

/**
 * A local Slack (Web API, request delivery into the app, and Socket Mode, on one 127.0.0.1 port) that a
 * real Bolt app talks to: `new App({ clientOptions: { slackApiUrl: fake.apiUrl } })`. Users act through
 * `slashCommand`, `pressButton`, `runWorkflowStep` and `shareFile`; tests observe `messages`, `history`,
 * `ephemerals`, `files`, `completions`, `calls` and `deliveries`, and inject faults.
 *
 * Deliveries go to `appUrl` (Bolt's HTTP receiver) when it is set, else over the app's Socket Mode
 * connection. Stop the app before the fake: a Socket Mode client that loses the fake reconnects.
 */
export class FakeSlack {
  readonly apiUrl: string;
  /** HTTP mode: the app's Request URL, e.g. `http://127.0.0.1:3000/slack/events`. Unset: Socket Mode. */
  appUrl?: string;
  readonly calls: FakeCall[];
  readonly completions: FakeCompletion[];
  readonly deliveries: FakeDelivery[] = [];
  readonly #parts: FakeServer;
  readonly #options: FakeSlackOptions;
  readonly #actions: UserActions;
  readonly #http: HttpDelivery;
  #last?: { outgoing: Outgoing; retries: number };
  #lastEvent?: { outgoing: Outgoing; retries: number };

  private constructor(parts: FakeServer, options: FakeSlackOptions) {
    this.#parts = parts;
    this.#options = options;
    this.apiUrl = `${parts.context.origin}/api/`;
    this.calls = parts.api.calls;
    this.completions = parts.state.completions;
    this.#actions = new UserActions(parts.state, () => parts.context.origin);
    this.#http = new HttpDelivery(options.signingSecret, options.ackTimeoutMs ?? 3000);
  }

  static async start(options: FakeSlackOptions): Promise<FakeSlack> {
    return new FakeSlack(await listen(options, DEFAULT_TEAM), options);
  }

  // Users acting

  /** A user runs a slash command; resolves once the app acked (what it said is shown to the user). */
  async slashCommand(input: SlashCommandInput): Promise<Interaction> {
    const action = this.#actions.slashCommand(input);
    const ack = await this.#deliver(action.outgoing);
    this.#actions.showCommandAck(action, ack);
    return { triggerId: action.triggerId, responseUrl: action.responseUrl, ack };
  }

  /** A user presses a button of a message they see (`block_actions`); resolves once the app acked. */
  async pressButton(input: ButtonPressInput): Promise<Interaction> {
    const action = this.#actions.pressButton(input);
    const ack = await this.#deliver(action.outgoing);
    return { triggerId: action.triggerId, responseUrl: action.responseUrl, ack };
  }

  /** A workflow runs the app's custom step (`function_executed`); resolves once the app acked. */
  async runWorkflowStep(
    input: WorkflowStepInput,
  ): Promise<{ executionId: string; token: string; ack: FakeAck }> {
    const step = this.#actions.workflowStep(input);
    const ack = await this.#deliver(step.outgoing);
    return { executionId: step.executionId, token: step.token, ack };
  }

  /** A user shares a file (a picture) in a conversation they are in; returns its id (F…). */
  shareFile(input: ShareFileInput): string {
    return shareUserFile(this.#parts.state, input);
  }

  /** The user deletes a file they shared: files.info then answers `file_deleted`. */
  deleteFile(fileId: string): void {
    deleteUserFile(this.#parts.state, fileId);
  }

  /**
   * Slack tells the app of an event in a team (`{ type: 'app_uninstalled' }`, `tokens_revoked`…);
   * resolves once the app acked.
   */
  async sendEvent(
    event: Record<string, unknown> & { type: string },
    teamId?: string,
  ): Promise<{ eventId: string; ack: FakeAck }> {
    const { state } = this.#parts;
    const eventId = state.ids.next('Ev', 10);
    const payload = eventCallbackBody(state, state.team(teamId), event, eventId);
    const ack = await this.#deliver({ kind: 'events_api', id: eventId, payload });
    return { eventId, ack };
  }

  /**
   * Delivers the last request again with X-Slack-Retry-Num (Socket Mode: `retry_attempt`). Slack retries
   * only Events API deliveries; `'last'` repeats any kind, `'lastEvent'` the last event.
   */
  async redeliver(
    which: 'last' | 'lastEvent' = 'last',
    retryNum?: number,
    reason = 'http_timeout',
  ): Promise<{ status: number; ack: FakeAck }> {
    const last = which === 'last' ? this.#last : this.#lastEvent;
    if (!last) throw new Error(`fake-slack: nothing to redeliver (${which})`);
    last.retries += 1;
    const ack = await this.#deliver(last.outgoing, { num: retryNum ?? last.retries, reason });
    return { status: ack.status, ack };
  }

  /** POSTs exactly this to the app (path on `appUrl`'s origin), unsigned unless the headers sign it. */
  async sendRaw(
    path: string,
    body: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; body: string }> {
    const ack = await post(new URL(path, this.#appUrl()).toString(), body, headers, 10_000);
    return { status: ack.status, body: ack.body };
  }

  /** The X-Slack-Request-Timestamp and X-Slack-Signature headers Slack would send with this body. */
  sign(rawBody: string, timestampSec?: number): Record<string, string> {
    return signedHeaders(this.#options.signingSecret, rawBody, timestampSec);
  }

  /** A one-time code for `oauth.v2.access`, as Slack's redirect after "Allow" carries it. */
  installCode(teamId: string): string {
    this.#parts.state.team(teamId);
    const code = `${teamId}.${secret(8)}`;
    this.#parts.state.installCodes.set(code, teamId);
    return code;
  }

  /**
   * A user installs the app in a team through the app's OAuth pages (Bolt's `/slack/install`): see
   * oauth-install.ts. Resolves with the app's answer to the redirect.
   */
  installApp(teamId: string, installUrl: string, redirectUrl?: string): Promise<InstallResult> {
    return installThroughBrowser(
      installUrl,
      (clientId) => {
        if (this.#options.clientId !== undefined && clientId !== this.#options.clientId) {
          throw new Error(
            `fake-slack: the install link names client_id ${clientId}, not ${this.#options.clientId}`,
          );
        }
        return this.installCode(teamId);
      },
      redirectUrl,
    );
  }

  // Observing

  /** Current messages (not deleted), in ts order; DMs are channels too. */
  messages(channelId?: string): FakeSlackMessage[] {
    return [...this.#parts.state.messages.values()]
      .filter((message) => !message.deleted && (channelId === undefined || message.channelId === channelId))
      .sort((a, b) => a.ts.localeCompare(b.ts))
      .map(view);
  }

  /** Every state of one message in order: post, each update, delete. */
  history(ts: string): FakeSlackMessage[] {
    return [...(this.#parts.state.histories.get(ts) ?? [])];
  }

  /** Every ephemeral message shown, in order; with `userId`, only those that user saw. */
  ephemerals(userId?: string): FakeEphemeral[] {
    return this.#parts.state.ephemerals.filter(
      (ephemeral) => userId === undefined || ephemeral.userId === userId,
    );
  }

  /** Files whose upload was completed, with the bytes uploaded and where they are shared so far. */
  get files(): FakeSlackFile[] {
    return [...this.#parts.state.files.values()].flatMap((file) => fileView(this.#parts.context, file) ?? []);
  }

  /** Open Socket Mode connections. */
  get socketConnections(): number {
    return this.#parts.socket.connections;
  }

  /** The bot's DM channel with a user (the id `conversations.open` gives), created when needed. */
  dmChannel(userId: string, teamId?: string): string {
    return this.#parts.state.dmWith(this.#parts.state.team(teamId), userId).id;
  }

  async waitFor<T>(probe: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`fake-slack: waitFor timed out after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  // Faults

  /** The next `times` calls of `method` answer this error (`ratelimited`: HTTP 429 with Retry-After). */
  failNext(method: string, answer: { error: string; retryAfter?: number }, times = 1): void {
    this.#parts.faults.failNext(method, answer, times);
  }

  /** The bot leaves the channel: posting there (and sharing files) answers `not_in_channel`. */
  notInChannel(channelId: string): void {
    const channel = this.#parts.state.channels.get(channelId);
    if (!channel) throw new Error(`fake-slack: no channel ${channelId}`);
    channel.botIsMember = false;
  }

  /** Ends Socket Mode connections; the client reconnects through `apps.connections.open`. */
  dropSocket(mode: DropMode = 'close'): void {
    this.#parts.socket.drop(mode);
  }

  /** Moves the clock that response_url and workflow-token lifetimes are measured by. */
  advanceTime(ms: number): void {
    this.#parts.state.clockOffsetMs += ms;
  }

  async stop(): Promise<void> {
    for (const timer of this.#parts.timers) clearTimeout(timer);
    this.#parts.timers.clear();
    await this.#parts.socket.close();
    this.#parts.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.#parts.server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  async #deliver(outgoing: Outgoing, retry?: { num: number; reason: string }): Promise<FakeAck> {
    if (!retry) {
      this.#last = { outgoing, retries: 0 };
      if (outgoing.kind === 'events_api') this.#lastEvent = this.#last;
    }
    const at = Date.now();
    const transport = this.appUrl === undefined ? 'socket' : 'http';
    const ack =
      this.appUrl === undefined
        ? await this.#parts.socket.deliver(outgoing, retry)
        : await this.#http.deliver(this.appUrl, outgoing, retry);
    this.deliveries.push({
      kind: outgoing.kind,
      transport,
      id: outgoing.id,
      retryNum: retry?.num ?? 0,
      ack,
      at,
    });
    return ack;
  }

  #appUrl(): string {
    if (this.appUrl === undefined) throw new Error('fake-slack: appUrl is not set (sendRaw needs HTTP mode)');
    return this.appUrl;
  }
}
