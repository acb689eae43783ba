import * as ort from 'onnxruntime-node';

/** The text rows of a step call: every job's prompt, then every job's negative prompt, in job order. */
export interface TextFeeds {
  embeddings: ort.Tensor;
  mask: ort.Tensor;
}

/** One sampler step for a batch of jobs at the same time t. */
export interface StepInput {
  /** Each job's latent [frames, channels, height, width], updated in place. */
  latents: Float32Array[];
  shape: { frames: number; channels: number; height: number; width: number };
  t: number;
  /** t_next − t (negative: time runs from noise at 1 to data at 0). */
  dt: number;
  /** Each job's guidance scale. */
  guidance: number[];
  text: TextFeeds;
}

export type LatentStep = (input: StepInput) => Promise<void>;
export type RunGraph = (feeds: Record<string, ort.Tensor>) => Promise<ort.Tensor>;

/**
 * A step inside the graph (`denoiser_step.onnx`): latents, times and guidance in, the next latents
 * out, so the sampler's arithmetic runs where the model runs and a step is one call.
 */
export function graphStep(stepGraph: RunGraph): LatentStep {
  return async ({ latents, shape, t, dt, guidance, text }) => {
    const n = latents.length;
    const size = (latents[0] as Float32Array).length;
    const x = new Float32Array(n * size);
    latents.forEach((latent, j) => {
      x.set(latent, j * size);
    });
    const next = await stepGraph({
      latents: new ort.Tensor('float32', x, [n, shape.frames, shape.channels, shape.height, shape.width]),
      timestep: new ort.Tensor('float32', new Float32Array(n).fill(t), [n]),
      dt: new ort.Tensor('float32', new Float32Array(n).fill(dt), [n]),
      guidance: new ort.Tensor('float32', Float32Array.from(guidance), [n]),
      text_embeddings: text.embeddings,
      text_mask: text.mask,
    });
    const out = next.data as Float32Array;
    latents.forEach((latent, j) => {
      latent.set(out.subarray(j * size, (j + 1) * size));
    });
  };
}
