import { copyFile, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OnnxManifest, OnnxVideoModel, PipelineErrorCode } from '../../src/model/index.ts';
import { BUNDLED_DIR, BUNDLED_MANIFEST } from '../support/bundled-model.ts';

const manifestJson = async () => JSON.parse(await readFile(BUNDLED_MANIFEST, 'utf8')) as OnnxManifest;

describe('loading a model whose files are wrong', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clipbot-model-'));
    for (const file of ['text_encoder.onnx', 'denoiser_step.onnx', 'decoder.onnx']) {
      await symlink(join(BUNDLED_DIR, file), join(dir, file));
    }
    await copyFile(join(BUNDLED_DIR, 'vocab.json'), join(dir, 'vocab.json'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const write = async (manifest: unknown) => {
    const path = join(dir, 'model.json');
    await writeFile(path, typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
    return path;
  };

  it('names the manifest path when it does not exist', async () => {
    const path = join(dir, 'nope.json');
    await expect(OnnxVideoModel.load(path)).rejects.toMatchObject({
      code: PipelineErrorCode.ManifestNotFound,
      message: expect.stringContaining(path),
    });
  });

  it('says the manifest is not JSON', async () => {
    const path = await write('{ "schema": 1,');
    await expect(OnnxVideoModel.load(path)).rejects.toThrow(/model manifest .*model\.json is not JSON/);
  });

  it('lists each invalid field of the manifest', async () => {
    const m = await manifestJson();
    m.fps = -1;
    const { decoder: _dropped, ...others } = m.components;
    m.components = others as OnnxManifest['components'];
    const path = await write(m);
    const error = (await OnnxVideoModel.load(path).then(
      () => new Error('loaded'),
      (e: unknown) => e,
    )) as Error & { code: string };
    expect(error.code).toBe(PipelineErrorCode.ManifestInvalid);
    expect(error.message).toMatch(/fps:/);
    expect(error.message).toMatch(/components\.decoder:/);
  });

  it('says when the default tier is not one of its tiers', async () => {
    const m = await manifestJson();
    m.defaults.tier = 'ultra';
    await expect(OnnxVideoModel.load(await write(m))).rejects.toThrow(
      /defaults\.tier: no tier named "ultra"/,
    );
  });

  it('names a missing component file and the manifest that wants it', async () => {
    await rm(join(dir, 'decoder.onnx'));
    const path = await write(await manifestJson());
    await expect(OnnxVideoModel.load(path)).rejects.toMatchObject({
      code: PipelineErrorCode.ModelFileMissing,
      message: expect.stringMatching(
        /model file missing: .*decoder\.onnx \(the decoder named in .*model\.json\)/,
      ),
    });
  });

  it('catches a corrupt file by its checksum', async () => {
    await rm(join(dir, 'decoder.onnx'));
    await writeFile(join(dir, 'decoder.onnx'), 'not a model');
    const path = await write(await manifestJson());
    await expect(OnnxVideoModel.load(path)).rejects.toMatchObject({
      code: PipelineErrorCode.ModelFileCorrupt,
      message: expect.stringMatching(/decoder\.onnx .* has sha256 [0-9a-f]{64}, expected/),
    });
  });

  it('catches a corrupt file without a checksum when onnxruntime cannot read it', async () => {
    await rm(join(dir, 'decoder.onnx'));
    await writeFile(join(dir, 'decoder.onnx'), 'not a model');
    const m = await manifestJson();
    delete m.components.decoder.sha256;
    const path = await write(m);
    await expect(OnnxVideoModel.load(path)).rejects.toMatchObject({
      code: PipelineErrorCode.NoProvider,
      message: expect.stringMatching(/cpu: decoder: /),
    });
  });

  it("loads a provider's own graph under that provider, and names a missing one before any session opens", async () => {
    const manifest = await manifestJson();
    const { denoiser } = manifest.components;
    const own = { ...denoiser, byProvider: { cpu: { file: 'denoiser_step.onnx', sha256: denoiser.sha256 } } };
    const model = await OnnxVideoModel.load(
      await write({ ...manifest, components: { ...manifest.components, denoiser: own } }),
    );
    const clip = await model.generate({ prompt: 'a red ball', seed: 1, steps: 1, tier: 'low' });
    expect(clip.frames.frames).toHaveLength(8);
    await model.dispose();

    const missing = { ...denoiser, byProvider: { webgpu: { file: 'denoiser_step_fp16.onnx' } } };
    await expect(
      OnnxVideoModel.load(
        await write({ ...manifest, components: { ...manifest.components, denoiser: missing } }),
      ),
    ).rejects.toMatchObject({
      code: PipelineErrorCode.ModelFileMissing,
      message: expect.stringContaining('the denoiser for webgpu named in'),
    });
  });

  it('falls back along the provider list and says what it skipped', async () => {
    const warnings: unknown[] = [];
    const logger = { info: () => {}, warn: (o: unknown) => warnings.push(o) } as never;
    const model = await OnnxVideoModel.load(BUNDLED_MANIFEST, { providers: ['cuda', 'cpu'], logger });
    expect(model.provider).toBe('cpu');
    expect(warnings).toEqual([expect.objectContaining({ provider: 'cuda' })]);
    await model.dispose();
  });
});
