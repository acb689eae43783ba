import { type OptionShape, VIDEO_OPTION_SHAPES as VIDEO, valueText } from '../../commands/index.ts';
import type { UsageTopic } from './usage-error.ts';

/**
 * A flag shared with /video: its description as /video gives it and, on a second line, what the CLI
 * accepts and its default here.
 */
function sharedFlag(shape: OptionShape, placeholder: string, notes: string[]): string {
  // The CLI's help starts its descriptions in lowercase.
  const description = shape.description.charAt(0).toLowerCase() + shape.description.slice(1);
  const line = `  --${shape.name} ${placeholder}`.padEnd(20) + description;
  return notes.length > 0 ? `${line}\n${' '.repeat(20)}(${notes.join('; ')})` : line;
}

const MAIN = `Usage: clipbot <command> [options]

Commands:
  start                 run the bot: Redis (private, unless REDIS_URL is set), the worker and the bot
  status                show the running stack: its processes, Redis, workers and queues
  generate "<prompt>"   generate a short clip and write it as an MP4
  models                list the model's quality tiers

Run 'clipbot <command> --help' for the options of a command.

Environment (flags win over these):
  CLIPBOT_MODEL             model.json to load (default: the bundled models/shapes-v1/model.json)
  CLIPBOT_PROVIDERS         execution providers to try in order, e.g. cuda,cpu (default: cpu)
  CLIPBOT_THREADS           CPU threads, 0 = onnxruntime chooses (default: 0)
  CLIPBOT_MAX_UPLOAD_BYTES  MP4 byte budget (default: 10485760)
  FFMPEG_PATH               ffmpeg binary (default: ffmpeg on PATH)
  LOG_LEVEL                 debug shows model logs and stack traces on errors`;

const GENERATE = `Usage: clipbot generate "<prompt>" [options]

Generates a clip for the prompt and writes it as an H.264 MP4.

Options:
${sharedFlag(VIDEO.seed, 'N', [valueText(VIDEO.seed), 'default: random, printed so you can repeat it'])}
${sharedFlag(VIDEO.steps, 'N', [valueText(VIDEO.steps), "at most the model's maximum"])}
${sharedFlag(VIDEO.guidance, 'X', [valueText(VIDEO.guidance), "default: the model's"])}
  --tier NAME       quality tier; 'clipbot models' lists them (default: the model's)
${sharedFlag(VIDEO.negative, 'TEXT', [])}
${sharedFlag(VIDEO.caption, 'TEXT', [`at most ${VIDEO.caption.maxLength} characters`])}
${sharedFlag(VIDEO.image, 'FILE', ['at most 10 MB', 'for models that take one, such as Wan2.2'])}
  -o, --out FILE    where to write the MP4 (default: clip-<seed>.mp4 in this folder)
  --model FILE      model.json to load (default: $CLIPBOT_MODEL or the bundled model)
  --providers LIST  execution providers to try in order, e.g. cuda,webgpu,cpu
  --upscale N       integer enlargement, nearest neighbour (default: short side at least 256 px)
  --max-bytes N     byte budget for the MP4 (default: $CLIPBOT_MAX_UPLOAD_BYTES or 10485760)
  -h, --help        show this help

Ctrl-C cancels within one sampler step.`;

const START = `Usage: clipbot start

Runs everything on this machine: a private redis-server under CLIPBOT_DATA_DIR (unless REDIS_URL
is set), the worker with the model (restarted if it dies) and the bot. Ctrl-C stops all three.
Configuration comes from the environment; see .env.example.

Options:
  -h, --help   show this help`;

const MODELS = `Usage: clipbot models [--model FILE]

Lists the model's name, frame rate and quality tiers.

Options:
  --model FILE   model.json to read (default: $CLIPBOT_MODEL or the bundled model)
  -h, --help     show this help`;

const STATUS = `Usage: clipbot status

Shows what the clipbot start on this data folder (CLIPBOT_DATA_DIR) is doing: the launcher and the
processes it supervises, whether Redis answers, the workers seen in the last few seconds, and the
queues. Exits 0 when the stack runs with a live worker, 1 otherwise.

Options:
  -h, --help   show this help`;

const TEXTS: Record<UsageTopic, string> = {
  main: MAIN,
  start: START,
  status: STATUS,
  generate: GENERATE,
  models: MODELS,
};

/** The help text for the CLI or one of its commands. */
export function usage(topic: UsageTopic = 'main'): string {
  return TEXTS[topic];
}

/** The first line of a help text: what a usage error prints before pointing at --help. */
export function usageSynopsis(topic: UsageTopic = 'main'): string {
  return TEXTS[topic].split('\n', 1)[0] as string;
}
