import { constants } from 'node:fs';
import { access, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { checkStartImage } from '../admission/index.ts';
import { imageFromBytes } from '../core/index.ts';
import { defaultUpscale, encodeMp4 } from '../media/index.ts';
import { loadVideoModel, type StartImage, startImage } from '../model/index.ts';
import { clipSummary } from './clip-summary.ts';
import type { CommandContext } from './command-context.ts';

import { formatBytes } from './format-units.ts';
import type { GenerateArgs } from './parse-args.ts';
import { createProgressLine } from './progress-line.ts';
import { UsageError } from './usage-error.ts';

/** Fails before the model loads when the clip could not be written, rather than after generating it. */
async function checkWritable(folder: string, fromFlag: boolean): Promise<void> {
  try {
    await access(folder, constants.W_OK);
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? String(error);
    if (fromFlag) throw new UsageError(`--out: cannot write to folder ${folder} (${why})`, 'generate');
    throw new Error(`cannot write to the current folder ${folder} (${why}); choose a file with --out`);
  }
}

/** --image: the file, checked as admission checks an attached picture (the model says whether it takes one). */
async function readImageFlag(path: string): Promise<StartImage> {
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`--image: cannot read ${path} (${error.code ?? error.message})`, 'generate');
  });
  const checked = await checkStartImage(imageFromBytes(basename(path), bytes), {
    name: '',
    takesImage: true,
  });
  if (!checked.ok) throw new UsageError(`--image: ${checked.message}`, 'generate');
  return startImage(checked.image.bytes, checked.image.sha256, checked.image.format);
}

/**
 * `clipbot generate`: loads the model, generates with progress on stderr, encodes the MP4 within the
 * byte budget and writes it (default clip-<seed>.mp4), then prints where it went and how it was made.
 */
export async function runGenerate(args: GenerateArgs, ctx: CommandContext): Promise<void> {
  const { config, signal, stderr } = ctx;
  const out = args.out === undefined ? undefined : resolve(ctx.cwd, args.out);
  await checkWritable(out ? dirname(out) : ctx.cwd, out !== undefined);
  const image = args.image === undefined ? undefined : await readImageFlag(resolve(ctx.cwd, args.image));

  const progress = createProgressLine(stderr);
  const manifestPath = args.model === undefined ? config.model.manifestPath : resolve(ctx.cwd, args.model);
  progress.status(`loading ${manifestPath}`);
  const { model } = await loadVideoModel(manifestPath, {
    providers: args.providers ?? config.model.providers,
    threads: config.model.threads,
    logger: ctx.logger,
    ...(config.model.comfyUrl ? { comfyUrl: config.model.comfyUrl } : {}),
    ...(config.media.ffmpegPath ? { ffmpegPath: config.media.ffmpegPath } : {}),
  }).catch((error: unknown) => {
    progress.done();
    throw error;
  });
  const request = {
    prompt: args.prompt,
    negativePrompt: args.negative,
    seed: args.seed,
    steps: args.steps,
    guidance: args.guidance,
    tier: args.tier,
    ...(image ? { startImage: image } : {}),
  };
  const clip = await model
    .generate(request, { signal, onProgress: progress.step })
    .finally(() => Promise.all([progress.done(), model.dispose()]));
  if (clip.unknownWords.length > 0) {
    stderr.write(`note: ignored words the model does not know: ${clip.unknownWords.join(', ')}\n`);
  }

  progress.status('encoding MP4');
  const encodeStart = performance.now();
  const maxBytes = args.maxBytes ?? config.media.maxBytes;
  const encoded = await encodeMp4(clip.frames, {
    upscale: args.upscale ?? defaultUpscale(clip.frames),
    maxBytes,
    ffmpegPath: config.media.ffmpegPath,
    signal,
    ...(args.caption ? { caption: args.caption } : {}),
  }).finally(() => progress.done());
  const encodeMs = performance.now() - encodeStart;
  if (!encoded.withinBudget) {
    stderr.write(
      `warning: the smallest encode is ${formatBytes(encoded.bytes.byteLength)}, over the ${formatBytes(maxBytes)} budget\n`,
    );
  }

  const path = out ?? resolve(ctx.cwd, `clip-${clip.seed}.mp4`);
  await writeFile(path, encoded.bytes).catch((error: unknown) => {
    throw new Error(`cannot write the clip to ${path}: ${error instanceof Error ? error.message : error}`, {
      cause: error,
    });
  });
  ctx.stdout.write(clipSummary(path, clip, encoded, encodeMs));
}
