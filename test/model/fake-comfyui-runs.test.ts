import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeComfyUI, type HistoryEntry } from '../support/fake-comfyui/index.ts';
import {
  getJson,
  listen,
  postJson,
  type WsMessage,
  wanTemplate,
} from '../support/fake-comfyui/test-client.ts';

/** The template shrunk so a real MP4 takes milliseconds: 160×96, 9 frames at 8 fps, `steps` steps. */
function smallGraph(steps: number, seed = 1) {
  const graph = wanTemplate();
  Object.assign(graph['55']?.inputs ?? {}, { width: 160, height: 96, length: 9 });
  Object.assign(graph['3']?.inputs ?? {}, { steps, seed });
  Object.assign(graph['57']?.inputs ?? {}, { fps: 8 });
  return graph;
}

const ofPrompt = (id: string) => (m: WsMessage) => m.data.prompt_id === id;
const finished = (id: string) => (ms: WsMessage[]) =>
  ms.some((m) => m.type === 'executing' && m.data.node === null && m.data.prompt_id === id);

describe('the fake ComfyUI running prompts', () => {
  let fake: FakeComfyUI;
  beforeEach(async () => {
    fake = await FakeComfyUI.start({ stepMs: 2 });
  });
  afterEach(async () => {
    await fake.stop();
  });

  const queue = async (graph: unknown, clientId: string): Promise<string> => {
    const res = await postJson(`${fake.url}/prompt`, { prompt: graph, client_id: clientId });
    expect(res.status).toBe(200);
    return (res.json as { prompt_id: string }).prompt_id;
  };

  it('streams its messages in ComfyUI’s order to its client, and /history + /view give a real MP4', async () => {
    const mine = await listen(fake.wsUrl('me'));
    const other = await listen(fake.wsUrl('other'));
    const id = await queue(smallGraph(5), 'me');
    await mine.waitFor(finished(id));
    const types = mine.messages.filter(ofPrompt(id)).filter((m) => m.type !== 'progress_state');
    expect(types.map((m) => (m.type === 'executing' ? `executing:${m.data.node}` : m.type))).toEqual([
      'execution_start',
      'execution_cached',
      ...['executing:37', 'executing:48', 'executing:38', 'executing:6', 'executing:7', 'executing:39'],
      ...['executing:55', 'executing:3', 'progress', 'progress', 'progress', 'progress', 'progress'],
      ...['executing:8', 'executing:57', 'executing:58', 'executed', 'execution_success', 'executing:null'],
    ]);
    const progress = types.filter((m) => m.type === 'progress').map((m) => m.data);
    expect(progress).toEqual([1, 2, 3, 4, 5].map((value) => ({ value, max: 5, prompt_id: id, node: '3' })));
    expect(other.messages.filter((m) => m.type === 'progress' || m.type === 'executing')).toEqual([]);
    expect(other.messages.some((m) => m.type === 'status')).toBe(true);

    const history = await getJson<Record<string, HistoryEntry>>(`${fake.url}/history/${id}`);
    const entry = history[id];
    expect(entry?.status).toMatchObject({ status_str: 'success', completed: true });
    expect(entry?.status.messages.map(([event]) => event)).toEqual([
      'execution_start',
      'execution_cached',
      'execution_success',
    ]);
    expect(entry?.outputs).toEqual({
      58: {
        images: [{ filename: 'ComfyUI_00001_.mp4', subfolder: 'video', type: 'output' }],
        animated: [true],
      },
    });
    expect(Object.keys(await getJson(`${fake.url}/history`))).toEqual([id]);
    const res = await fetch(`${fake.url}/view?filename=ComfyUI_00001_.mp4&subfolder=video&type=output`);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    const file = path.join(tmpdir(), `fake-comfyui-view-${process.pid}.mp4`);
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const probe = execFileSync('ffprobe', [
      ...['-v', 'error', '-select_streams', 'v:0', '-count_frames'],
      ...['-show_entries', 'stream=codec_name,width,height,nb_read_frames,r_frame_rate', '-of', 'json', file],
    ]).toString();
    expect(JSON.parse(probe).streams[0]).toMatchObject({
      codec_name: 'h264',
      width: 160,
      height: 96,
      nb_read_frames: '9',
      r_frame_rate: '8/1',
    });
    mine.close();
    other.close();
  });

  it('when the same graph runs again, then its nodes are cached: no progress, the same file', async () => {
    const client = await listen(fake.wsUrl('me'));
    const first = await queue(smallGraph(3), 'me');
    await client.waitFor(finished(first));
    const second = await queue(smallGraph(3), 'me');
    await client.waitFor(finished(second));
    const heard = client.messages.filter(ofPrompt(second));
    expect(heard.find((m) => m.type === 'execution_cached')?.data.nodes).toHaveLength(11);
    expect(heard.some((m) => m.type === 'progress')).toBe(false);
    const history = await getJson<Record<string, HistoryEntry>>(`${fake.url}/history/${second}`);
    expect(history[second]?.outputs['58']).toMatchObject({ images: [{ filename: 'ComfyUI_00001_.mp4' }] });
    client.close();
  });

  it('when interrupted, then it stops at the next step with execution_interrupted and an error status', async () => {
    fake.setStepMs(25);
    const client = await listen(fake.wsUrl('me'));
    const id = await queue(smallGraph(200), 'me');
    await client.waitFor((ms) => ms.some((m) => m.type === 'progress' && m.data.value === 3));
    expect((await postJson(`${fake.url}/interrupt`, { prompt_id: id })).status).toBe(200);
    await client.waitFor(finished(id));
    const stop = client.messages.find((m) => m.type === 'execution_interrupted');
    expect(stop?.data).toMatchObject({ prompt_id: id, node_id: '3', node_type: 'KSampler' });
    const last = client.messages.filter((m) => m.type === 'progress').at(-1);
    expect(Number(last?.data.value)).toBeLessThan(8);
    const history = await getJson<Record<string, HistoryEntry>>(`${fake.url}/history/${id}`);
    expect(history[id]?.status).toMatchObject({ status_str: 'error', completed: false });
    expect(history[id]?.outputs).toEqual({});
    expect(fake.runs()[0]?.outcome).toBe('interrupted');
    client.close();
  });

  it('deletes waiting prompts from the queue, or clears it, and leaves the running one', async () => {
    fake.setStepMs(25);
    const client = await listen(fake.wsUrl('me'));
    const a = await queue(smallGraph(400, 1), 'me');
    const b = await queue(smallGraph(5, 2), 'me');
    const third = await queue(smallGraph(5, 3), 'me');
    await client.waitFor((ms) => ms.some((m) => m.type === 'execution_start' && m.data.prompt_id === a));
    type Q = { queue_running: unknown[][]; queue_pending: unknown[][] };
    let q = await getJson<Q>(`${fake.url}/queue`);
    expect(q.queue_running.map((item) => item[1])).toEqual([a]);
    expect(q.queue_pending.map((item) => [item[0], item[1]])).toEqual([
      [1, b],
      [2, third],
    ]);
    await postJson(`${fake.url}/queue`, { delete: [b] });
    q = await getJson<Q>(`${fake.url}/queue`);
    expect(q.queue_pending.map((item) => item[1])).toEqual([third]);
    await postJson(`${fake.url}/queue`, { clear: true });
    expect((await getJson<Q>(`${fake.url}/queue`)).queue_pending).toEqual([]);
    await postJson(`${fake.url}/interrupt`, {});
    await client.waitFor(finished(a));
    expect(Object.keys(await getJson(`${fake.url}/history`))).toEqual([a]);
    client.close();
  });

  it('records which uploaded image a run started from', async () => {
    const form = new FormData();
    form.append('image', new Blob(['png bytes'], { type: 'image/png' }), 'cat.png');
    const uploaded = (await (
      await fetch(`${fake.url}/upload/image`, { method: 'POST', body: form })
    ).json()) as {
      name: string;
    };
    const graph: Record<string, unknown> = smallGraph(2);
    graph['56'] = { class_type: 'LoadImage', inputs: { image: uploaded.name } };
    Object.assign((graph['55'] as { inputs: object }).inputs, { start_image: ['56', 0] });
    const client = await listen(fake.wsUrl('me'));
    const id = await queue(graph, 'me');
    await client.waitFor(finished(id));
    expect(fake.runs()[0]?.startImage).toMatchObject({ node: '56', image: 'cat.png' });
    expect(fake.prompts()[0]?.prompt['56']).toEqual({
      class_type: 'LoadImage',
      inputs: { image: 'cat.png' },
    });
    client.close();
  });

  it('when the GPU runs out of memory, then execution_error carries torch’s OutOfMemoryError', async () => {
    fake.failNext('oom', { step: 3 });
    const client = await listen(fake.wsUrl('me'));
    const id = await queue(smallGraph(10), 'me');
    await client.waitFor(finished(id));
    const heard = client.messages.filter(ofPrompt(id));
    expect(heard.filter((m) => m.type === 'progress').map((m) => m.data.value)).toEqual([1, 2]);
    const error = heard.find((m) => m.type === 'execution_error')?.data;
    expect(error).toMatchObject({
      node_id: '3',
      node_type: 'KSampler',
      exception_type: 'torch.OutOfMemoryError',
    });
    expect(String(error?.exception_message)).toMatch(
      /^Allocation on device \nThis error means you ran out of memory/,
    );
    const history = await getJson<Record<string, HistoryEntry>>(`${fake.url}/history/${id}`);
    expect(history[id]?.status.status_str).toBe('error');
    const next = await queue(smallGraph(2, 9), 'me');
    await client.waitFor(finished(next));
    expect(fake.runs().map((r) => r.outcome)).toEqual(['error', 'success']);
    client.close();
  });

  it('when restarted, then sockets drop and the queue, history and numbering are forgotten', async () => {
    fake.setStepMs(25);
    const client = await listen(fake.wsUrl('me'));
    const id = await queue(smallGraph(400), 'me');
    await queue(smallGraph(5, 2), 'me');
    await client.waitFor((ms) => ms.some((m) => m.type === 'progress'));
    const url = fake.url;
    await fake.restart({ downMs: 50 });
    expect(fake.url).toBe(url);
    await fake.waitFor(() => client.closed);
    expect(await getJson(`${fake.url}/history`)).toEqual({});
    expect(await getJson(`${fake.url}/queue`)).toEqual({ queue_running: [], queue_pending: [] });
    expect(fake.runs()).toEqual([]);
    const again = await postJson(`${fake.url}/prompt`, { prompt: smallGraph(2), client_id: 'me' });
    expect(again.json).toMatchObject({ number: 0 });
    expect(id).not.toBe((again.json as { prompt_id: string }).prompt_id);
  });
});
