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
from model import LATENT_CH, Decoder, Denoiser, Encoder, TextEncoder, count  # noqa: E402

RHO = 0.5  # noise correlation between frames (mixed noise, PYoCo)
# (pixels, frames, clips per batch, share of steps): every tier of the manifest is trained.
# The H100 ran the first runs at 35-60% utilisation (launch-bound at 12 steps/s), so bigger batches
# are nearly free.
TIERS = [(64, 8, 384, 0.45), (128, 12, 96, 0.35), (192, 16, 32, 0.2)]
SMALL_TIERS = [(64, 8, 4, 0.5), (128, 12, 2, 0.5)]
CPU_TIERS = [(64, 8, 32, 0.85), (128, 12, 4, 0.15)]  # fine-tuning on a CPU: mostly the cheap tier


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
    p.add_argument('--ema', type=float, default=0.999, help='EMA decay of the exported weights')
    p.add_argument('--lr', type=float, default=3e-4)
    p.add_argument('--eval-every', type=float, default=150, help='seconds between evaluations')
    p.add_argument('--t-shift', type=float, default=3.0,
                   help='shift of the logit-normal training timesteps toward noise (1 = none)')
    p.add_argument('--high-share', type=float, default=0.3,
                   help='share of training timesteps drawn uniformly from [0.85, 1)')
    return p.parse_args()


def fresh_state(vocab):
    text, den = TextEncoder(len(vocab)), Denoiser()
    return {
        'vocab': vocab, 'decoder': Decoder().state_dict(),
        'text': text.state_dict(), 'denoiser': den.state_dict(),
        'ema': {'text': text.state_dict(), 'denoiser': den.state_dict()},
        'step': 0, 'runs': 0, 'seconds': 0.0, 'dec_opt': None, 'opt': None,
        'latent_mean': None, 'latent_std': None, 'info': {},
    }


def save(state, path):
    tmp = path + '.tmp'
    torch.save(state, tmp)
    os.replace(tmp, path)


def latent_stats(state, args, rng):
    """Per-channel mean and std of the fixed encoder's latents over every tier, for normalisation."""
    enc = Encoder().to(args.device)
    with torch.no_grad():
        zs = []
        for size, clips in [(64, 64), (128, 16), (192, 8)]:
            _, x = world.batch(rng, clips, 4, size, size, args.device)
            zs.append(enc(x.reshape(-1, 3, size, size)).permute(1, 0, 2, 3).reshape(LATENT_CH, -1))
        z = torch.cat(zs, 1)
        state['latent_mean'], state['latent_std'] = z.mean(1).cpu(), z.std(1).cpu()
    print('latent mean', [round(v, 3) for v in state['latent_mean'].tolist()],
          'std', [round(v, 3) for v in state['latent_std'].tolist()], flush=True)


def ema_update(ema, model, decay):
    with torch.no_grad():
        live = model.state_dict()
        keys = [k for k, v in live.items() if v.dtype.is_floating_point]
        torch._foreach_mul_([ema[k] for k in keys], decay)
        torch._foreach_add_([ema[k] for k in keys], [live[k] for k in keys], alpha=1 - decay)


