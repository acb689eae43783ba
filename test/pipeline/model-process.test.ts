import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type GeneratedVideo,
  type GenerateProgress,
  OnnxModelProcess,
  OnnxVideoModel,
  PipelineError,
  PipelineErrorCode,
} from '../../src/model/index.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';
import { isRunning } from '../support/child-processes.ts';

const same = (a: Uint8Array[], b: Uint8Array[]) =>
  a.length === b.length &&
  a.every((f, i) => Buffer.compare(Buffer.from(f), Buffer.from(b[i] as Uint8Array)) === 0);

describe('the bundled model in a process of its own', () => {
  let own: OnnxModelProcess;
  let direct: OnnxVideoModel;
  beforeAll(async () => {
    [own, direct] = await Promise.all([
      OnnxModelProcess.load(BUNDLED_MANIFEST, { providers: ['cpu'] }),
      OnnxVideoModel.load(BUNDLED_MANIFEST, { providers: ['cpu'] }),
    ]);
  });
  afterAll(async () => {
    await own.dispose();
    await direct.dispose();
  });

  it('gives the frames the model gives in process, for each job of a batch', async () => {
    const requests = [
      { prompt: 'a green star drifting up on black', seed: 42, tier: 'low' },
      { prompt: 'a red ball', seed: 7, tier: 'low', guidance: 6 },
    ];
    const batch = await Promise.all(own.generateBatch(requests.map((request) => ({ request, options: {} }))));
    expect(own.provider).toBe('cpu');
    for (const [i, request] of requests.entries()) {
      const alone = await direct.generate(request);
      expect(same(batch[i]?.frames.frames ?? [], alone.frames.frames)).toBe(true);
      expect(batch[i]?.seed).toBe(request.seed);
    }
  });

  it("keeps the caller's event loop free while a step runs", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = performance.now();
    await own.generate({ prompt: 'a blue square', seed: 3, tier: 'medium' });
    clearInterval(timer);
    // An in-process run holds the event loop for each whole step; here the timer keeps firing.
    expect(ticks).toBeGreaterThan((performance.now() - started) / 5 / 4);
  });

  it("reports each job's progress in order and cancels one job of a batch without the other", async () => {
    const seen: GenerateProgress[] = [];
    const controller = new AbortController();
    const [kept, cancelled] = own.generateBatch([
      {
        request: { prompt: 'a red ball', seed: 1, tier: 'low' },
        options: { onProgress: (p) => seen.push(p) },
      },
      {
        request: { prompt: 'a red ball', seed: 2, tier: 'low' },
        options: {
          signal: controller.signal,
          onProgress: (p) => {
            if (p.step === 2) controller.abort('user pressed Cancel');
          },
        },
      },
    ]);
    await expect(cancelled).rejects.toMatchObject({ code: PipelineErrorCode.Aborted });
    const video = (await kept) as GeneratedVideo;
    expect(video.frames.frames.length).toBeGreaterThan(0);
    expect(seen.map((p) => p.step)).toEqual(Array.from({ length: video.steps }, (_, i) => i + 1));
  });

  it('stops a job whose signal was aborted before it was sent', async () => {
    const job = own.generate(
      { prompt: 'a red ball', seed: 4, tier: 'low' },
      { signal: AbortSignal.abort('cancelled while it waited') },
    );
    await expect(job).rejects.toMatchObject({ code: PipelineErrorCode.Aborted });
  });

  it('keeps the code of a refused request, and the model works on', async () => {
    const refused = own.generate({ prompt: 'a red ball', tier: 'ultra' });
    await expect(refused).rejects.toBeInstanceOf(PipelineError);
    await expect(refused).rejects.toMatchObject({ code: PipelineErrorCode.TierUnknown });
    const late = own.generate({ prompt: 'a red ball', tier: 'low' }, { deadline: Date.now() - 1 });
    await expect(late).rejects.toMatchObject({ code: PipelineErrorCode.DeadlineExceeded });
    await expect(own.generate({ prompt: 'a red ball', seed: 5, tier: 'low' })).resolves.toBeDefined();
  });

  it('says so when the model cannot load', async () => {
    await expect(OnnxModelProcess.load(BUNDLED_MANIFEST, { providers: [] as never[] })).rejects.toThrow();
  });
});

describe('a model process that goes', () => {
  it('fails the generations it held when it dies, then starts again and serves the ones that waited (or their cancel, or their deadline)', async () => {
    const own = await OnnxModelProcess.load(BUNDLED_MANIFEST, { providers: ['cpu'], restartDelaysMs: [100] });
    try {
      const firstPid = own.pid as number;
      const held = own.generate(
        { prompt: 'a red ball', seed: 1, tier: 'medium' },
        { onProgress: (p) => p.step === 1 && process.kill(firstPid, 'SIGKILL') },
      );
      await expect(held).rejects.toMatchObject({
        code: PipelineErrorCode.ModelRestarted,
        message: expect.stringContaining("the model's process stopped: the model process exited (SIGKILL)"),
      });
      // Asked for while no process runs: these wait for the next one, or for their cancel.
      expect(own.pid).toBeUndefined();
      const waiting = own.generate({ prompt: 'a blue square', seed: 2, tier: 'low' });
      const controller = new AbortController();
      const cancelledWhileWaiting = own.generate(
        { prompt: 'a blue square', seed: 3, tier: 'low' },
        { signal: controller.signal },
      );
      const late = own.generate(
        { prompt: 'a blue square', seed: 4, tier: 'low' },
        { deadline: Date.now() + 50 },
      );
      controller.abort('the user pressed Cancel');
      await expect(cancelledWhileWaiting).rejects.toMatchObject({ code: PipelineErrorCode.Aborted });
      await expect(late).rejects.toMatchObject({ code: PipelineErrorCode.DeadlineExceeded });
      expect(own.pid).toBeUndefined(); // the deadline came before the new process
      const video = (await waiting) as GeneratedVideo;
      expect(video.seed).toBe(2);
      expect(own.pid).toBeGreaterThan(0);
      expect(own.pid).not.toBe(firstPid);
    } finally {
      await own.dispose();
    }
  });

  it('fails what waits for it when disposed of while it starts again', async () => {
    const own = await OnnxModelProcess.load(BUNDLED_MANIFEST, {
      providers: ['cpu'],
      restartDelaysMs: [60_000],
    });
    process.kill(own.pid as number, 'SIGKILL');
    await vi.waitFor(() => expect(own.pid).toBeUndefined());
    const waiting = own.generate({ prompt: 'a red ball', tier: 'low' });
    await own.dispose();
    await expect(waiting).rejects.toMatchObject({
      code: PipelineErrorCode.InferenceFailed,
      message: 'the model was disposed of',
    });
  });

  it('ends when the process that started it is killed', async () => {
    const script = [
      "import { OnnxModelProcess } from './src/model/index.ts';",
      `const own = await OnnxModelProcess.load(${JSON.stringify(BUNDLED_MANIFEST)}, { providers: ['cpu'] });`,
      'console.log("model pid", own.pid);',
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let pid = 0;
    try {
      // The model process logs to the same stdout ("model loaded"): read on to the line the script prints.
      for await (const line of createInterface({ input: parent.stdout })) {
        pid = Number(/^model pid (\d+)$/.exec(line)?.[1] ?? 0);
        if (pid) break;
      }
      expect(isRunning(pid)).toBe(true);
    } finally {
      parent.kill('SIGKILL');
    }
    const deadline = Date.now() + 10_000;
    while (isRunning(pid) && Date.now() < deadline) await delay(50);
    expect(isRunning(pid)).toBe(false);
  });
});
