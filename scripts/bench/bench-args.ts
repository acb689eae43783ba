import { parseArgs } from 'node:util';
import { type ProviderName, providerListSchema } from '../../src/config/index.ts';

/** What a bench run measures; the child process gets the same flags plus --child and one tier. */
export interface BenchArgs {
  manifestPath: string;
  providers: ProviderName[];
  runs: number;
  /** Tier names to measure; undefined: every tier of the manifest. */
  tiers?: string[];
  encode: boolean;
  json: boolean;
  child: boolean;
}

export const BENCH_USAGE = `Usage: npm run bench:model -- [options]

Times generation and MP4 encoding per tier, each tier in a fresh process so peak RSS is its own.

Options:
  --model FILE      model.json (default: $CLIPBOT_MODEL or the bundled model)
  --providers LIST  execution providers to try in order (default: $CLIPBOT_PROVIDERS or cpu)
  --runs N          timed runs per tier after one warm-up (default 3)
  --tiers A,B       only these tiers (default: all)
  --no-encode       skip ffmpeg: time generation only
  --json            print the results as JSON instead of a table`;

/** Parses the bench flags; throws an Error whose message is fit to print above the usage. */
export function parseBenchArgs(
  argv: string[],
  defaults: { manifestPath: string; providers: ProviderName[] },
): BenchArgs | 'help' {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      providers: { type: 'string' },
      runs: { type: 'string', default: '3' },
      tiers: { type: 'string' },
      'no-encode': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      child: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (v.help) return 'help';
  if (!/^\d+$/.test(v.runs) || Number(v.runs) < 1)
    throw new Error(`--runs must be a whole number ≥ 1, got "${v.runs}"`);
  let providers = defaults.providers;
  if (v.providers !== undefined) {
    const parsed = providerListSchema.safeParse(v.providers);
    if (!parsed.success)
      throw new Error(`--providers: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    providers = parsed.data;
  }
  const tiers = v.tiers
    ?.split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  return {
    manifestPath: v.model ?? defaults.manifestPath,
    providers,
    runs: Number(v.runs),
    tiers: tiers?.length ? tiers : undefined,
    encode: !v['no-encode'],
    json: v.json,
    child: v.child,
  };
}

/** The flags that make a child measure `tier` exactly as this run would. */
export function childFlags(args: BenchArgs, tier: string): string[] {
  return [
    '--child',
    '--tiers',
    tier,
    '--model',
    args.manifestPath,
    '--providers',
    args.providers.join(','),
    '--runs',
    String(args.runs),
    ...(args.encode ? [] : ['--no-encode']),
  ];
}
