// Benchmarks the pipeline around the model: the bot core and a generate worker in this process, a
// private redis-server, the real model, ffmpeg and the delivery queue; only the chat platform is
// replaced by an in-process adapter that records when each reply was rendered. It prints:
//   - overhead beyond inference per clip (p50, p95): request → 'done' reply minus the model's
//     generate() time, clips one at a time so no queue wait is counted;
//   - the worker's duty cycle under a full queue: the model's busy share of the worker's wall time;
//   - admission decisions per second, with the count admitted checked against the limits.
//
//   npm run bench:pipeline -- [--clips 50] [--tier low] [--admissions 20000] [--model m.json] [--json]
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { type AdmissionLimits, DEFAULT_ADMISSION_LIMITS } from '../src/admission/index.ts';
import { loadConfig } from '../src/config/index.ts';
import type { QualityChoice } from '../src/core/index.ts';
import { createLogger } from '../src/logging/index.ts';
import { findBinary } from '../src/media/index.ts';
import { findTier, type LoadedManifest, loadManifest, OnnxModelProcess } from '../src/model/index.ts';
import { startLocalRedis } from '../src/redis/index.ts';
import { tiersByCost } from '../worker/fallback/index.ts';
import { type BenchSpine, openBenchSpine } from './bench/pipeline/bench-spine.ts';
import { loadNow, machineFacts } from './bench/pipeline/machine-facts.ts';
import { limiterThroughput, servicePathThroughput } from './bench/pipeline/measure-admission.ts';
import { clipsAllAtOnce, clipsOneByOne } from './bench/pipeline/measure-clips.ts';
import { PIPELINE_USAGE, type PipelineArgs, parsePipelineArgs } from './bench/pipeline/pipeline-args.ts';
import { formatReport, type PipelineReport, targetChecks } from './bench/pipeline/pipeline-report.ts';
import { summariseDuty, summariseOverhead } from './bench/pipeline/pipeline-stats.ts';
import { TimedModel } from './bench/pipeline/timed-model.ts';

const config = loadConfig();

/** Limits that never refuse a bench clip; each clip has its own user, so one active job each is fine. */
const ROOMY_LIMITS: AdmissionLimits = {
  ...DEFAULT_ADMISSION_LIMITS,
  tenantClips: 100_000,
  userClips: 100_000,
  maxWaitingPerTenant: 100_000,
  maxWaitingGlobal: 100_000,
};
const CLIP_TIMEOUT_MS = 120_000;
const SERVICE_REQUESTS = 1_000;

const say = (line: string) => process.stderr.write(`${line}\n`);

/** Things to stop, last started first; safe to run twice (Ctrl-C during the finally). */
function stack() {
  const steps: (() => Promise<unknown> | unknown)[] = [];
  let done: Promise<void> | undefined;
  return {
    push: (step: () => Promise<unknown> | unknown) => steps.push(step),
    unwind: () => {
      done ??= (async () => {
        for (const step of steps.reverse()) await step();
      })();
      return done;
    },
  };
}

async function run(args: PipelineArgs): Promise<number> {
  const loadAtStart = loadNow();
  const { manifest, path }: LoadedManifest = await loadManifest(args.manifestPath);
  const tier = args.tier ? findTier(manifest, args.tier) : tiersByCost(manifest.tiers)[0];
  if (!tier) throw new Error(`model ${manifest.name} has no tiers`);
  // Every tier of the model can be asked for by name in /video.
  const quality: QualityChoice = tier.name;
  await findBinary('ffmpeg'); // the worker's encoder looks on PATH
  const logger = createLogger({ level: 'warn', destination: pino.destination(2) });
  const dir = await mkdtemp(join(tmpdir(), 'clipbot-bench-pipeline-'));
  const cleanup = stack();
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const interrupted = () => void cleanup.unwind().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  try {
    const redis = await startLocalRedis({ dataDir: dir, logger });
    cleanup.push(() => redis.stop());
    // As the worker runs it: in a process of its own.
    const model = await OnnxModelProcess.load(path, {
      providers: config.model.providers,
      threads: config.model.threads,
      logger,
    });
    cleanup.push(() => model.dispose());
    const timed = new TimedModel(model);
    const withSpine = async <T>(prefix: string, use: (spine: BenchSpine) => Promise<T>): Promise<T> => {
      const spine = await openBenchSpine({
        redisUrl: redis.url,
        prefix,
        limits: ROOMY_LIMITS,
        manifest,
        logger,
      });
      try {
        return await use(spine);
      } finally {
        await spine.close();
      }
    };
    const clipOptions = { tier: quality, clipTimeoutMs: CLIP_TIMEOUT_MS };

    say(`admission: ${args.admissions.toLocaleString('en-US')} limiter decisions, then the /video path`);
    const admission = await limiterThroughput(redis.url, logger, args.admissions);
    const servicePath = await withSpine('bench-service', (spine) =>
      servicePathThroughput(spine, quality, Math.min(SERVICE_REQUESTS, args.admissions)),
    );

    say(`overhead: 1 warm-up clip, then ${args.clips} clips at tier ${tier.name}, one at a time`);
    const { warmUpMs, oneByOne } = await withSpine('bench-overhead', async (spine) => {
      await spine.startWorker(timed);
      const [warm] = await clipsOneByOne(spine, timed, {
        ...clipOptions,
        phase: 'warm',
        count: 1,
        seedBase: 1,
      });
      const traces = await clipsOneByOne(spine, timed, {
        ...clipOptions,
        phase: 'one',
        count: args.clips,
        seedBase: 10_000,
      });
      return { warmUpMs: warm ? warm.doneAt - warm.requestedAt : Number.NaN, oneByOne: traces };
    });

    say(`duty cycle: ${args.clips} clips requested at once`);
    const queued = await withSpine('bench-duty', async (spine) => {
      await spine.startWorker(timed);
      return clipsAllAtOnce(spine, timed, {
        ...clipOptions,
        phase: 'queue',
        count: args.clips,
        seedBase: 20_000,
      });
    });

    const report: PipelineReport = {
      machine: machineFacts(model.provider, config.model.threads, loadAtStart),
      model: {
        name: manifest.name,
        manifestPath: path,
        tier: tier.name,
        tierSize: `${tier.width}x${tier.height}×${tier.frames}`,
        steps: tier.steps,
      },
      clips: args.clips,
      warmUpMs,
      overhead: summariseOverhead(oneByOne),
      duty: { ...summariseDuty(queued.traces), fullQueue: queued.fullQueue },
      admission,
      servicePath,
    };
    const checks = targetChecks(report);
    if (args.json) {
      const pass = checks.every((c) => c.pass);
      // Three decimals: finer than run-to-run noise for ms and shares alike.
      const round = (_key: string, v: unknown) =>
        typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1000) / 1000 : v;
      process.stdout.write(`${JSON.stringify({ ...report, targets: checks, pass }, round, 2)}\n`);
    } else process.stdout.write(formatReport(report, checks));
    // Missed targets are numbers to read, not errors; wrong admission counts are a bug.
    return admission.check.pass && servicePath.pass ? 0 : 1;
  } finally {
    process.off('SIGINT', interrupted);
    await cleanup.unwind();
  }
}

try {
  const args = parsePipelineArgs(process.argv.slice(2), config.model);
  if (args === 'help') process.stdout.write(`${PIPELINE_USAGE}\n`);
  else process.exitCode = await run(args);
} catch (error) {
  process.stderr.write(`error: ${error instanceof Error ? error.message : error}\n`);
  process.exitCode = 1;
}