def train_denoiser(state, args, rng, deadline):
    dev = args.device
    vocab = state['vocab']
    index = {w: i for i, w in enumerate(vocab)}
    enc = Encoder().to(dev)
    dec = Decoder().to(dev)
    dec.load_state_dict(state['decoder'])
    dec_opt = torch.optim.AdamW(dec.parameters(), lr=1e-3, weight_decay=0.0)
    if state['dec_opt']:
        dec_opt.load_state_dict(state['dec_opt'])
    text, den = TextEncoder(len(vocab)).to(dev), Denoiser().to(dev)
    text.load_state_dict(state['text'])
    missing = den.load_state_dict(state['denoiser'], strict=False).missing_keys
    if missing:
        print('new denoiser weights (initialised fresh):', missing, flush=True)
    ema_text = {k: v.to(dev) for k, v in state['ema']['text'].items()}
    ema_den = {k: v.detach().clone() for k, v in den.state_dict().items()}
    ema_den.update({k: v.to(dev) for k, v in state['ema']['denoiser'].items()})
    params = list(text.parameters()) + list(den.parameters())
    opt = torch.optim.AdamW(params, lr=3e-4, weight_decay=0.01)
    if state['opt'] and not missing:
        opt.load_state_dict(state['opt'])
    mean = state['latent_mean'].to(dev).view(1, 1, LATENT_CH, 1, 1)
    std = state['latent_std'].to(dev).view(1, 1, LATENT_CH, 1, 1)
    tiers = SMALL_TIERS if args.small else CPU_TIERS if dev == 'cpu' else TIERS
    t0, last_save, losses, first_step = time.time(), time.time(), [], state['step']
    while time.time() < deadline and not (args.small and state['step'] >= 6):
        size, frames, clips, _ = rng.choices(tiers, [t[3] for t in tiers])[0]
        scenes, x = world.batch(rng, clips, frames, size, size, dev)
        ids = torch.tensor([sampling.tokenize(s.caption, index) for s in scenes], device=dev)
        drop = torch.rand(clips, device=dev) < 0.1
        ids[drop] = 0
        ids[:, 0] = 1
        with torch.no_grad():
            z = enc(x.reshape(-1, 3, size, size))
            z = (z.reshape(clips, frames, LATENT_CH, size // 8, size // 8) - mean) / std
        t = training_timesteps(clips, args.t_shift, dev, args.high_share)
        noise = sampling.correlated_noise(z.shape, RHO, device=dev)
        tt = t.view(-1, 1, 1, 1, 1)
        xt = (1 - tt) * z + tt * noise
        # Warm up again in every run: a resumed run may start with fresh optimiser moments.
        lr = args.lr * min(1.0, (state['step'] - first_step + 1) / 300)
        for g in opt.param_groups:
            g['lr'] = lr
        with autocast(dev):
            emb = text(ids)
            v = den(xt, t, emb, (ids != 0).float())
        loss = motion_weighted_mse(v.float(), noise - z, z)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        train_decoder_step(dec, dec_opt, z, x, state['step'])
        state['step'] += 1
        decay = min(args.ema, (1 + state['step']) / (10 + state['step']))
        ema_update(ema_text, text, decay)
        ema_update(ema_den, den, decay)
        losses.append(loss.detach())  # no .item() here: a sync every step stalls the GPU queue
        if state['step'] % 200 == 0:
            rate = len(losses) / (time.time() - t0)
            recent = torch.stack(losses[-200:]).mean().item()
            print(f"step {state['step']} loss {recent:.4f} {rate:.1f} it/s", flush=True)
        if time.time() - last_save > args.eval_every:
            _store(state, text, den, ema_text, ema_den, opt)
            state['decoder'], state['dec_opt'] = dec.state_dict(), dec_opt.state_dict()
            # Count the time in every save: a run cut off by the lease resumes from this one.
            state['seconds'] += time.time() - last_save
            save(state, args.checkpoint)
            if not args.small:
                evaluate(state, args)
            last_save = time.time()
    _store(state, text, den, ema_text, ema_den, opt)
    state['decoder'], state['dec_opt'] = dec.state_dict(), dec_opt.state_dict()


def training_timesteps(n, shift, dev, high_share, high_from=0.85):
    """Logit-normal timesteps shifted toward noise, t' = s*t / (1 + (s-1)*t), plus a share drawn
    uniformly from [high_from, 1). Unshifted, only 1.4% of training saw t > 0.9, where the sampler
    (shift 2) takes its first steps and a clip's layout and direction are decided: there the model let
    the noise pick the direction and ignored whether the words said left or right (flipping them in
    the caption left its loss unchanged)."""
    t = torch.sigmoid(torch.randn(n, device=dev))
    t = shift * t / (1 + (shift - 1) * t)
    high = torch.rand(n, device=dev) < high_share
    return torch.where(high, high_from + (1 - high_from) * torch.rand(n, device=dev), t)


def motion_weighted_mse(pred, target, z):
    """MSE that weighs latent cells by how much they change over the clip. Moving objects cover a
    few cells of a mostly static frame, so plain MSE learns colour long before direction."""
    change = (z - z.mean(1, keepdim=True)).pow(2).mean(2, keepdim=True).clamp(max=4.0)
    weight = 1.0 + 2.0 * change
    return ((pred - target).pow(2) * weight).mean() / weight.mean()


def train_decoder_step(dec, opt, z, x, step):
    """One decoder step on a random subset of frames: normalised latent (plus a little noise, so it
    copes with imperfect samples) → pixels."""
    frames = z.reshape(-1, *z.shape[2:])
    pixels = x.reshape(-1, *x.shape[2:])
    pick = torch.randperm(frames.shape[0], device=z.device)[:128]
    zin = frames[pick]
    zin = zin + torch.randn_like(zin) * torch.rand(zin.shape[0], 1, 1, 1, device=z.device) * 0.2
    for g in opt.param_groups:
        g['lr'] = 1e-3 * min(1.0, (step + 1) / 200)
    with autocast(z.device.type):
        y = dec(zin)
    target = pixels[pick]
    loss = F.mse_loss(y.float(), target) + 0.5 * F.l1_loss(y.float(), target)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(dec.parameters(), 1.0)
    opt.step()


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
    prompts = world.HELD_OUT if not args.small else world.HELD_OUT[:3]
    clips = sampling.sample(text, den, dec, prompts, state['vocab'], frames, size,
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
        print(f"resumed: step {state['step']} runs {state['runs']}")
    else:
        state = fresh_state(world.vocabulary())
        print('fresh start; vocab', len(state['vocab']), 'denoiser params', count(Denoiser()))
    seed = args.seed * 1000 + state['runs']
    rng = random.Random(seed)
    torch.manual_seed(seed)
    if not args.eval_only:
        if state['latent_mean'] is None:
            latent_stats(state, args, rng)
        seconds_before = state['seconds']
        train_denoiser(state, args, rng, deadline - 45)
        state['runs'] += 1
        state['seconds'] = seconds_before + time.time() - start
        save(state, args.checkpoint)
    if state['step'] > 0:
        results = [evaluate(state, args)[0]]
        if not args.small:
            results.append(evaluate(state, args, 128, 12)[0])
        device = torch.cuda.get_device_name() if args.device == 'cuda' else 'cpu'
        state['info'] = {'steps': state['step'], 'runs': state['runs'],
                         'trainingSeconds': round(state['seconds']), 'device': device, 'eval': results}
        save(state, args.checkpoint)


if __name__ == '__main__':
    main()
