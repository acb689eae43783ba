"""The PyTorch reference for `npm run bench:gpu`: ms per sampler step of the shapes-v1 denoiser on one CUDA
GPU, for each tier and a batch of n jobs, the same step as denoiser_step.onnx:

    [v_c; v_u] = denoiser([x; x], [t; t], text, mask);  next = x + dt * (v_u + g * (v_c - v_u))

Random weights (the time of a step does not depend on them). Two ways per tier and n:
  torch-bf16-cudagraph  bf16 autocast (latents, dt, g and the update stay float32), the whole step
                        captured once in a CUDA graph on static tensors and replayed
  torch-fp32-eager      float32 (torch's defaults: cuDNN convolutions may use TF32), plain eager calls
Prints a JSON line with the GPU and versions, then one JSON line per measurement:
  {"backend", "tier", "batch", "msPerStep", "jobsPerSecondPerStep"}
Runs in well under 2 minutes on an H200; past --budget-s seconds it skips what is left (noted on stderr).

usage: python3 scripts/gpu/torch_reference.py [--replays 50] [--eager-runs 20] [--budget-s 90]"""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'models', 'shapes-v1',
                                'train'))
from model import LATENT_CH, Denoiser  # noqa: E402

# name, frames, latent side (the tier's pixels / 8)
TIERS = [('low', 8, 8), ('medium', 12, 16), ('high', 16, 24)]
BATCHES = [1, 2, 4, 8]
TOKENS, TEXT_DIM = 16, 128


class GuidedEulerStep(torch.nn.Module):
    """One flow-Euler step with classifier-free guidance for n jobs; text rows: n prompts, then n negatives."""

    def __init__(self, denoiser):
        super().__init__()
        self.denoiser = denoiser

    def forward(self, x, t, dt, g, text, mask):
        v = self.denoiser(torch.cat([x, x]), torch.cat([t, t]), text, mask)
        v_c, v_u = v.float().chunk(2)
        per_job = (-1, 1, 1, 1, 1)
        return x + dt.view(per_job) * (v_u + g.view(per_job) * (v_c - v_u))


def inputs(n, frames, side, device):
    mask = torch.zeros(2 * n, TOKENS, device=device)
    mask[:, :6] = 1  # a short prompt: BOS and five words
    return (torch.randn(n, frames, LATENT_CH, side, side, device=device),
            torch.rand(n, device=device),
            torch.full((n,), -1 / 16, device=device),
            torch.full((n,), 4.0, device=device),
            torch.randn(2 * n, TOKENS, TEXT_DIM, device=device),
            mask)


def bf16_cudagraph_ms(step, args, replays):
    # Autocast's weight cache must be off while capturing (the cast weights would outlive the graph's pool);
    # so each replay casts the (small) weights again, which the time includes.
    def run():
        with torch.autocast('cuda', dtype=torch.bfloat16, cache_enabled=False):
            return step(*args)

    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):  # warm-up (cuDNN picks its kernels here) on a side stream, as capture needs
        for _ in range(3):
            run()
    torch.cuda.current_stream().wait_stream(side)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        run()
    for _ in range(3):
        graph.replay()
    ms = timed(graph.replay, replays)
    del graph
    return ms


def timed(call, runs):
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    torch.cuda.synchronize()
    start.record()
    for _ in range(runs):
        call()
    end.record()
    end.synchronize()
    return start.elapsed_time(end) / runs


def fp32_eager_ms(step, args, runs):
    for _ in range(3):
        step(*args)
    return timed(lambda: step(*args), runs)


def report(backend, tier, n, ms):
    print(json.dumps({'backend': backend, 'tier': tier, 'batch': n, 'msPerStep': round(ms, 4),
                      'jobsPerSecondPerStep': round(n / ms * 1000, 2)}), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--replays', type=int, default=50, help='timed CUDA graph replays per measurement')
    parser.add_argument('--eager-runs', type=int, default=20, help='timed fp32 eager calls per measurement')
    parser.add_argument('--budget-s', type=float, default=90, help='skip what is left past this many seconds')
    args = parser.parse_args()
    if not torch.cuda.is_available():
        sys.exit('torch_reference.py needs a CUDA GPU (torch.cuda.is_available() is False)')
    began = time.monotonic()
    device = torch.device('cuda')
    torch.manual_seed(0)
    torch.backends.cudnn.benchmark = True
    print(json.dumps({'gpu': torch.cuda.get_device_name(device), 'torch': torch.__version__,
                      'cuda': torch.version.cuda, 'cudnn': torch.backends.cudnn.version()}), flush=True)
    step = GuidedEulerStep(Denoiser()).to(device).eval()
    with torch.no_grad():
        for tier, frames, side in TIERS:
            for n in BATCHES:
                if time.monotonic() - began > args.budget_s:
                    print(f'budget of {args.budget_s} s spent: skipped {tier} n={n} and what follows',
                          file=sys.stderr)
                    return
                feeds = inputs(n, frames, side, device)
                report('torch-bf16-cudagraph', tier, n, bf16_cudagraph_ms(step, feeds, args.replays))
                report('torch-fp32-eager', tier, n, fp32_eager_ms(step, feeds, args.eager_runs))
                del feeds
                torch.cuda.empty_cache()


if __name__ == '__main__':
    main()
