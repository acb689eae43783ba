// The port's promises as one suite that every adapter runs against its platform (or its local
// protocol fake): the reply sequence, the final state always shown, the buttons, notices to the
// presser alone, Delete, Reroll on a cached clip, redelivered requests, mentions that never ping,
// and, where the platform has them, moved messages and message-less workflow steps.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ButtonAction, ChatAdapter, ReplyButton, VideoRequest } from '../../src/core/index.ts';
import type { GenerateWorker } from '../../worker/generate-worker.ts';
import { useBundledModel } from '../support/bundled-model.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { startTestBot, startTestWorker, type TestBot } from '../support/test-spine.ts';

/** One message as a user sees it on the platform. */
export interface SeenMessage {
  id: string;
  /** The reply's state, or 'notice' for an answer to one person. */
  kind: string;
  text?: string;
  prompt?: string;
  seed?: number;
  buttons: readonly ReplyButton[];
  /** The clip's bytes, as the platform serves them. */
  clip?: () => Promise<Buffer>;
}

/** How the suite drives one adapter as its users would. */
export interface ContractDriver {
  adapter: ChatAdapter;
  /** `user` sends /video; `requestId` is the platform's event id (sent again = a redelivery). */
  send(user: string, requestId: string, prompt: string, options: VideoRequest['options']): Promise<void>;
  /** What `user` sees now, oldest first. */
  seen(user: string): Promise<SeenMessage[]>;
  press(user: string, message: SeenMessage, button: ReplyButton): Promise<void>;
  /** Platforms whose messages move: the message that shows reply `replyId` can no longer be edited. */
  expire?(replyId: string): void;
  /** Platforms with message-less steps (Slack Workflow Builder). */
  workflow?: {
    start(user: string, stepId: string, prompt: string, options: VideoRequest['options']): Promise<void>;
    completions(stepId: string): string[];
  };
  /** Things the adapter was asked to do that the port forbids (checked after each test). */
  violations?(): string[];
  close?(): Promise<void>;
}

