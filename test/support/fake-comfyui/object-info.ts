/**
 * The node classes the fake knows, described the way ComfyUI's `GET /object_info` does (server.py
 * `node_info` for V1 nodes, `comfy_api/latest/_io.py` `Schema.get_v1_info` for V3 nodes). A V1 combo is
 * `[[...options], {...}]`; a V3 combo is `["COMBO", { options: [...] }]`; both are live in one install.
 * Tooltips are left out.
 */

export type InputSpec = [type: string | string[], options?: Record<string, unknown>];

export interface NodeInfo {
  input: {
    required: Record<string, InputSpec>;
    optional?: Record<string, InputSpec>;
    hidden?: Record<string, [string]>;
  };
  input_order: Record<string, string[]>;
  output: string[];
  output_is_list: boolean[];
  output_name: string[];
  name: string;
  display_name: string;
  description: string;
  python_module: string;
  category: string;
  output_node: boolean;
  [more: string]: unknown;
}

/** What the fake's model folders and input folder hold: the lists the loader combos offer. */
export interface InstalledFiles {
  diffusionModels: string[];
  textEncoders: string[];
  vaes: string[];
  /** Image files at the top of the input folder (LoadImage's list). */
  inputImages: string[];
}

/** comfy/samplers.py: SAMPLER_NAMES (KSAMPLER_NAMES + ddim, uni_pc, uni_pc_bh2) and SCHEDULER_NAMES. */
export const SAMPLERS = [
  ...['euler', 'euler_cfg_pp', 'euler_ancestral', 'euler_ancestral_cfg_pp', 'heun', 'heunpp2'],
  ...['exp_heun_2_x0', 'exp_heun_2_x0_sde', 'dpm_2', 'dpm_2_ancestral', 'lms', 'dpm_fast', 'dpm_adaptive'],
  ...['dpmpp_2s_ancestral', 'dpmpp_2s_ancestral_cfg_pp', 'dpmpp_sde', 'dpmpp_sde_gpu', 'dpmpp_2m'],
  ...['dpmpp_2m_cfg_pp', 'dpmpp_2m_sde', 'dpmpp_2m_sde_gpu', 'dpmpp_2m_sde_heun', 'dpmpp_2m_sde_heun_gpu'],
  ...['dpmpp_3m_sde', 'dpmpp_3m_sde_gpu', 'ddpm', 'lcm', 'ipndm', 'ipndm_v', 'deis', 'res_multistep'],
  ...['res_multistep_cfg_pp', 'res_multistep_ancestral', 'res_multistep_ancestral_cfg_pp'],
  ...['gradient_estimation', 'gradient_estimation_cfg_pp', 'er_sde', 'seeds_2', 'seeds_3', 'sa_solver'],
  ...['sa_solver_pece', 'ddim', 'uni_pc', 'uni_pc_bh2'],
];
export const SCHEDULERS = [
  ...['simple', 'sgm_uniform', 'karras', 'exponential', 'ddim_uniform', 'beta', 'normal'],
  ...['linear_quadratic', 'kl_optimal'],
];
const CLIP_TYPES = [
  ...['stable_diffusion', 'stable_cascade', 'sd3', 'stable_audio', 'mochi', 'ltxv', 'pixart', 'cosmos'],
  ...['lumina2', 'wan', 'hidream', 'chroma', 'ace', 'omnigen2', 'qwen_image', 'hunyuan_image'],
];
/** nodes.MAX_RESOLUTION */
const MAX_RESOLUTION = 16384;
/** KSampler's seed max, 0xffffffffffffffff: JSON numbers lose its last digits, as a browser would. */
const SEED_MAX = Number(2n ** 64n - 1n);

interface Shape {
  required: Record<string, InputSpec>;
  optional?: Record<string, InputSpec>;
  hidden?: Record<string, [string]>;
  output: string[];
  outputName?: string[];
  displayName: string;
  category: string;
  module: string;
  outputNode?: boolean;
  description?: string;
  /** Built from a V3 schema: the extra keys NodeInfoV1 carries. */
  v3?: boolean;
}

function info(name: string, shape: Shape): NodeInfo {
  const input: NodeInfo['input'] = { required: shape.required };
  if (shape.optional) input.optional = shape.optional;
  if (shape.hidden) input.hidden = shape.hidden;
  const order = Object.fromEntries(
    Object.entries(input).map(([group, specs]) => [group, Object.keys(specs)]),
  );
  const base: NodeInfo = {
    input,
    input_order: order,
    output: shape.output,
    output_is_list: shape.output.map(() => false),
    output_name: shape.outputName ?? shape.output,
    name,
    display_name: shape.displayName,
    description: shape.description ?? '',
    python_module: shape.module,
    category: shape.category,
    output_node: shape.outputNode ?? false,
  };
  if (!shape.v3) return base;
  return {
    ...base,
    is_input_list: false,
    output_tooltips: shape.output.map(() => null),
    output_matchtypes: null,
    has_intermediate_output: false,
    deprecated: false,
    experimental: false,
    dev_only: false,
    api_node: false,
    price_badge: null,
    search_aliases: null,
    essentials_category: null,
  };
}

const int = (options: Record<string, unknown>): InputSpec => ['INT', options];
const float = (options: Record<string, unknown>): InputSpec => ['FLOAT', options];
const v3Combo = (options: string[], fallback: string): InputSpec => [
  'COMBO',
  { default: fallback, multiselect: false, options },
];

