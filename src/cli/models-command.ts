import { resolve } from 'node:path';
import { loadManifest } from '../model/index.ts';
import type { CommandContext } from './command-context.ts';
import type { ModelsArgs } from './parse-args.ts';
import { formatTable } from './text-table.ts';

/**
 * `clipbot models`: the manifest's name, fps and tiers, the default one starred. Reads model.json only,
 * without opening the ONNX files, so it answers at once.
 */
export async function runModels(args: ModelsArgs, ctx: CommandContext): Promise<void> {
  const path = args.model === undefined ? ctx.config.model.manifestPath : resolve(ctx.cwd, args.model);
  const { manifest } = await loadManifest(path);
  const rows = manifest.tiers.map((t) => [
    t.name === manifest.defaults.tier ? `${t.name} *` : t.name,
    `${t.width}x${t.height}`,
    String(t.frames),
    String(t.steps),
    `${t.memoryMB} MiB`,
  ]);
  const table = formatTable(['tier', 'size', 'frames', 'steps', 'memory'], rows, [
    'left',
    'left',
    'right',
    'right',
    'right',
  ]);
  const title = manifest.description ? `${manifest.name}: ${manifest.description}` : manifest.name;
  ctx.stdout.write(
    `${title}\nmanifest  ${path}\nfps       ${manifest.fps}\n\n${table}\n\n* default tier; steps are the tier's default\n`,
  );
}
