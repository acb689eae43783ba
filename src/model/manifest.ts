import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { readModelFile } from './model-files.ts';
import { PipelineError, PipelineErrorCode } from './pipeline-error.ts';
import { PROVIDER_NAMES } from './provider-list.ts';

const component = z.object({
  file: z.string().min(1),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});

/**
 * A component with other files for some execution providers (an fp16 graph for GPUs, say): the
 * session under that provider loads its file instead.
 */
const variedComponent = component.extend({
  byProvider: z.partialRecord(z.enum(PROVIDER_NAMES), component).optional(),
});
export type ModelComponent = z.infer<typeof variedComponent>;

const tier = z.object({
  name: z.string().regex(/^[a-z0-9-]+$/),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  frames: z.number().int().positive(),
  steps: z.number().int().positive(),
  /** Peak memory of one generation at this tier, in MiB: the worker picks tiers that fit. */
  memoryMB: z.number().positive(),
  /**
   * Typical time of one clip at this tier, in ms, generation plus MP4 encoding, on a modest CPU: 2
   * vCPUs with onnxruntime's CPU provider (the model card's figures). `auto` uses it before this
   * machine has run the tier, scaled by how fast the tiers it has run were; unset: not judged by time.
   */
  expectedMs: z.number().positive().optional(),
});

/** How long one generation may run unless the manifest says: generous, it stops only a hung run. */
export const DEFAULT_MAX_RUN_MS = 10 * 60_000;

const limits = z.object({
  maxSteps: z.number().int().positive(),
  minSteps: z.number().int().positive().default(1),
  maxGuidance: z.number().positive(),
  /** The longest one generation may run, in ms; past it the worker stops it (DEADLINE_EXCEEDED). */
  maxRunMs: z.number().int().positive().default(DEFAULT_MAX_RUN_MS),
});

/** What every model.json says, whatever runs the model: its name, tiers, defaults and limits. */
const common = {
  schema: z.literal(1),
  name: z.string().min(1),
  description: z.string().default(''),
  defaults: z.object({ tier: z.string(), guidance: z.number().min(0), seed: z.number().int().default(0) }),
  limits,
  fps: z.number().positive(),
  tiers: z.array(tier).min(1),
};

type Common = z.infer<z.ZodObject<typeof common>>;

/** Checks every kind shares: tiers within the step limit, the default tier one of them. */
function checkCommon(m: Common, ctx: z.RefinementCtx, downscale = 1): void {
  for (const t of m.tiers) {
    if (t.width % downscale || t.height % downscale)
      ctx.addIssue({
        code: 'custom',
        path: ['tiers'],
        message: `tier ${t.name}: size not a multiple of downscale`,
      });
    if (t.steps > m.limits.maxSteps)
      ctx.addIssue({
        code: 'custom',
        path: ['tiers'],
        message: `tier ${t.name}: steps above limits.maxSteps`,
      });
  }
  if (!m.tiers.some((t) => t.name === m.defaults.tier))
    ctx.addIssue({
      code: 'custom',
      path: ['defaults', 'tier'],
      message: `no tier named "${m.defaults.tier}"`,
    });
}