export function adapterContract(
  name: string,
  makeDriver: (redis: ReturnType<typeof useLocalRedis>, prefix: string) => Promise<ContractDriver>,
): void {
  describe(`the port's promises, kept by ${name}`, () => {
    const redis = useLocalRedis();
    const bundled = useBundledModel();

    let running:
      | { driver: ContractDriver; bot: TestBot; worker?: GenerateWorker; prefix: string }
      | undefined;
    afterEach(async () => {
      await running?.worker?.close(0);
      await running?.bot.close();
      await running?.driver.close?.();
      expect(running?.driver.violations?.() ?? []).toEqual([]);
      running = undefined;
    });

    async function setup() {
      const prefix = `c${randomUUID().slice(0, 8)}`;
      const driver = await makeDriver(redis, prefix);
      const bot = await startTestBot(redis, {
        prefix,
        adapters: [driver.adapter],
        manifest: bundled.manifest,
      });
      running = { driver, bot, prefix };
      const state = running;
      const startWorker = async () => {
        state.worker = await startTestWorker(redis, bundled.model, bot.parts);
      };
      return { driver, bot, startWorker, prefix };
    }

    const alice = 'alice-000001';
    const bob = 'bob-0000002';
    const low = (seed: number): VideoRequest['options'] => ({ quality: 'low', seed });

    async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
      const end = Date.now() + 60_000;
      for (;;) {
        const value = await read();
        if (ok(value)) return value;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
        await new Promise((r) => setTimeout(r, 30));
      }
    }
    const replies = async (driver: ContractDriver, user: string) =>
      (await driver.seen(user)).filter((m) => m.kind !== 'notice');
    const notices = async (driver: ContractDriver, user: string) =>
      (await driver.seen(user)).filter((m) => m.kind === 'notice');
    const button = (message: SeenMessage | undefined, action: ButtonAction): ReplyButton => {
      const found = message?.buttons.find((b) => b.action === action);
      if (!found) throw new Error(`no ${action} button on ${JSON.stringify(message)}`);
      return found;
    };

    it('a request is answered at once with Cancel, shows progress, and ends in its clip with Reroll and Delete', async () => {
      const { driver, startWorker } = await setup();
      await driver.send(alice, randomUUID(), 'a red ball bouncing on a white background', low(5));
      const [queued] = await until(
        'the queued reply',
        () => replies(driver, alice),
        (m) => m.length > 0,
      );
      expect(queued).toMatchObject({ kind: 'queued' });
      expect(queued?.buttons.map((b) => b.action)).toEqual(['cancel']);
      await startWorker();
      const seenKinds = new Set<string>();
      const [done] = await until(
        'the clip',
        async () => {
          const now = await replies(driver, alice);
          for (const m of now) seenKinds.add(m.kind);
          return now;
        },
        (m) => m[0]?.kind === 'done',
      );
      expect(done?.buttons.map((b) => b.action)).toEqual(['reroll', 'delete']);
      expect(done?.seed).toBe(5);
      const bytes = await done?.clip?.();
      expect(bytes?.subarray(4, 8).toString('latin1')).toBe('ftyp'); // an MP4
      await new Promise((r) => setTimeout(r, 300)); // late progress, were there any, would land now
      expect((await replies(driver, alice)).map((m) => m.kind)).toEqual(['done']);
    });

    it('a notice answers the presser alone, and the message it was pressed on is left as it was', async () => {
      const { driver } = await setup();
      await driver.send(alice, randomUUID(), 'a blue square slides to the left', low(6));
      const [queued] = await until(
        'the queued reply',
        () => replies(driver, alice),
        (m) => m.length > 0,
      );
      await driver.press(bob, queued as SeenMessage, button(queued, 'cancel'));
      const [notice] = await until(
        'the notice',
        () => notices(driver, bob),
        (m) => m.length > 0,
      );
      expect(notice?.text).toBe('Only the person who asked for this video can cancel it.');
      expect(await notices(driver, alice)).toEqual([]);
      expect((await replies(driver, alice)).map((m) => m.kind)).toEqual(['queued']);
      await driver.press(alice, queued as SeenMessage, button(queued, 'cancel'));
      await until(
        'the cancel',
        () => replies(driver, alice),
        (m) => m[0]?.kind === 'cancelled',
      );
    });

    it('Delete removes the clip for its requester only; anyone else is told so alone', async () => {
      const { driver, startWorker } = await setup();
      await startWorker();
      await driver.send(alice, randomUUID(), 'a yellow star rises at night', low(7));
      const [done] = await until(
        'the clip',
        () => replies(driver, alice),
        (m) => m[0]?.kind === 'done',
      );
      await driver.press(bob, done as SeenMessage, button(done, 'delete'));
      const [notice] = await until(
        'the notice',
        () => notices(driver, bob),
        (m) => m.length > 0,
      );
      expect(notice?.text).toMatch(/Only the person who asked for this video/);
      expect((await replies(driver, alice))[0]?.kind).toBe('done');
      await driver.press(alice, done as SeenMessage, button(done, 'delete'));
      await until(
        'the deletion',
        () => replies(driver, alice),
        (m) => !m.some((x) => x.kind === 'done'),
      );
    });

    it('Reroll works on a clip answered from the cache, and makes a new clip with a new seed', async () => {
      const { driver, startWorker } = await setup();
      await startWorker();
      const prompt = 'a green ball falls against black';
      await driver.send(alice, randomUUID(), prompt, low(8));
      await until(
        'the first clip',
        () => replies(driver, alice),
        (m) => m[0]?.kind === 'done',
      );
      await driver.send(bob, randomUUID(), prompt, low(8));
      const [cached] = await until(
        'the cached clip',
        () => replies(driver, bob),
        (m) => m[0]?.kind === 'done',
      );
      await driver.press(bob, cached as SeenMessage, button(cached, 'reroll'));
      const seen = await until(
        'the rerolled clip',
        () => replies(driver, bob),
        (m) => m[1]?.kind === 'done',
      );
      expect(seen[0]?.kind).toBe('done'); // the cached clip stays
      expect(seen[1]?.seed).not.toBe(8);
      expect(seen[1]?.prompt).toBe(prompt);
      const [first, second] = await Promise.all([seen[0]?.clip?.(), seen[1]?.clip?.()]);
      expect(first && second && Buffer.compare(first, second)).not.toBe(0);
    });

    it('a redelivered request is queued once and answered once', async () => {
      const { driver, bot } = await setup();
      const id = randomUUID();
      await driver.send(alice, id, 'a red triangle moves right', low(9));
      await driver.send(alice, id, 'a red triangle moves right', low(9));
      await until(
        'the reply',
        () => replies(driver, alice),
        (m) => m.length > 0,
      );
      await new Promise((r) => setTimeout(r, 200));
      expect((await replies(driver, alice)).map((m) => m.kind)).toEqual(['queued']);
      expect(await bot.parts.generate.getJobCountByTypes('waiting', 'prioritized')).toBe(1);
    });

    it('a prompt that mentions @everyone is echoed so that it pings no one', async () => {
      const { driver, startWorker } = await setup();
      await startWorker();
      await driver.send(alice, randomUUID(), '@everyone a red ball bounces', low(10));
      const [done] = await until(
        'the clip',
        () => replies(driver, alice),
        (m) => m[0]?.kind === 'done',
      );
      expect(done?.prompt).toContain('everyone');
      expect(done?.prompt).not.toMatch(/@everyone/);
    });

    it('when the message showing a reply moves, later renders reach the new message', async (context) => {
      const { driver, startWorker } = await setup();
      if (!driver.expire) return context.skip(`${name}: its messages never move`);
      const id = randomUUID();
      await driver.send(alice, id, 'a blue ball rises', low(11));
      const [first] = await until(
        'the queued reply',
        () => replies(driver, alice),
        (m) => m.length > 0,
      );
      driver.expire(id);
      await startWorker();
      const seen = await until(
        'the clip',
        () => replies(driver, alice),
        (m) => m.some((x) => x.kind === 'done'),
      );
      const done = seen.find((m) => m.kind === 'done') as SeenMessage;
      expect(done.id).not.toBe(first?.id);
      await driver.press(alice, done, button(done, 'delete'));
      await until(
        'the deletion',
        () => replies(driver, alice),
        (m) => !m.some((x) => x.kind === 'done'),
      );
    });

    it('a workflow step shows no progress and is completed once, also across a bot restart', async (context) => {
      const { driver, bot, startWorker, prefix } = await setup();
      if (!driver.workflow) return context.skip(`${name}: it has no workflow steps`);
      const step = randomUUID();
      await driver.workflow.start(alice, step, 'a white star slides left', low(12));
      await startWorker();
      const workflow = driver.workflow;
      await until(
        'the completion',
        async () => workflow.completions(step),
        (c) => c.length > 0,
      );
      // The bot restarts and the final reply is delivered again (a crash before BullMQ's ack).
      await bot.close();
      const again = await startTestBot(redis, {
        prefix,
        adapters: [driver.adapter],
        manifest: bundled.manifest,
      });
      (running as { bot: TestBot }).bot = again;
      const queue = again.parts.deliver.get(driver.adapter.platform);
      const [delivered] = (await queue?.getJobs(['completed'])) ?? [];
      await queue?.add('deliver', delivered?.data as never, { jobId: `again-${step}` });
      await new Promise((r) => setTimeout(r, 500));
      expect(workflow.completions(step)).toEqual(['done']);
    });
  });
}
