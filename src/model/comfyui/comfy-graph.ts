import { z } from 'zod';
import type { ComfyManifest } from '../manifest.ts';
import { PipelineError, PipelineErrorCode } from '../pipeline-error.ts';

/** A workflow in ComfyUI's API format: node id → its class and inputs (values, or links `[id, output]`). */
export const workflowSchema = z.record(
  z.string(),
  z.object({ class_type: z.string().min(1), inputs: z.record(z.string(), z.unknown()) }).passthrough(),
);
export type Workflow = z.infer<typeof workflowSchema>;

/** The values one request puts into the template. */
export interface GraphValues {
  prompt: string;
  /** Unset: the template's own negative prompt stays. */
  negative?: string;
  seed: number;
  steps: number;
  guidance: number;
  width: number;
  height: number;
  length: number;
  fps: number;
  /** An uploaded image's name in the server's input folder: a LoadImage node feeds the start image. */
  startImage?: string;
}

/** Every input the manifest names exists in the template; a missing one is a clear error at load. */
export function checkTemplate(manifest: ComfyManifest, workflow: Workflow, file: string): void {
  for (const [value, place] of Object.entries(manifest.inputs)) {
    if (!place || value === 'startImage') continue;
    const node = workflow[place.node];
    if (!node || !(place.input in node.inputs))
      throw new PipelineError(
        PipelineErrorCode.ManifestInvalid,
        `model ${manifest.name}: inputs.${value} names node ${place.node} input "${place.input}", which ${file} lacks`,
      );
  }
  if (!workflow[manifest.output.node])
    throw new PipelineError(
      PipelineErrorCode.ManifestInvalid,
      `model ${manifest.name}: output node ${manifest.output.node} is not in ${file}`,
    );
}

/** A fresh copy of the template with the request's values in their inputs. */
export function fillGraph(manifest: ComfyManifest, workflow: Workflow, values: GraphValues): Workflow {
  const graph: Workflow = structuredClone(workflow);
  const set = (place: { node: string; input: string }, value: unknown) => {
    const node = graph[place.node];
    if (node) node.inputs[place.input] = value;
  };
  const { inputs } = manifest;
  set(inputs.prompt, values.prompt);
  if (values.negative) set(inputs.negative, values.negative);
  set(inputs.seed, values.seed);
  set(inputs.steps, values.steps);
  set(inputs.guidance, values.guidance);
  set(inputs.width, values.width);
  set(inputs.height, values.height);
  set(inputs.length, values.length);
  set(inputs.fps, values.fps);
  if (values.startImage !== undefined && inputs.startImage) {
    const id = freeId(graph);
    graph[id] = { class_type: 'LoadImage', inputs: { image: values.startImage } };
    set(inputs.startImage, [id, 0]);
  }
  return graph;
}

function freeId(graph: Workflow): string {
  let id = Math.max(0, ...Object.keys(graph).map(Number).filter(Number.isFinite)) + 1;
  while (graph[String(id)]) id++;
  return String(id);
}
