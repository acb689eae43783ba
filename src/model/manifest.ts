import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { PipelineError, PipelineErrorCode } from './pipeline-error.ts';

const component = z.object({
  file: z.string().min(1),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});

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

/** model.json: everything the generic ONNX text-to-video pipeline needs to run one exported model. */
export const manifestSchema = z
  .object({
    schema: z.literal(1),
    name: z.string().min(1),
    description: z.string().default(''),
    components: z.object({ textEncoder: component, denoiser: component, decoder: component }),
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
    defaults: z.object({ tier: z.string(), guidance: z.number().min(0), seed: z.number().int().default(0) }),
    limits: z.object({
      maxSteps: z.number().int().positive(),
      minSteps: z.number().int().positive().default(1),
      maxGuidance: z.number().positive(),
      /** The longest one generation may run, in ms; past it the worker stops it (DEADLINE_EXCEEDED). */
      maxRunMs: z.number().int().positive().default(DEFAULT_MAX_RUN_MS),
    }),
    fps: z.number().positive(),
    tiers: z.array(tier).min(1),
    training: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((m, ctx) => {
    for (const t of m.tiers) {
      if (t.width % m.latent.downscale || t.height % m.latent.downscale) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers'],
          message: `tier ${t.name}: size not a multiple of downscale`,
        });
      }
      if (t.steps > m.limits.maxSteps) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers'],
          message: `tier ${t.name}: steps above limits.maxSteps`,
        });
      }
    }
    if (!m.tiers.some((t) => t.name === m.defaults.tier)) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaults', 'tier'],
        message: `no tier named "${m.defaults.tier}"`,
      });
    }
  });

export type ModelManifest = z.infer<typeof manifestSchema>;
export type QualityTier = ModelManifest['tiers'][number];

/** A validated manifest plus the folder its relative file names resolve against. */
export interface LoadedManifest {
  manifest: ModelManifest;
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
  return { manifest: parsed.data, path: full, dir: dirname(full) };
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
