// The Workflow Builder step "Generate video" end to end: the real Bolt app against a local fake Slack,
// the real queue, worker, ffmpeg and bundled model; its failures and its outputs, across bot restarts.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ADMISSION_LIMITS } from '../../src/admission/index.ts';
import { createSpineParts } from '../../src/app/index.ts';
import type { VideoModel } from '../../src/model/index.ts';
import { useBundledModel } from '../support/bundled-model.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { completionCalls, eventually, LONG, useSlackStacks } from '../support/slack-scenarios.ts';
import { ADMIN, ALICE, CHANNEL } from '../support/slack-stack.ts';
import { startTestWorker } from '../support/test-spine.ts';

describe('Slack workflow steps, end to end through the real Bolt app', () => {
  const redis = useLocalRedis();
  const bundled = useBundledModel();
  const { cleanups, start, ephemeral, waitingJobs } = useSlackStacks(redis, bundled);

  describe('the Workflow Builder step "Generate video"', () => {
    it('when the request is refused (a term a workspace admin blocked, a quality the model lacks), then the step fails once with the reason and nothing is queued', async () => {
      const s = await start();
      await s.fake.slashCommand({ userId: ADMIN, channelId: CHANNEL, text: 'admin --block dragon' });
      await ephemeral(s, ADMIN, /Blocked terms: added “dragon”/);
      const blocked = await s.fake.runWorkflowStep({
        callbackId: 'generate_video',
        inputs: { prompt: 'a red dragon flies over the sea', quality: 'low', user: ALICE },
      });
      const badQuality = await s.fake.runWorkflowStep({
        callbackId: 'generate_video',
        inputs: { prompt: 'a red ball bouncing', quality: 'ultra' },
      });
      expect([blocked.ack.status, badQuality.ack.status]).toEqual([200, 200]);
      await s.fake.waitFor(() => s.fake.completions.length === 2);
      await new Promise((r) => setTimeout(r, 300)); // a second completion, were there one, lands now
      const byExecution = (id: string) => s.fake.completions.filter((c) => c.executionId === id);
      expect(byExecution(blocked.executionId)).toEqual([
        expect.objectContaining({
          kind: 'error',
          tokenKind: 'workflow',
          error: expect.stringMatching(/the prompt contains a term/),
        }),
      ]);
      expect(byExecution(badQuality.executionId)).toEqual([
        expect.objectContaining({
          kind: 'error',
          tokenKind: 'workflow',
          error: expect.stringMatching(
            /quality ultra is not offered by this model; choose one of: auto, low/,
          ),
        }),
      ]);
      expect(completionCalls(s.fake, blocked.executionId)).toHaveLength(1);
      expect(completionCalls(s.fake, badQuality.executionId)).toHaveLength(1);
      expect(await s.bot.parts.generate.getJobCountByTypes('waiting', 'prioritized', 'active')).toBe(0);
    });

    it('when its job fails while the bot is down, then the restarted bot fails the step once with the reason, also when the delivery comes again', async () => {
      const s = await start();
      const step = await s.fake.runWorkflowStep({
        callbackId: 'generate_video',
        inputs: { prompt: 'a white star slides left', quality: 'low', channel: CHANNEL },
      });
      await eventually(async () => (await waitingJobs(s)) === 1);
      await s.stopBot();

      // A worker process of its own whose model may run for 1 ms (the manifest's limits.maxRunMs):
      // the job really runs, passes its deadline and fails.
      const model = bundled.model;
      const hurried: VideoModel = {
        name: model.name,
        tiers: model.tiers,
        defaultTier: model.defaultTier,
        fps: model.fps,
        maxRunMs: 1,
        generate: (request, options) => model.generate(request, options),
        dispose: async () => {},
      };
      const parts = createSpineParts(redis.client(), {
        prefix: s.prefix,
        limits: DEFAULT_ADMISSION_LIMITS,
        logger: pino({ level: 'silent' }),
      });
      const worker = await startTestWorker(redis, hurried, parts);
      cleanups.push(async () => {
        await worker.close(0);
        await parts.close();
      });
      await eventually(async () => (await parts.generate.getJobCountByTypes('failed')) === 1, LONG);
      const deliveries = parts.deliver.get('slack');
      await eventually(async () => ((await deliveries?.getJobCountByTypes('waiting')) ?? 0) > 0);
      expect(s.fake.completions).toEqual([]);

      await s.restartBot();
      const failed = await s.fake.waitFor(() =>
        s.fake.completions.find((c) => c.executionId === step.executionId),
      );
      expect(failed).toMatchObject({ kind: 'error', tokenKind: 'workflow' });
      expect(failed.error).toMatch(/took too long to make, so I stopped it/);
      // The bot dies after completing but before its delivery is acknowledged: it comes again.
      const delivery = s.bot.parts.deliver.get('slack');
      const delivered = await eventually(async () => (await delivery?.getJobs(['completed']))?.[0]);
      await delivery?.add('deliver', delivered.data, { jobId: 'again' });
      await eventually(async () => (await delivery?.getJobCountByTypes('completed')) === 2);
      expect(completionCalls(s.fake, step.executionId)).toHaveLength(1);
      expect(s.fake.files).toEqual([]);
      expect(s.fake.messages(CHANNEL)).toEqual([]);
    });

    it('when its clip is done, then the step outputs the uploaded file id and permalink and the clip is posted in the channel input', async () => {
      const s = await start();
      await s.startWorker();
      const step = await s.fake.runWorkflowStep({
        callbackId: 'generate_video',
        inputs: { prompt: 'a red ball bouncing', quality: 'low', channel: CHANNEL, user: ALICE },
      });
      const done = await s.fake.waitFor(
        () => s.fake.completions.find((c) => c.executionId === step.executionId),
        LONG,
      );
      expect(done).toMatchObject({ kind: 'success', tokenKind: 'workflow' });
      const file = s.fake.files.find((f) => f.id === done.outputs?.file_id);
      expect(file?.permalink).toBe(done.outputs?.permalink);
      expect(file?.bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
      await s.fake.waitFor(() => s.fake.files.find((f) => f.id === file?.id)?.channels.includes(CHANNEL));
      expect(completionCalls(s.fake, step.executionId)).toHaveLength(1);
    });
  });
});
