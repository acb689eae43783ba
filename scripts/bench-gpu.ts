// The GPU path's numbers: ms a step and clips a second per tier at batch 1, 2, 4 and 8 straight
// through the model, then, when REDIS_URL is set, through the model in its process alone and through the
// real worker (Redis, BullMQ, batching, ffmpeg); optionally for another denoiser graph (the fp16 one) and
// the prompt-adherence rates of a graph.
// scripts/gpu/bench-gpu.sh runs it on the GPU machine with the PyTorch reference beside it.
//
//   npx tsx scripts/bench-gpu.ts [--model m.json] [--providers webgpu] [--denoiser FILE] [--tiers low,medium]
//                                [--batches 1,2,4,8] [--runs 3] [--worker-jobs 16] [--worker-in-hand 2,3]
//                                [--adherence]
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { type ProviderName, providerListSchema } from '../src/config/index.ts';
import { loadOnnxManifest, OnnxModelProcess, OnnxVideoModel } from '../src/model/index.ts';
import { measureAdherence } from './bench/gpu/adherence.ts';
import { timeBatches } from './bench/gpu/model-batches.ts';
import { timeWorker } from './bench/gpu/worker-throughput.ts';

const { values: v } = parseArgs({
  options: {
    model: { type: 'string', default: join(import.meta.dirname ?? '.', '../models/shapes-v1/model.json') },
    providers: { type: 'string', default: 'webgpu' },
    denoiser: { type: 'string' },
    tiers: { type: 'string', default: 'low,medium,high' },
    batches: { type: 'string', default: '1,2,4,8' },
    runs: { type: 'string', default: '3' },
    'worker-jobs': { type: 'string', default: '16' },
    'worker-tiers': { type: 'string', default: 'low,medium' },
    'worker-batches': { type: 'string', default: '1,4' },
    'worker-in-hand': { type: 'string', default: '2' },
    adherence: { type: 'boolean', default: false },
  },
});
const list = (text: string) => text.split(',').filter((s) => s !== '');
const providers: ProviderName[] = providerListSchema.parse(v.providers);
const print = (kind: string, row: object) => console.log(JSON.stringify({ kind, graph, ...row }));

/** A copy of the manifest beside it whose denoiser is `file` (for every provider), when one is given. */
async function manifestFor(path: string, file: string | undefined): Promise<string> {
  if (!file) return path;
  const { manifest } = await loadOnnxManifest(path);
  const copy = { ...manifest, components: { ...manifest.components, denoiser: { file } } };
  const out = join(dirname(path), `model.bench-${basename(file, '.onnx')}.json`);
  await writeFile(out, JSON.stringify(copy));
  return out;
}

const graph = v.denoiser ? basename(v.denoiser) : 'manifest';
const model = await OnnxVideoModel.load(await manifestFor(v.model, v.denoiser), { providers });
console.log(JSON.stringify({ kind: 'setup', graph, provider: model.provider, model: model.name }));
for (const tier of list(v.tiers))
  for (const batch of list(v.batches).map(Number))
    print('model', await timeBatches(model, tier, batch, Number(v.runs)));

if (v.adherence)
  for (const tier of ['low', 'medium'])
    print('adherence', { tier, ...(await measureAdherence(model, tier, dirname(v.model))) });

const redisUrl = process.env.REDIS_URL;
if (redisUrl) {
  const logger = pino({ level: 'warn' });
  // The worker runs the model in a process of its own (worker/main.ts), so the bench does too.
  // Bundled for a GPU machine (prepare-carry.sh), the process's code is a bundle beside this one.
  const bundled = new URL('./model-process.mjs', import.meta.url);
  const own = await OnnxModelProcess.load(await manifestFor(v.model, v.denoiser), {
    providers,
    ...(existsSync(fileURLToPath(bundled)) ? { entry: bundled } : {}),
  });
  // The same model calls as the worker's, without the worker: what the model's process alone gives.
  for (const tier of list(v['worker-tiers']))
    for (const batch of list(v['worker-batches']).map(Number))
      print('process', await timeBatches(own, tier, batch, Number(v.runs)));
  for (const tier of list(v['worker-tiers']))
    for (const maxBatch of list(v['worker-batches']).map(Number))
      for (const inHand of list(v['worker-in-hand']).map(Number))
        print(
          'worker',
          await timeWorker({
            redisUrl,
            ...(process.env.FFMPEG_PATH ? { ffmpegPath: process.env.FFMPEG_PATH } : {}),
            model: own,
            tier,
            maxBatch,
            inHand,
            jobs: Number(v['worker-jobs']),
            logger,
          }),
        );
  await own.dispose();
}
await model.dispose();
// onnxruntime's WebGPU device keeps the process alive after the last session is released (a run on
// the H200 sat until its time limit), so the bench ends itself once everything is printed.
process.exit(0);
