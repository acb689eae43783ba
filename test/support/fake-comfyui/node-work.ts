import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Folders } from './files.ts';
import { type Graph, link, literal, node, num, upstream } from './graph.ts';
import { decodedShape, type RenderSpec, renderMp4 } from './render.ts';

/** The saved clip of one SaveVideo run, and the UI output ComfyUI reports for it. */
export interface SavedVideo {
  file: string;
  spec: RenderSpec;
  ui: { images: { filename: string; subfolder: string; type: 'output' }[]; animated: [true] };
}

/** Where a run's start image came from: the LoadImage node feeding Wan22ImageToVideoLatent. */
export interface StartImage {
  node: string;
  image: string;
  file: string;
}

/** The clip a SaveVideo node writes: shape from the latent node, fps from CreateVideo. */
export function renderSpec(graph: Graph, saveId: string): RenderSpec {
  const create = upstream(graph, saveId, 'CreateVideo');
  const latent = upstream(graph, saveId, 'Wan22ImageToVideoLatent');
  const shape = latent
    ? decodedShape(
        num(graph, latent, 'width', 1280),
        num(graph, latent, 'height', 704),
        num(graph, latent, 'length', 49),
        num(graph, latent, 'batch_size', 1),
      )
    : { width: 64, height: 64, frames: 1 };
  return { ...shape, fps: create ? num(graph, create, 'fps', 30) : 30 };
}

/** comfy_extras/nodes_video.py SaveVideo: `{stem}_{counter:05}_.mp4` under the prefix's subfolder. */
export async function saveVideo(
  graph: Graph,
  saveId: string,
  folders: Folders,
  signal: AbortSignal,
): Promise<SavedVideo> {
  const prefix = literal(graph, saveId, 'filename_prefix');
  const { folder, subfolder, stem, counter } = folders.savePath(
    typeof prefix === 'string' ? prefix : 'ComfyUI',
  );
  const filename = `${stem}_${String(counter).padStart(5, '0')}_.mp4`;
  const file = path.join(folder, filename);
  const spec = renderSpec(graph, saveId);
  await mkdir(folder, { recursive: true });
  await renderMp4(file, spec, signal);
  return { file, spec, ui: { images: [{ filename, subfolder, type: 'output' }], animated: [true] } };
}

/** The image a graph's Wan22ImageToVideoLatent starts from, if one is wired in. */
export function startImage(graph: Graph, folders: Folders): StartImage | undefined {
  for (const id of Object.keys(graph)) {
    if (node(graph, id)?.class_type !== 'Wan22ImageToVideoLatent') continue;
    const from = link(node(graph, id)?.inputs.start_image);
    const loader = from ? upstream(graph, from[0], 'LoadImage') : undefined;
    const image = loader ? literal(graph, loader, 'image') : undefined;
    if (loader && typeof image === 'string') {
      const { name, dir = folders.input } = folders.annotated(image);
      return { node: loader, image, file: path.join(dir, name) };
    }
  }
  return undefined;
}

/** execution.py `format_value` of a node's inputs, for `current_inputs` in an execution_error. */
export function currentInputs(graph: Graph, id: string): Record<string, unknown[]> {
  const inputs = node(graph, id)?.inputs ?? {};
  return Object.fromEntries(
    Object.entries(inputs).map(([name, value]) => [
      name,
      [link(value) ? `<object at 0x7f00000000${name.length.toString(16).padStart(2, '0')}>` : value],
    ]),
  );
}
