// Benchmarks the model per tier: generation (text, sampling, decode) and MP4 encoding, peak memory,
// and a verdict against the bot's targets. Each tier runs in its own child process.
//
//   npm run bench:model -- [--model m.json] [--providers cuda,cpu] [--runs 3] [--tiers low,medium]
//                          [--no-encode] [--json]
//
// For a GPU machine with node and onnxruntime-node but no other node_modules, bundle it first:
//   npx esbuild scripts/bench-model.ts --bundle --platform=node --format=esm --target=node20 \
//     --external:onnxruntime-node --outfile=dist/bench-model.mjs \
//     --banner:js="import { createRequire } from 'node:module'; const require = createRequire(import.meta.url); const __dirname = import.meta.dirname;"
//   node dist/bench-model.mjs --model /path/to/model.json --providers cuda,cpu
// (the banner gives bundled CommonJS, fluent-ffmpeg, the require and __dirname it expects; pass
// --model, since the default path is found relative to the source tree).
import { loadConfig } from '../src/config/index.ts';
import { findBinary, MediaError, MediaErrorCode } from '../src/media/index.ts';
import { findTier, loadManifest } from '../src/model/index.ts';
import { tiersByCost } from '../worker/fallback/index.ts';
import { BENCH_USAGE, type BenchArgs, childFlags, parseBenchArgs } from './bench/bench-args.ts';
import { formatSummaries, machineFacts, summarise, verdict } from './bench/bench-report.ts';
import { measureTier } from './bench/measure-tier.ts';
import { spawnTier } from './bench/spawn-tier.ts';
import type { TierResult } from './bench/tier-result.ts';

const config = loadConfig();

async function runChild(args: BenchArgs): Promise<void> {
  const [tier] = args.tiers ?? [];
  if (!tier || args.tiers?.length !== 1) throw new Error('--child needs exactly one tier in --tiers');
  const result = await measureTier({
    manifestPath: args.manifestPath,
    providers: args.providers,
    threads: config.model.threads,
    tier,
    runs: args.runs,
    encode: args.encode,
    ffmpegPath: config.media.ffmpegPath,
    maxBytes: config.media.maxBytes,
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function runParent(args: BenchArgs): Promise<number> {
  const { manifest, path } = await loadManifest(args.manifestPath);
  if (args.encode) await findBinary('ffmpeg', config.media.ffmpegPath);
  const tiers = args.tiers ? args.tiers.map((name) => findTier(manifest, name)) : manifest.tiers;
  const script = process.argv[1] as string;
  const results: TierResult[] = [];
  const failed: string[] = [];
  for (const tier of tiers) {
    process.stderr.write(`measuring tier ${tier.name}: 1 warm-up + ${args.runs} timed\n`);
    try {
      results.push(await spawnTier(script, childFlags({ ...args, manifestPath: path }, tier.name)));
    } catch (error) {
      failed.push(tier.name);
      process.stderr.write(`tier ${tier.name} failed: ${error instanceof Error ? error.message : error}\n`);
    }
  }
  const summaries = results.map(summarise);
  const machine = machineFacts(results, args.providers);
  // The cheapest tier by pixels × frames × steps: the one the 3 s target is for.
  const lowest = tiersByCost(manifest.tiers)[0]?.name ?? '';
  const outcome = verdict(summaries, lowest, manifest.defaults.tier);
  const pass = outcome.pass && failed.length === 0;
  const verdictLine = failed.length
    ? `${outcome.line.replace(/^verdict: [^:]+/, 'verdict: FAIL')}; tiers that failed: ${failed.join(', ')}`
    : outcome.line;
  if (args.json) {
    const model = {
      name: manifest.name,
      manifestPath: path,
      lowestTier: lowest,
      defaultTier: manifest.defaults.tier,
    };
    const report = {
      machine,
      model,
      runs: args.runs,
      encode: args.encode,
      tiers: summaries,
      results,
      failed,
    };
    process.stdout.write(`${JSON.stringify({ ...report, verdict: { pass, line: verdictLine } }, null, 2)}\n`);
  } else {
    const m = machine;
    process.stdout.write(
      [
        `model     ${manifest.name} (${path}); lowest tier ${lowest}, default tier ${manifest.defaults.tier}`,
        `machine   ${m.cpu} × ${m.cpuCount} CPUs, ${m.memoryGiB} GiB, ${m.platform}`,
        `software  node ${m.node}, onnxruntime ${m.onnxruntime}, provider ${m.providersUsed.join('/') || '-'} (asked: ${m.providersAsked.join(',')}), threads ${m.threads || 'auto'}`,
        `runs      ${args.runs} per tier after 1 warm-up; times in ms, medians unless max${args.encode ? '' : '; no encode'}`,
        '',
        formatSummaries(summaries),
        '',
        verdictLine,
        '',
      ].join('\n'),
    );
  }
  return failed.length ? 1 : 0;
}

try {
  const args = parseBenchArgs(process.argv.slice(2), config.model);
  if (args === 'help') process.stdout.write(`${BENCH_USAGE}\n`);
  else if (args.child) await runChild(args);
  else process.exitCode = await runParent(args);
} catch (error) {
  const noFfmpeg = error instanceof MediaError && error.code === MediaErrorCode.FfmpegNotFound;
  const hint = noFfmpeg ? '\nOr pass --no-encode to time generation only.' : '';
  process.stderr.write(`error: ${error instanceof Error ? error.message : error}${hint}\n`);
  process.exitCode = 1;
}
