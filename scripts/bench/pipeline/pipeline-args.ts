import { parseArgs } from 'node:util';

/** What one pipeline bench run does. */
export interface PipelineArgs {
  manifestPath: string;
  clips: number;
  /** Tier name; undefined: the model's cheapest. */
  tier?: string;
  /** limiter.admit calls for the admission measurement. */
  admissions: number;
  json: boolean;
}

export const PIPELINE_USAGE = `Usage: npm run bench:pipeline -- [options]

Runs the bot and a worker in this process against a private redis-server and the real model, and
prints the overhead beyond inference per clip (p50, p95), the worker's duty cycle under a full
queue, and admission decisions per second, each against its target.

Options:
  --clips N         clips for each of the two clip measurements (default 50)
  --tier NAME       quality tier (default: the model's cheapest)
  --admissions N    limiter decisions to time (default 20000; rounded to a multiple of 1000)
  --model FILE      model.json (default: $CLIPBOT_MODEL or the bundled model)
  --json            print the report as JSON instead of text`;

const wholeNumber = (flag: string, value: string): number => {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new Error(`${flag} must be a whole number ≥ 1, got "${value}"`);
  return Number(value);
};

/** Parses the flags; throws an Error whose message is fit to print above the usage. */
export function parsePipelineArgs(argv: string[], defaults: { manifestPath: string }): PipelineArgs | 'help' {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      clips: { type: 'string', default: '50' },
      tier: { type: 'string' },
      admissions: { type: 'string', default: '20000' },
      model: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (v.help) return 'help';
  return {
    manifestPath: v.model ?? defaults.manifestPath,
    clips: wholeNumber('--clips', v.clips),
    tier: v.tier?.trim() || undefined,
    admissions: wholeNumber('--admissions', v.admissions),
    json: v.json,
  };
}
