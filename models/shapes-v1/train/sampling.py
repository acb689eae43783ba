"""Tokenizer, noise and the flow-matching Euler sampler, exactly as worker/pipeline does them in TS."""
import torch

import world
from model import LATENT_CH

MAX_LEN = 16


def tokenize(text, vocab_index):
    ids = [1] + [vocab_index[w] for w in world.tokenize_words(text) if w in vocab_index]
    ids = ids[:MAX_LEN]
    return ids + [0] * (MAX_LEN - len(ids))


def correlated_noise(shape, rho, generator=None, device='cpu'):
    """[B, T, C, h, w] standard normal per element, correlation rho between frames of one sample."""
    b, t, c, h, w = shape
    shared = torch.randn((b, 1, c, h, w), generator=generator, device=device)
    own = torch.randn(shape, generator=generator, device=device)
    return rho ** 0.5 * shared + (1 - rho) ** 0.5 * own


def timesteps(steps, shift):
    s = torch.linspace(1, 0, steps + 1)
    return shift * s / (1 + (shift - 1) * s)


@torch.no_grad()
def sample(text_enc, denoiser, decoder, prompts, vocab, frames, size, steps=12, guidance=4.0, shift=2.0,
           rho=0.5, seed=0, device='cpu'):
    """Returns clips [B, T, 3, H, W] in [0, 1]; decoder maps normalised latents to pixels."""
    index = {w: i for i, w in enumerate(vocab)}
    ids = torch.tensor([tokenize(p, index) for p in prompts], device=device)
    uncond = torch.zeros_like(ids)
    uncond[:, 0] = 1
    all_ids = torch.cat([ids, uncond])
    emb = text_enc(all_ids)
    mask = (all_ids != 0).float()
    b, lat = len(prompts), size // 8
    g = torch.Generator(device=device).manual_seed(seed)
    x = correlated_noise((b, frames, LATENT_CH, lat, lat), rho, g, device)
    ts = timesteps(steps, shift)
    for i in range(steps):
        t = torch.full((2 * b,), float(ts[i]), device=device)
        v = denoiser(torch.cat([x, x]), t, emb, mask)
        vc, vu = v[:b], v[b:]
        x = x + (ts[i + 1] - ts[i]) * (vu + guidance * (vc - vu))
    out = decoder(x.reshape(b * frames, LATENT_CH, lat, lat))
    return out.reshape(b, frames, 3, size, size).clamp(0, 1)
