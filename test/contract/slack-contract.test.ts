import pino from 'pino';
import { loadCommands, modelFacts } from '../../commands/index.ts';
import { SlackAdapter } from '../../src/adapters/slack/index.ts';
import { parseButtonId, type ReplyButton } from '../../src/core/index.ts';
import { loadManifest } from '../../src/model/index.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';
import { FakeSlack, type FakeSlackMessage } from '../support/fake-slack/index.ts';
import { slackSeenKind } from '../support/slack-seen.ts';
import { CHANNEL, SIGNING_SECRET, TEAM_ONE } from '../support/slack-stack.ts';
import { adapterContract, type SeenMessage } from './adapter-contract.ts';

adapterContract('Slack (the real Bolt app against a local fake Slack)', async (redis, prefix) => {
  const fake = await FakeSlack.start({ signingSecret: SIGNING_SECRET, teams: [TEAM_ONE] });
  const adapter = new SlackAdapter({
    signingSecret: SIGNING_SECRET,
    botToken: TEAM_ONE.botToken,
    apiUrl: fake.apiUrl,
    port: 0,
    host: '127.0.0.1',
    redis: redis.client(),
    keyPrefix: prefix,
    uploadLimitBytes: 10 * 1024 * 1024,
    logger: pino({ level: 'silent' }),
    commands: [...(await loadCommands()).values()],
    facts: modelFacts((await loadManifest(BUNDLED_MANIFEST)).manifest),
  });
  // The suite's users by name, as Slack users.
  const users = new Map<string, string>();
  const userId = (name: string) => {
    if (!users.has(name)) users.set(name, `U00000${String(users.size + 10).padStart(5, '0')}`);
    return users.get(name) as string;
  };
  const sent = new Map<string, string>(); // the suite's request id → the delivery's trigger id
  const steps = new Map<string, string>(); // the suite's step id → the execution id

  const buttonsOf = (message: FakeSlackMessage): ReplyButton[] => {
    const found: ReplyButton[] = [];
    for (const block of message.blocks as {
      type?: string;
      elements?: { action_id?: string; text?: { text?: string } }[];
    }[])
      if (block.type === 'actions')
        for (const element of block.elements ?? []) {
          const parsed = parseButtonId(element.action_id ?? '');
          if (parsed)
            found.push({
              action: parsed.action,
              customId: element.action_id as string,
              label: element.text?.text ?? '',
            });
        }
    return found;
  };
  const seen = (message: FakeSlackMessage): SeenMessage => {
    const prompt = /^\*(.+?)\*/m.exec(message.text)?.[1];
    const seed = /seed (\d+)/.exec(message.text)?.[1];
    const file = fake.files.find((f) => f.threadTs === message.ts || message.files?.includes(f.id));
    return {
      id: message.ts,
      kind: slackSeenKind(message.text),
      text: message.text,
      buttons: buttonsOf(message),
      ...(prompt !== undefined ? { prompt } : {}),
      ...(seed !== undefined ? { seed: Number(seed) } : {}),
      ...(file ? { clip: async () => file.bytes } : {}),
    };
  };
  const askedBy = (message: FakeSlackMessage, id: string) =>
    JSON.stringify(message.blocks).includes(`asked by <@${id}>`);

  return {
    adapter,
    async send(user, requestId, prompt, options) {
      const earlier = sent.get(requestId);
      if (earlier) return void (await fake.redeliver('last', 1));
      if (fake.appUrl === undefined) fake.appUrl = adapter.eventsUrl;
      const flags = [
        ...(options.seed !== undefined ? [`--seed ${options.seed}`] : []),
        ...(options.quality !== undefined ? [`--quality ${options.quality}`] : []),
      ];
      const delivered = await fake.slashCommand({
        userId: userId(user),
        channelId: CHANNEL,
        text: [prompt, ...flags].join(' '),
      });
      sent.set(requestId, delivered.triggerId);
    },
    seen: async (user) => {
      const id = userId(user);
      const replies = fake
        .messages(CHANNEL)
        .filter((m) => !m.threadTs && askedBy(m, id) && slackSeenKind(m.text) !== 'starting')
        .map(seen);
      const notices = fake.ephemerals(id).map((e, n) => ({
        id: `ephemeral-${n}`,
        kind: slackSeenKind(e.text) === 'refused' ? 'refused' : 'notice',
        text: e.text,
        buttons: [],
      }));
      return [...replies, ...notices];
    },
    async press(user, message, button) {
      await fake.pressButton({
        userId: userId(user),
        channelId: CHANNEL,
        messageTs: message.id,
        actionId: button.customId,
      });
    },
    workflow: {
      async start(user, stepId, prompt, options) {
        if (fake.appUrl === undefined) fake.appUrl = adapter.eventsUrl;
        const run = await fake.runWorkflowStep({
          callbackId: 'generate_video',
          inputs: { prompt, quality: options.quality ?? 'low', user: userId(user) },
        });
        steps.set(stepId, run.executionId);
      },
      completions: (stepId) =>
        fake.completions
          .filter((c) => c.executionId === steps.get(stepId))
          .map((c) => (c.kind === 'success' ? 'done' : 'failed')),
    },
    violations: () => {
      const found: string[] = [];
      for (const call of fake.calls)
        if (
          call.method.startsWith('chat.') &&
          /<!(channel|here|everyone)|<@U\d+>(?! *$)/.test(String(call.args.text ?? ''))
        )
          found.push(
            `${call.method} sent a live mention in its text: ${String(call.args.text).slice(0, 80)}`,
          );
      return found;
    },
    close: () => fake.stop(),
  };
});
