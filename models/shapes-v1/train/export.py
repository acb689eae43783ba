"""Export a checkpoint (EMA weights) to the three ONNX components, the vocabulary and model.json.

usage: python3 export.py CHECKPOINT OUT_DIR   (or --random OUT_DIR for timing the graph shapes)"""
import hashlib
import json
import os
import sys

import onnx
import torch

sys.path.insert(0, os.path.dirname(__file__))
import analyse  # noqa: E402
import manifest  # noqa: E402
import step_graph  # noqa: E402
import world  # noqa: E402
from model import LATENT_CH, Decoder, Denoiser, TextEncoder  # noqa: E402

OPSET = 17


class ClampedDecoder(torch.nn.Module):
    """The shipped decoder: normalised latents → RGB clipped to [0, 1]."""

    def __init__(self, decoder):
        super().__init__()
        self.decoder = decoder

    def forward(self, latents):
        return self.decoder(latents).clamp(0, 1)


def load(path):
    vocab = world.vocabulary()
    text, den, dec = TextEncoder(len(vocab)), Denoiser(), Decoder()
    info = {}
    if path != '--random':
        ck = torch.load(path, map_location='cpu')
        text.load_state_dict(ck['ema']['text'])
        missing = den.load_state_dict(ck['ema']['denoiser'], strict=False).missing_keys
        assert all(k.startswith('frame_mlp.') for k in missing), missing  # zero-initialised: no effect
        dec.load_state_dict(ck['decoder'])
        vocab = ck['vocab']
        info = ck.get('info', {})
    return vocab, text.eval(), den.eval(), ClampedDecoder(dec.eval()).eval(), info


def write_eval_prompts(out):
    """The held-out prompts (never emitted verbatim as training captions) with what a clip must show."""
    rows = []
    for prompt in world.HELD_OUT:
        colour, motion = analyse.expected(prompt)
        rows.append({'prompt': prompt, 'colour': colour, 'motion': motion})
    with open(f'{out}/eval-prompts.json', 'w') as f:
        json.dump({'palette': world.COLOURS, 'prompts': rows}, f, indent=1)
        f.write('\n')


def export(path, out):
    os.makedirs(out, exist_ok=True)
    vocab, text, den, dec, info = load(path)
    ids = torch.tensor([[1, 5, 6, 7] + [0] * 12, [1] + [0] * 15])
    with torch.no_grad():
        emb = text(ids)
    mask = (ids != 0).float()
    lat = torch.randn(2, 8, LATENT_CH, 12, 12)
    kw = dict(opset_version=OPSET, do_constant_folding=True)
    if 'dynamo' in torch.onnx.export.__code__.co_varnames:
        kw['dynamo'] = False
    torch.onnx.export(text, (ids,), f'{out}/text_encoder.onnx', input_names=['input_ids'],
                      output_names=['text_embeddings'], dynamic_axes={'input_ids': {0: 'batch'},
                                                                      'text_embeddings': {0: 'batch'}}, **kw)
    velocity = f'{out}/denoiser_velocity.onnx'
    torch.onnx.export(den, (lat, torch.tensor([0.5, 0.5]), emb, mask), velocity,
                      input_names=['latents', 'timestep', 'text_embeddings', 'text_mask'],
                      output_names=['velocity'],
                      dynamic_axes={'latents': {0: 'batch', 1: 'frames', 3: 'height', 4: 'width'},
                                    'timestep': {0: 'batch'}, 'text_embeddings': {0: 'batch'},
                                    'text_mask': {0: 'batch'},
                                    'velocity': {0: 'batch', 1: 'frames', 3: 'height', 4: 'width'}}, **kw)
    torch.onnx.export(dec, (lat.reshape(-1, LATENT_CH, 12, 12),), f'{out}/decoder.onnx', input_names=['latents'],
                      output_names=['frames'], dynamic_axes={'latents': {0: 'frames', 2: 'height', 3: 'width'},
                                                             'frames': {0: 'frames', 2: 'height', 3: 'width'}},
                      **kw)
    # The shipped denoiser is one whole sampler step: guidance and the Euler update inside the graph.
    step_graph.write(step_graph.with_step(onnx.load(velocity)), f'{out}/denoiser_step.onnx')
    os.remove(velocity)
    with open(f'{out}/vocab.json', 'w') as f:
        json.dump(vocab, f, indent=0)
        f.write('\n')
    write_eval_prompts(out)
    files = {}
    for name in ('text_encoder.onnx', 'denoiser_step.onnx', 'decoder.onnx', 'vocab.json'):
        with open(f'{out}/{name}', 'rb') as f:
            files[name] = hashlib.sha256(f.read()).hexdigest()
    with open(f'{out}/model.json', 'w') as f:
        json.dump(manifest.build(files, info), f, indent=2)
        f.write('\n')
    print('exported to', out, {k: os.path.getsize(f'{out}/{k}') for k in files})


if __name__ == '__main__':
    if sys.argv[1] == '--eval-prompts':
        write_eval_prompts(sys.argv[2])
    else:
        export(sys.argv[1], sys.argv[2])
