"""Train shapes-v1: first a per-frame autoencoder (latent = 8 channels at 1/8 resolution), then the
text encoder and flow-matching denoiser on its latents. Runs for --minutes and resumes from
--checkpoint, so training proceeds as a series of short runs.

usage: python3 train.py --checkpoint ckpt.pt --minutes 9 [--device cuda] [--seed 0] [--small]"""
import argparse
import contextlib
import os
import random
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
import analyse  # noqa: E402
import sampling  # noqa: E402
import world  # noqa: E402
from model import Decoder, Denoiser, Encoder, TextEncoder, count  # noqa: E402

AE_STEPS = 3000
RHO = 0.5  # noise correlation between frames (mixed noise, PYoCo)
# (pixels, frames, clips per batch, share of steps): every tier of the manifest is trained.
TIERS = [(64, 8, 128, 0.4), (128, 12, 32, 0.35), (192, 16, 12, 0.25)]
SMALL_TIERS = [(64, 8, 4, 0.5), (128, 12, 2, 0.5)]


def autocast(dev):
    return torch.autocast('cuda', torch.bfloat16) if dev == 'cuda' else contextlib.nullcontext()


def parse():
    p = argparse.ArgumentParser()
    p.add_argument('--checkpoint', required=True)
    p.add_argument('--minutes', type=float, default=9.0)
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--small', action='store_true', help='tiny batches and step counts for a CPU smoke test')
    p.add_argument('--eval-only', action='store_true')
    return p.parse_args()


def fresh_state(vocab):
    text, den = TextEncoder(len(vocab)), Denoiser()
    return {
        'vocab': vocab, 'encoder': Encoder().state_dict(), 'decoder': Decoder().state_dict(),
        'text': text.state_dict(), 'denoiser': den.state_dict(),
        'ema': {'text': text.state_dict(), 'denoiser': den.state_dict()},
        'ae_step': 0, 'step': 0, 'runs': 0, 'seconds': 0.0, 'ae_opt': None, 'opt': None,
        'latent_mean': None, 'latent_std': None, 'info': {},
    }


def save(state, path):
    tmp = path + '.tmp'
    torch.save(state, tmp)
    os.replace(tmp, path)


def train_autoencoder(state, args, rng, deadline):
    dev = args.device
    enc, dec = Encoder().to(dev), Decoder().to(dev)
    enc.load_state_dict(state['encoder'])
    dec.load_state_dict(state['decoder'])
    opt = torch.optim.AdamW(list(enc.parameters()) + list(dec.parameters()), lr=1e-3, weight_decay=0.0)
    if state['ae_opt']:
        opt.load_state_dict(state['ae_opt'])
    steps = 20 if args.small else AE_STEPS
    while state['ae_step'] < steps and time.time() < deadline:
        size, clips = rng.choice([(64, 32), (128, 8), (192, 4)] if not args.small else [(64, 2)])
        _, x = world.batch(rng, clips, 4, size, size, dev)
        x = x.reshape(-1, 3, size, size)
        lr = 1e-3 * min(1.0, (state['ae_step'] + 1) / 200) * (0.1 if state['ae_step'] > 0.8 * steps else 1)
        for g in opt.param_groups:
            g['lr'] = lr
        with autocast(dev):
            z = enc(x)
            zn = z + torch.randn_like(z) * 0.1 * z.detach().std()  # a decoder robust to imperfect latents
            y = dec(zn)
        loss = F.mse_loss(y.float(), x) + 0.5 * F.l1_loss(y.float(), x) + 1e-4 * z.float().pow(2).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        state['ae_step'] += 1
        if state['ae_step'] % 250 == 0:
            print(f"ae step {state['ae_step']} loss {loss.item():.5f}", flush=True)
    state['encoder'], state['decoder'], state['ae_opt'] = enc.state_dict(), dec.state_dict(), opt.state_dict()
    if state['ae_step'] >= steps and state['latent_mean'] is None:
        with torch.no_grad():
            zs = []
            for size, clips in [(64, 32), (128, 8), (192, 4)]:
                _, x = world.batch(rng, clips, 4, size, size, dev)
                zs.append(enc(x.reshape(-1, 3, size, size)).permute(1, 0, 2, 3).reshape(8, -1))
            z = torch.cat(zs, 1)
            state['latent_mean'], state['latent_std'] = z.mean(1).cpu(), z.std(1).cpu()
        print('latent mean', state['latent_mean'].tolist(), 'std', state['latent_std'].tolist())


def ema_update(ema, model, decay):
    with torch.no_grad():
        for k, v in model.state_dict().items():
            if v.dtype.is_floating_point:
                ema[k].mul_(decay).add_(v.detach(), alpha=1 - decay)
            else:
                ema[k].copy_(v)