/** Every node class the fake serves, for the given installed files. */
export function objectInfo(files: InstalledFiles): Record<string, NodeInfo> {
  const nodes: Record<string, NodeInfo> = {
    UNETLoader: info('UNETLoader', {
      required: {
        unet_name: [[...files.diffusionModels]],
        weight_dtype: [['default', 'fp8_e4m3fn', 'fp8_e4m3fn_fast', 'fp8_e5m2'], { advanced: true }],
      },
      output: ['MODEL'],
      displayName: 'Load Diffusion Model',
      category: 'advanced/loaders',
      module: 'nodes',
    }),
    CLIPLoader: info('CLIPLoader', {
      required: { clip_name: [[...files.textEncoders]], type: [CLIP_TYPES] },
      optional: { device: [['default', 'cpu'], { advanced: true }] },
      output: ['CLIP'],
      displayName: 'Load CLIP',
      category: 'advanced/loaders',
      module: 'nodes',
    }),
    VAELoader: info('VAELoader', {
      required: { vae_name: [[...files.vaes]] },
      output: ['VAE'],
      displayName: 'Load VAE',
      category: 'loaders',
      module: 'nodes',
    }),
    ModelSamplingSD3: info('ModelSamplingSD3', {
      required: { model: ['MODEL'], shift: float({ default: 3.0, min: 0.0, max: 100.0, step: 0.01 }) },
      output: ['MODEL'],
      displayName: 'ModelSamplingSD3',
      category: 'advanced/model',
      module: 'comfy_extras.nodes_model_advanced',
    }),
    CLIPTextEncode: info('CLIPTextEncode', {
      required: { text: ['STRING', { multiline: true, dynamicPrompts: true }], clip: ['CLIP'] },
      output: ['CONDITIONING'],
      displayName: 'CLIP Text Encode (Prompt)',
      category: 'conditioning',
      module: 'nodes',
    }),
    Wan22ImageToVideoLatent: info('Wan22ImageToVideoLatent', {
      required: {
        vae: ['VAE', {}],
        width: int({ default: 1280, min: 32, max: MAX_RESOLUTION, step: 32 }),
        height: int({ default: 704, min: 32, max: MAX_RESOLUTION, step: 32 }),
        length: int({ default: 49, min: 1, max: MAX_RESOLUTION, step: 4 }),
        batch_size: int({ default: 1, min: 1, max: 4096 }),
      },
      optional: { start_image: ['IMAGE', {}] },
      output: ['LATENT'],
      displayName: 'Wan22ImageToVideoLatent',
      category: 'conditioning/inpaint',
      module: 'comfy_extras.nodes_wan',
      v3: true,
    }),
    KSampler: info('KSampler', {
      required: {
        model: ['MODEL'],
        seed: int({ default: 0, min: 0, max: SEED_MAX, control_after_generate: true }),
        steps: int({ default: 20, min: 1, max: 10000 }),
        cfg: float({ default: 8.0, min: 0.0, max: 100.0, step: 0.1, round: 0.01 }),
        sampler_name: [SAMPLERS],
        scheduler: [SCHEDULERS],
        positive: ['CONDITIONING'],
        negative: ['CONDITIONING'],
        latent_image: ['LATENT'],
        denoise: float({ default: 1.0, min: 0.0, max: 1.0, step: 0.01 }),
      },
      output: ['LATENT'],
      displayName: 'KSampler',
      category: 'sampling',
      module: 'nodes',
      description: 'Uses the provided model, positive and negative conditioning to denoise the latent image.',
    }),
    VAEDecode: info('VAEDecode', {
      required: { samples: ['LATENT'], vae: ['VAE'] },
      output: ['IMAGE'],
      displayName: 'VAE Decode',
      category: 'latent',
      module: 'nodes',
      description: 'Decodes latent images back into pixel space images.',
    }),
    CreateVideo: info('CreateVideo', {
      required: { images: ['IMAGE', {}], fps: float({ default: 30.0, min: 1.0, max: 120.0, step: 1.0 }) },
      optional: {
        audio: ['AUDIO', {}],
        bit_depth: int({ default: 8, min: 8, max: 10, step: 2, display: 'number' }),
      },
      output: ['VIDEO'],
      displayName: 'Create Video',
      category: 'video',
      module: 'comfy_extras.nodes_video',
      description: 'Create a video from images.',
      v3: true,
    }),
    SaveVideo: info('SaveVideo', {
      required: {
        video: ['VIDEO', {}],
        filename_prefix: ['STRING', { default: 'video/ComfyUI' }],
        format: v3Combo(['auto', 'mp4'], 'auto'),
        codec: v3Combo(['auto', 'h264'], 'auto'),
      },
      hidden: { prompt: ['PROMPT'], extra_pnginfo: ['EXTRA_PNGINFO'] },
      output: [],
      displayName: 'Save Video',
      category: 'video',
      module: 'comfy_extras.nodes_video',
      outputNode: true,
      description: 'Saves the input images to your ComfyUI output directory.',
      v3: true,
    }),
    LoadImage: info('LoadImage', {
      required: { image: [[...files.inputImages].sort(), { image_upload: true }] },
      output: ['IMAGE', 'MASK'],
      displayName: 'Load Image',
      category: 'image',
      module: 'nodes',
    }),
  };
  return nodes;
}
