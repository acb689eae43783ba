import { z } from 'zod';
import type { AttachedImage, RequestHandler, VideoOptions, VideoRequest } from '../src/core/index.ts';
// The file, not src/model/index.ts: that one loads onnxruntime, which the bot never needs.
import { SEED_MAX } from '../src/model/seed-range.ts';
import {
  type CommandDefinition,
  CommandError,
  CommandErrorCode,
  type CommandInvocation,
  type CommandModule,
  type CommandOption,
  type ModelFacts,
  type OptionShape,
} from './kit/index.ts';

/** `quality`'s choice that names no tier: the worker picks the best tier that fits. */
export const AUTO_QUALITY = 'auto';

/**
 * /video's options without the model: names, types, descriptions and the bounds that hold for every
 * model. The CLI's overlapping flags are read from here; {@link videoCommand}'s `define` adds the
 * model's ranges and tiers.
 */
export const VIDEO_OPTION_SHAPES = {
  prompt: {
    name: 'prompt',
    type: 'string',
    description: 'What the clip should show, e.g. a red ball bouncing on green grass',
    required: true,
    minLength: 3,
    maxLength: 500,
  },
  negative: {
    name: 'negative',
    type: 'string',
    description: 'What to keep out of the clip, e.g. blurry, text',
    maxLength: 200,
  },
  seed: {
    name: 'seed',
    type: 'integer',
    description: 'Fixes the randomness: the same prompt and seed give the same clip again',
    min: 0,
    max: SEED_MAX,
  },
  quality: {
    name: 'quality',
    type: 'string',
    description: 'Size and detail of the clip; auto picks the best that fits the machine now',
  },
  steps: {
    name: 'steps',
    type: 'integer',
    description: "Sampling steps: more are slower and often cleaner (default: the quality tier's)",
    min: 1,
  },
  guidance: {
    name: 'guidance',
    type: 'number',
    description: 'How closely to follow the prompt: higher sticks to it more literally',
    min: 0,
  },
  private: {
    name: 'private',
    type: 'boolean',
    description: 'Only you see the reply',
  },
  caption: {
    name: 'caption',
    type: 'string',
    description: 'Text shown on the clip, e.g. Happy birthday, Sam!',
    maxLength: 100,
  },
  image: {
    name: 'image',
    type: 'image',
    description: 'A picture the clip starts from and brings to life (PNG, JPEG or WebP)',
  },
} as const satisfies Record<string, OptionShape>;

const S = VIDEO_OPTION_SHAPES;

function definition(options: readonly CommandOption[]): CommandDefinition {
  return {
    name: 'video',
    description: 'Make a short video clip from a text prompt',
    positional: S.prompt.name,
    example: '/video a red ball bouncing on green grass --quality low --seed 7',
    options,
  };
}

/** The image option's description for a model that makes clips from text alone: it is refused. */
const TEXT_ONLY_IMAGE = "A picture to start from; this server's model makes clips from text only";

/** /video with a given model: its tiers as quality choices, its steps and guidance ranges. */
function define(facts: ModelFacts): CommandDefinition {
  const tiers = facts.tiers.map((t) => ({
    value: t.name,
    label: `${t.name}: ${t.width}×${t.height}, ${t.frames} frames`,
  }));
  return definition([
    S.prompt,
    S.negative,
    S.seed,
    {
      ...S.quality,
      default: AUTO_QUALITY,
      choices: [{ value: AUTO_QUALITY, label: 'auto: the best that fits now' }, ...tiers],
    },
    { ...S.steps, min: facts.minSteps, max: facts.maxSteps },
    { ...S.guidance, max: facts.maxGuidance, default: facts.defaultGuidance },
    { ...S.private, default: false },
    S.caption,
    facts.takesImage ? S.image : { ...S.image, description: TEXT_ONLY_IMAGE },
  ]);
}

/**
 * /video with no model known: the option shapes alone, so any quality name parses and the help
 * gives no model ranges (admission still checks everything). For code that has no manifest at
 * hand, such as tests; the bot always uses `videoCommand.define(modelFacts(manifest))`.
 */
export const VIDEO_WITHOUT_MODEL: CommandDefinition = definition(Object.values(S));

// Types only: ranges and choices are admission's to check, with its own messages.
const valuesSchema = z.object({
  [S.prompt.name]: z.string(),
  [S.negative.name]: z.string().optional(),
  [S.seed.name]: z.number().optional(),
  [S.quality.name]: z.string().optional(),
  [S.steps.name]: z.number().optional(),
  [S.guidance.name]: z.number().optional(),
  [S.private.name]: z.boolean().optional(),
  [S.caption.name]: z.string().optional(),
  [S.image.name]: z
    .custom<AttachedImage>(
      (v) => typeof v === 'object' && v !== null && typeof (v as AttachedImage).read === 'function',
    )
    .optional(),
});

/** The request a use of /video makes: option values as typed, the platform's context around them. */
export function videoRequest({ values, context }: Omit<CommandInvocation, 'target'>): VideoRequest {
  const parsed = valuesSchema.safeParse(values);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new CommandError(CommandErrorCode.InvalidValues, `/video got values of the wrong type: ${why}`);
  }
  const v = parsed.data;
  const options: VideoOptions = {};
  if (v.negative !== undefined) options.negativePrompt = v.negative;
  if (v.seed !== undefined) options.seed = v.seed;
  if (v.quality !== undefined) options.quality = v.quality;
  if (v.steps !== undefined) options.steps = v.steps;
  if (v.guidance !== undefined) options.guidance = v.guidance;
  if (v.private !== undefined) options.private = v.private;
  if (v.caption !== undefined) options.caption = v.caption;
  const { requestId, tenant, user, channelId, receivedAt, uploadLimitBytes } = context;
  return {
    requestId,
    tenant,
    user,
    channelId,
    prompt: v.prompt,
    options,
    receivedAt,
    uploadLimitBytes,
    ...(v.image ? { image: v.image } : {}),
  };
}

/** `/video <prompt> [options]`: asks the core for a clip. */
export const videoCommand = {
  name: 'video',
  define,
  // Its replies go to the invocation's target; nothing to answer here.
  async execute(invocation: CommandInvocation, handler: RequestHandler): Promise<undefined> {
    await handler.onVideoRequest(videoRequest(invocation), invocation.target);
    return undefined;
  },
} satisfies CommandModule;

export default videoCommand;