def train_denoiser(state, args, rng, deadline):
    dev = args.device
    vocab = state['vocab']
    index = {w: i for i, w in enumerate(vocab)}
    enc = Encoder().to(dev).eval()
    enc.load_state_dict(state['encoder'])
    text, den = TextEncoder(len(vocab)).to(dev), Denoiser().to(dev)
    text.load_state_dict(state['text'])
    den.load_state_dict(state['denoiser'])
    ema_text = {k: v.to(dev) for k, v in state['ema']['text'].items()}
    ema_den = {k: v.to(dev) for k, v in state['ema']['denoiser'].items()}
    params = list(text.parameters()) + list(den.parameters())
    opt = torch.optim.AdamW(params, lr=3e-4, weight_decay=0.01)
    if state['opt']:
        opt.load_state_dict(state['opt'])
    mean = state['latent_mean'].to(dev).view(1, 1, 8, 1, 1)
    std = state['latent_std'].to(dev).view(1, 1, 8, 1, 1)
    tiers = SMALL_TIERS if args.small else TIERS
    t0, last_save, losses = time.time(), time.time(), []
    while time.time() < deadline and not (args.small and state['step'] >= 6):
        size, frames, clips, _ = rng.choices(tiers, [t[3] for t in tiers])[0]
        scenes, x = world.batch(rng, clips, frames, size, size, dev)
        ids = torch.tensor([sampling.tokenize(s.caption, index) for s in scenes], device=dev)
        drop = torch.rand(clips, device=dev) < 0.1
        ids[drop] = 0
        ids[:, 0] = 1
        with torch.no_grad():
            z = enc(x.reshape(-1, 3, size, size))
            z = (z.reshape(clips, frames, 8, size // 8, size // 8) - mean) / std
        t = torch.sigmoid(torch.randn(clips, device=dev))  # logit-normal timesteps
        noise = sampling.correlated_noise(z.shape, RHO, device=dev)
        tt = t.view(-1, 1, 1, 1, 1)
        xt = (1 - tt) * z + tt * noise
        lr = 3e-4 * min(1.0, (state['step'] + 1) / 300)
        for g in opt.param_groups:
            g['lr'] = lr
        with autocast(dev):
            emb = text(ids)
            v = den(xt, t, emb, (ids != 0).float())
        loss = F.mse_loss(v.float(), noise - z)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        state['step'] += 1
        decay = min(0.999, (1 + state['step']) / (10 + state['step']))
        ema_update(ema_text, text, decay)
        ema_update(ema_den, den, decay)
        losses.append(loss.item())
        if state['step'] % 200 == 0:
            rate = len(losses) / (time.time() - t0)
            print(f"step {state['step']} loss {sum(losses[-200:]) / len(losses[-200:]):.4f} {rate:.1f} it/s",
                  flush=True)
        if time.time() - last_save > 150:
            _store(state, text, den, ema_text, ema_den, opt)
            save(state, args.checkpoint)
            if not args.small:
                evaluate(state, args)
            last_save = time.time()
    _store(state, text, den, ema_text, ema_den, opt)


def _store(state, text, den, ema_text, ema_den, opt):
    state['text'], state['denoiser'], state['opt'] = text.state_dict(), den.state_dict(), opt.state_dict()
    state['ema'] = {'text': {k: v.detach().cpu().clone() for k, v in ema_text.items()},
                    'denoiser': {k: v.detach().cpu().clone() for k, v in ema_den.items()}}


def evaluate(state, args, size=64, frames=8):
    dev = args.device
    text, den = TextEncoder(len(state['vocab'])).to(dev).eval(), Denoiser().to(dev).eval()
    text.load_state_dict(state['ema']['text'])
    den.load_state_dict(state['ema']['denoiser'])
    dec = Decoder().to(dev).eval()
    dec.load_state_dict(state['decoder'])
    mean = state['latent_mean'].to(dev).view(1, 8, 1, 1)
    std = state['latent_std'].to(dev).view(1, 8, 1, 1)
    prompts = world.HELD_OUT if not args.small else world.HELD_OUT[:3]
    clips = sampling.sample(text, den, lambda z: dec(z * std + mean), prompts, state['vocab'], frames, size,
                            steps=12, guidance=4.0, seed=1, device=dev).cpu()
    colour_ok = motion_ok = motion_n = 0
    for prompt, clip in zip(prompts, clips):
        want_c, want_m = analyse.expected(prompt)
        got_c, got_m = analyse.analyse(clip)
        colour_ok += got_c == want_c
        if want_m:
            motion_n += 1
            motion_ok += got_m == want_m
    result = {'size': size, 'frames': frames, 'colour': colour_ok / len(prompts),
              'motion': motion_ok / max(1, motion_n), 'prompts': len(prompts)}
    print('eval', result, flush=True)
    return result, clips


def main():
    args = parse()
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    start = time.time()
    deadline = start + args.minutes * 60
    if os.path.exists(args.checkpoint):
        state = torch.load(args.checkpoint, map_location='cpu')
        print(f"resumed: ae_step {state['ae_step']} step {state['step']} runs {state['runs']}")
    else:
        state = fresh_state(world.vocabulary())
        print('fresh start; vocab', len(state['vocab']), 'denoiser params', count(Denoiser()))
    seed = args.seed * 1000 + state['runs']
    rng = random.Random(seed)
    torch.manual_seed(seed)
    if not args.eval_only:
        train_autoencoder(state, args, rng, deadline - 45)
        if state['latent_mean'] is not None:
            train_denoiser(state, args, rng, deadline - 45)
        state['runs'] += 1
        state['seconds'] += time.time() - start
        save(state, args.checkpoint)
    if state['step'] > 0:
        results = [evaluate(state, args)[0]]
        if not args.small:
            results.append(evaluate(state, args, 128, 12)[0])
        device = torch.cuda.get_device_name() if args.device == 'cuda' else 'cpu'
        state['info'] = {'steps': state['step'], 'autoencoderSteps': state['ae_step'], 'runs': state['runs'],
                         'trainingSeconds': round(state['seconds']), 'device': device, 'eval': results}
        save(state, args.checkpoint)


if __name__ == '__main__':
    main()