/** model.json of kind `onnx` (the default): everything the generic ONNX text-to-video pipeline needs. */
export const onnxManifestSchema = z
  .object({
    kind: z.literal('onnx'),
    ...common,
    /**
     * The denoiser is one whole sampler step (models/shapes-v1/train/step_graph.py makes one from a
     * velocity predictor): latents, timestep, dt, guidance and the text rows in, next_latents out.
     */
    components: z.object({
      textEncoder: variedComponent,
      denoiser: variedComponent,
      decoder: variedComponent,
    }),
    tokenizer: z.object({
      type: z.literal('word'),
      vocab: z.string().min(1),
      sha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .optional(),
      maxLength: z.number().int().min(2),
      padId: z.number().int().min(0),
      bosId: z.number().int().min(0),
      lowercase: z.boolean().default(true),
    }),
    latent: z.object({
      channels: z.number().int().positive(),
      downscale: z.number().int().positive(),
      /** Correlation of the initial noise between frames (0 = independent frames). */
      frameNoiseCorrelation: z.number().min(0).max(1).default(0),
    }),
    scheduler: z.object({ type: z.literal('flow-euler'), shift: z.number().positive().default(1) }),
    training: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((m, ctx) => checkCommon(m, ctx, m.latent.downscale));

/** Where one value goes in a ComfyUI workflow: a node id of the template and one of its inputs. */
const nodeInput = z.object({ node: z.string().min(1), input: z.string().min(1) });

/**
 * model.json of kind `comfyui`: a model run by a ComfyUI server from a workflow template in API
 * format, with the node inputs each request value goes to, and tiers with their VRAM needs.
 */
export const comfyManifestSchema = z
  .object({
    kind: z.literal('comfyui'),
    ...common,
    /** The server; COMFYUI_URL overrides it. */
    server: z
      .object({ url: z.url().default('http://127.0.0.1:8188') })
      .default({ url: 'http://127.0.0.1:8188' }),
    /** The workflow template (API format), relative to model.json. */
    workflow: z.string().min(1),
    /** The template's SHA-256: given, a changed file is refused; absent, it is computed at load. */
    workflowSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    inputs: z.object({
      prompt: nodeInput,
      negative: nodeInput,
      seed: nodeInput,
      steps: nodeInput,
      guidance: nodeInput,
      width: nodeInput,
      height: nodeInput,
      length: nodeInput,
      fps: nodeInput,
      /** The start image's input, for image-to-video; its node is added when an image is given. */
      startImage: nodeInput.optional(),
    }),
    /** The node whose output is the video (SaveVideo). */
    output: z.object({ node: z.string().min(1) }),
    /** A negative prompt used when a request gives none. */
    defaultNegative: z.string().default(''),
  })
  .superRefine((m, ctx) => checkCommon(m, ctx));

/** model.json: `kind` names what runs the model; absent, it is the ONNX pipeline. */
export const manifestSchema = z.preprocess(
  (json) =>
    json !== null && typeof json === 'object' && !Array.isArray(json) && !('kind' in json)
      ? { ...json, kind: 'onnx' }
      : json,
  z.discriminatedUnion('kind', [onnxManifestSchema, comfyManifestSchema]),
);

export type OnnxManifest = z.infer<typeof onnxManifestSchema>;
export type ComfyManifest = z.infer<typeof comfyManifestSchema>;
export type ModelManifest = OnnxManifest | ComfyManifest;
export type QualityTier = ModelManifest['tiers'][number];

/** A validated manifest plus the folder its relative file names resolve against. */
export interface LoadedManifest<M extends ModelManifest = ModelManifest> {
  manifest: M;
  path: string;
  dir: string;
}

/** Reads and validates model.json; every failure names the file and what is wrong in it. */
export async function loadManifest(path: string): Promise<LoadedManifest> {
  const full = resolve(path);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (cause) {
    throw new PipelineError(PipelineErrorCode.ManifestNotFound, `model manifest not found: ${full}`, {
      cause,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new PipelineError(PipelineErrorCode.ManifestInvalid, `model manifest ${full} is not JSON: ${why}`, {
      cause,
    });
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('\n');
    throw new PipelineError(
      PipelineErrorCode.ManifestInvalid,
      `model manifest ${full} is invalid:\n${issues}`,
      {
        cause: parsed.error,
      },
    );
  }
  const manifest = parsed.data;
  const loaded = { manifest, path: full, dir: dirname(full) };
  // A ComfyUI model's clips are keyed by its workflow too: the template's hash, pinned or not.
  if (manifest.kind === 'comfyui') {
    const bytes = await readModelFile(
      loaded,
      manifest.workflow,
      'workflow template',
      manifest.workflowSha256,
    );
    manifest.workflowSha256 ??= createHash('sha256').update(bytes).digest('hex');
  }
  return loaded;
}

/**
 * What clip caches key this model's clips by: its name, and for a ComfyUI model the backend and its
 * workflow's hash, so clips of two workflows (or two backends) never answer for each other.
 */
export function modelIdentity(manifest: ModelManifest): string {
  if (manifest.kind !== 'comfyui') return manifest.name;
  return `${manifest.name}@comfyui:${(manifest.workflowSha256 ?? 'unpinned').slice(0, 12)}`;
}

/** Whether the model can start a clip from a picture: a ComfyUI workflow naming a start-image input. */
export function takesStartImage(manifest: ModelManifest): boolean {
  return manifest.kind === 'comfyui' && manifest.inputs.startImage !== undefined;
}

/** Reads model.json of an ONNX model; another kind is a clear error naming the file. */
export async function loadOnnxManifest(path: string): Promise<LoadedManifest<OnnxManifest>> {
  const loaded = await loadManifest(path);
  const { manifest } = loaded;
  if (manifest.kind !== 'onnx')
    throw new PipelineError(
      PipelineErrorCode.ManifestInvalid,
      `model manifest ${loaded.path} is of kind "${manifest.kind}", not an ONNX model`,
    );
  return { ...loaded, manifest };
}

/** The tier of that name, or a clear error listing the tiers there are. */
export function findTier(manifest: ModelManifest, name: string): QualityTier {
  const found = manifest.tiers.find((t) => t.name === name);
  if (!found) {
    const names = manifest.tiers.map((t) => t.name).join(', ');
    throw new PipelineError(
      PipelineErrorCode.TierUnknown,
      `model ${manifest.name} has no tier "${name}"; its tiers are: ${names}`,
    );
  }
  return found;
}
