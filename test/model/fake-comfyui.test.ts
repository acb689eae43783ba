import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeComfyUI, type NodeErrors } from '../support/fake-comfyui/index.ts';
import { getJson, postJson, wanTemplate } from '../support/fake-comfyui/test-client.ts';

interface Rejection {
  error: { type: string; message: string; details: string; extra_info: Record<string, unknown> };
  node_errors: Record<string, NodeErrors>;
}

describe('the fake ComfyUI: object_info, validation, uploads, /view and /system_stats', () => {
  let fake: FakeComfyUI;
  const reject = async (prompt: unknown): Promise<Rejection> => {
    const res = await postJson(`${fake.url}/prompt`, { prompt, client_id: 'v' });
    expect(res.status).toBe(400);
    return res.json as Rejection;
  };

  beforeAll(async () => {
    // Steps so slow that nothing queued here finishes before the fake stops.
    fake = await FakeComfyUI.start({ stepMs: 60_000 });
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('describes every node of the Wan template as ComfyUI does, V1 and V3 combos alike', async () => {
    const info = await getJson<
      Record<string, { input: { required: Record<string, unknown[]> }; output: string[] }>
    >(`${fake.url}/object_info`);
    for (const node of Object.values(wanTemplate())) expect(info[node.class_type]).toBeDefined();
    expect(info.UNETLoader?.input.required.unet_name?.[0]).toEqual(['wan2.2_ti2v_5B_fp16.safetensors']);
    expect(info.SaveVideo?.input.required.format).toEqual([
      'COMBO',
      { default: 'auto', multiselect: false, options: ['auto', 'mp4'] },
    ]);
    expect(info.Wan22ImageToVideoLatent?.output).toEqual(['LATENT']);
    const one = await getJson(`${fake.url}/api/object_info/KSampler`);
    expect(Object.keys(one)).toEqual(['KSampler']);
  });

  it('accepts the shipped template with a prompt id, a number and no node errors', async () => {
    const res = await postJson(`${fake.url}/prompt`, {
      prompt: wanTemplate(),
      client_id: 'v',
      prompt_id: 'mine-1',
    });
    expect(res).toEqual({ status: 200, json: { prompt_id: 'mine-1', number: 0, node_errors: {} } });
    expect(fake.prompts()[0]?.prompt['37']).toEqual(wanTemplate()['37']);
  });

  it('when a class does not exist, then the whole prompt is refused as missing_node_type', async () => {
    const graph = { ...wanTemplate(), 99: { class_type: 'WanVideoSampler', inputs: {} } };
    const body = await reject(graph);
    expect(body.error).toMatchObject({ type: 'missing_node_type', details: "Node ID '#99'" });
    expect(body.node_errors).toEqual({});
  });

  it('when there is no output node, then prompt_no_outputs', async () => {
    const graph: Record<string, unknown> = wanTemplate();
    delete graph['58'];
    expect((await reject(graph)).error).toEqual({
      type: 'prompt_no_outputs',
      message: 'Prompt has no outputs',
      details: '',
      extra_info: {},
    });
  });

  it('when a required input is missing, then the node is named in node_errors', async () => {
    const graph = wanTemplate();
    delete graph['3']?.inputs.steps;
    const body = await reject(graph);
    expect(body.error.type).toBe('prompt_outputs_failed_validation');
    expect(body.node_errors['3']).toEqual({
      errors: [
        {
          type: 'required_input_missing',
          message: 'Required input is missing',
          details: 'steps',
          extra_info: { input_name: 'steps' },
        },
      ],
      dependent_outputs: ['58'],
      class_type: 'KSampler',
    });
  });

  it('when a model file is not installed, then value_not_in_list lists the installed ones', async () => {
    const graph = wanTemplate();
    (graph['37'] as { inputs: Record<string, unknown> }).inputs.unet_name = 'wan2.2_t2v_14B.safetensors';
    const error = (await reject(graph)).node_errors['37']?.errors[0];
    expect(error).toMatchObject({
      type: 'value_not_in_list',
      details: "unet_name: 'wan2.2_t2v_14B.safetensors' not in ['wan2.2_ti2v_5B_fp16.safetensors']",
    });
    fake.setModels({ diffusionModels: ['wan2.2_ti2v_5B_fp16.safetensors', 'wan2.2_t2v_14B.safetensors'] });
    expect((await postJson(`${fake.url}/prompt`, { prompt: graph })).status).toBe(200);
    fake.setModels({ diffusionModels: ['wan2.2_ti2v_5B_fp16.safetensors'] });
  });

  it('when numbers leave their range, then value_smaller_than_min / value_bigger_than_max', async () => {
    const graph = wanTemplate();
    Object.assign(graph['3']?.inputs ?? {}, { steps: 0, cfg: 101 });
    const errors = (await reject(graph)).node_errors['3']?.errors;
    expect(errors?.map((e) => [e.type, e.message])).toEqual([
      ['value_smaller_than_min', 'Value 0 smaller than min of 1'],
      ['value_bigger_than_max', 'Value 101.0 bigger than max of 100.0'],
    ]);
  });

  it('when a link has the wrong type or points nowhere, then ComfyUI’s errors for each', async () => {
    const wrongType = wanTemplate();
    Object.assign(wrongType['3']?.inputs ?? {}, { model: ['38', 0] });
    expect((await reject(wrongType)).node_errors['3']?.errors[0]).toMatchObject({
      type: 'return_type_mismatch',
      details: 'model, received_type(CLIP) mismatch input_type(MODEL)',
    });
    const dangling = wanTemplate();
    Object.assign(dangling['3']?.inputs ?? {}, { model: ['99', 0] });
    // As in execution.py: the KeyError escapes the KSampler and is caught by VAEDecode, its consumer.
    expect((await reject(dangling)).node_errors['3']?.errors[0]).toMatchObject({
      type: 'exception_during_inner_validation',
      details: "'99'",
      extra_info: { input_name: 'samples', exception_type: 'KeyError', linked_node: ['3', 0] },
    });
  });

  it('uploads an image, renames a different one of the same name, and LoadImage may name it', async () => {
    const upload = async (bytes: string, extra: Record<string, string> = {}) => {
      const form = new FormData();
      form.append('image', new Blob([bytes], { type: 'image/png' }), 'start.png');
      for (const [k, v] of Object.entries(extra)) form.append(k, v);
      const res = await fetch(`${fake.url}/upload/image`, { method: 'POST', body: form });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : undefined };
    };
    expect(await upload('one')).toEqual({
      status: 200,
      json: { name: 'start.png', subfolder: '', type: 'input' },
    });
    expect((await upload('one')).json).toMatchObject({ name: 'start.png' });
    expect((await upload('two')).json).toMatchObject({ name: 'start (1).png' });
    expect((await upload('three', { overwrite: 'true' })).json).toMatchObject({ name: 'start.png' });
    expect((await upload('x', { subfolder: '../../etc' })).status).toBe(400);
    const info = await getJson<{ LoadImage: { input: { required: { image: [string[]] } } } }>(
      `${fake.url}/object_info/LoadImage`,
    );
    expect(info.LoadImage.input.required.image[0]).toEqual(['start (1).png', 'start.png']);

    const graph: Record<string, unknown> = {
      ...wanTemplate(),
      56: { class_type: 'LoadImage', inputs: { image: 'nope.png' } },
    };
    Object.assign((graph['55'] as { inputs: object }).inputs, { start_image: ['56', 0] });
    expect((await reject(graph)).node_errors['56']?.errors[0]).toMatchObject({
      type: 'custom_validation_failed',
      details: 'image - Invalid image file: nope.png',
    });
    graph['56'] = { class_type: 'LoadImage', inputs: { image: 'start.png' } };
    expect((await postJson(`${fake.url}/prompt`, { prompt: graph })).status).toBe(200);
  });

  it('/view refuses traversal and unknown files', async () => {
    const status = async (query: string) => (await fetch(`${fake.url}/view?${query}`)).status;
    expect(await status('filename=../secret.txt&type=output')).toBe(400);
    expect(await status('filename=x.mp4&subfolder=../../..&type=output')).toBe(403);
    expect(await status('filename=missing.mp4&subfolder=video&type=output')).toBe(404);
    expect(await status('filename=start.png&type=input')).toBe(200);
    expect(await status('filename=start.png&type=secrets')).toBe(400);
  });

  it('/system_stats reports the configured GPU', async () => {
    fake.setDevice({ vram_total: 80 * 1024 ** 3, vram_free: 12 * 1024 ** 3 });
    const stats = await getJson<{ devices: Record<string, unknown>[] }>(`${fake.url}/system_stats`);
    expect(stats.devices[0]).toMatchObject({
      type: 'cuda',
      vram_total: 80 * 1024 ** 3,
      vram_free: 12 * 1024 ** 3,
    });
    expect(stats.devices[0]).toHaveProperty('torch_vram_free');
  });
});
