// The ComfyUI backend against a protocol-faithful local fake of ComfyUI (test/support/fake-comfyui):
// the real workflow template, the real HTTP and WebSocket protocol, a real MP4 decoded by ffmpeg.
import { afterEach, describe, expect, it } from 'vitest';
import { ComfyVideoModel, PipelineErrorCode } from '../../src/model/index.ts';
import { FakeComfyUI } from '../support/fake-comfyui/index.ts';

const WAN = 'models/wan2.2-ti2v-5b/model.json';

describe('the ComfyUI backend (Wan2.2 TI2V 5B workflow)', () => {
  let fake: FakeComfyUI | undefined;
  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
  });
  const start = async (options: Parameters<typeof FakeComfyUI.start>[0] = {}) => {
    fake = await FakeComfyUI.start({ cache: false, ...options });
    return { fake, model: await ComfyVideoModel.load(WAN, { url: fake.url, reconnectMs: 1_500 }) };
  };

  it('fills the template with the request, reports the sampler’s steps in order, and returns the server’s video as frames', async () => {
    const { fake, model } = await start();
    const steps: number[] = [];
    const video = await model.generate(
      {
        prompt: 'a red ball bouncing',
        negativePrompt: 'blurry',
        seed: 42,
        steps: 6,
        guidance: 4,
        tier: 'low',
      },
      { onProgress: (p) => steps.push(p.step) },
    );
    expect(steps).toEqual([1, 2, 3, 4, 5, 6]);
    expect(video).toMatchObject({ seed: 42, steps: 6, guidance: 4, prompt: 'a red ball bouncing' });
    expect(video.tier.name).toBe('low');
    expect(video.frames).toMatchObject({ width: 320, height: 240, fps: 24 });
    expect(video.frames.frames).toHaveLength(25);
    const [sent] = fake.prompts();
    const graph = sent?.prompt as Record<string, { inputs: Record<string, unknown> }>;
    expect(graph['6']?.inputs.text).toBe('a red ball bouncing');
    expect(graph['7']?.inputs.text).toBe('blurry');
    expect(graph['3']?.inputs).toMatchObject({ seed: 42, steps: 6, cfg: 4 });
    expect(graph['55']?.inputs).toMatchObject({ width: 320, height: 240, length: 25 });
    expect(graph['57']?.inputs.fps).toBe(24);
    expect(graph['37']?.inputs.unet_name).toBe('wan2.2_ti2v_5B_fp16.safetensors');
  });

  it('keeps the template’s negative prompt when the request gives none, and reads free VRAM from /system_stats', async () => {
    const { fake, model } = await start({ device: { vram_free: 10 * 1024 ** 3 } });
    await model.generate({ prompt: 'a blue cube turning', seed: 1, steps: 4, tier: 'low' });
    const graph = fake.prompts()[0]?.prompt as Record<string, { inputs: Record<string, unknown> }>;
    expect(String(graph['7']?.inputs.text)).toContain('色调艳丽');
    expect(await model.freeMemoryMB()).toBe(10 * 1024);
  });

  it('a cancel interrupts the running prompt on the server within a step', async () => {
    const { fake, model } = await start({ stepMs: 100 });
    const abort = new AbortController();
    const run = model.generate(
      { prompt: 'a green star rising', seed: 2, steps: 20, tier: 'low' },
      {
        signal: abort.signal,
        onProgress: (p) => p.step === 2 && abort.abort(),
      },
    );
    await expect(run).rejects.toMatchObject({ code: PipelineErrorCode.Aborted });
    await fake.waitFor(() => fake.runs()[0]?.outcome === 'interrupted');
  });

  it('an out-of-memory error on the server is OUT_OF_MEMORY, so the worker drops a tier', async () => {
    const { fake, model } = await start();
    fake.failNext('oom');
    await expect(
      model.generate({ prompt: 'a red ball', seed: 3, steps: 4, tier: '480p' }),
    ).rejects.toMatchObject({
      code: PipelineErrorCode.OutOfMemory,
      message: expect.stringContaining('torch.OutOfMemoryError'),
    });
  });

  it('a server that restarts mid-job (and forgets it) ends in SERVER_UNAVAILABLE, not a hung job; one that is down too', async () => {
    const { fake: server, model } = await start({ stepMs: 100 });
    const run = model.generate(
      { prompt: 'a red ball', seed: 4, steps: 20, tier: 'low' },
      { onProgress: (p) => p.step === 2 && void server.restart({ downMs: 300 }) },
    );
    await expect(run).rejects.toMatchObject({
      code: PipelineErrorCode.ServerUnavailable,
      message: expect.stringContaining('restarted'),
    });
    await server.stop();
    fake = undefined;
    const down = await ComfyVideoModel.load(WAN, { url: server.url });
    await expect(
      down.generate({ prompt: 'a red ball', seed: 5, steps: 4, tier: 'low' }),
    ).rejects.toMatchObject({
      code: PipelineErrorCode.ServerUnavailable,
      message: expect.stringContaining('cannot be reached'),
    });
  });

  it('a workflow the server refuses (a model file it lacks) is SERVER_REFUSED with the node’s reason', async () => {
    const { fake, model } = await start();
    fake.setModels({ diffusionModels: ['some_other_model.safetensors'] });
    await expect(
      model.generate({ prompt: 'a red ball', seed: 6, steps: 4, tier: 'low' }),
    ).rejects.toMatchObject({
      code: PipelineErrorCode.ServerRefused,
      message: expect.stringContaining('unet_name'),
    });
  });

  it('the deadline stops a run that takes too long', async () => {
    const { fake, model } = await start({ stepMs: 200 });
    await expect(
      model.generate(
        { prompt: 'a red ball', seed: 7, steps: 20, tier: 'low' },
        { deadline: Date.now() + 600 },
      ),
    ).rejects.toMatchObject({ code: PipelineErrorCode.DeadlineExceeded });
    await fake.waitFor(() => fake.runs()[0]?.outcome === 'interrupted');
  });
});
