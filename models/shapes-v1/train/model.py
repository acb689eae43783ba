"""The three networks of shapes-v1, written with ops that export cleanly to ONNX and run well on the
WebGPU provider: Conv2d per frame, MatMul attention (spatial, temporal, cross), GroupNorm, no Conv3d.

Latent layout everywhere: [B, T, C, h, w]. Frame time and pixel coordinates are computed inside the
graph from the input's shape (pixel centres, (i + 0.5) / n), so one graph serves every tier."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

LATENT_CH = 12  # 4 DCT coefficients x 3 colours per 8x8 patch


def sinusoid(x, dim):
    """x: [N] → [N, dim] sinusoidal features over a log range of frequencies."""
    half = dim // 2
    freqs = torch.exp(-math.log(1000.0) * torch.arange(half, dtype=torch.float32, device=x.device) / half)
    args = x.unsqueeze(-1) * freqs * 1000.0 / 8
    return torch.cat([torch.sin(args), torch.cos(args)], -1)


class Attention(nn.Module):
    def __init__(self, dim, heads, context_dim=None):
        super().__init__()
        self.heads = heads
        self.norm = nn.LayerNorm(dim)
        self.q = nn.Linear(dim, dim, bias=False)
        self.kv = nn.Linear(context_dim or dim, dim * 2, bias=False)
        self.out = nn.Linear(dim, dim)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, x, context=None, bias=None):
        """x: [N, L, D]; context: [N, S, Dc] (self-attention when None); bias: additive [N, 1, S]."""
        n, l, d = x.shape
        h = self.norm(x)
        ctx = h if context is None else context
        q = self.q(h).reshape(n, l, self.heads, d // self.heads).transpose(1, 2)
        k, v = self.kv(ctx).chunk(2, -1)
        k = k.reshape(n, -1, self.heads, d // self.heads).transpose(1, 2)
        v = v.reshape(n, -1, self.heads, d // self.heads).transpose(1, 2)
        w = q @ k.transpose(-1, -2) * (1.0 / math.sqrt(d // self.heads))
        if bias is not None:
            w = w + bias.unsqueeze(1)
        o = (w.softmax(-1) @ v).transpose(1, 2).reshape(n, l, d)
        return x + self.out(o)


class ResBlock(nn.Module):
    def __init__(self, cin, cout, emb_dim):
        super().__init__()
        self.n1 = nn.GroupNorm(8, cin)
        self.c1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.film = nn.Linear(emb_dim, cout * 2)
        self.n2 = nn.GroupNorm(8, cout)
        self.c2 = nn.Conv2d(cout, cout, 3, padding=1)
        nn.init.zeros_(self.c2.weight)
        nn.init.zeros_(self.c2.bias)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, emb):
        h = self.c1(F.silu(self.n1(x)))
        scale, shift = self.film(emb).unsqueeze(-1).unsqueeze(-1).chunk(2, 1)
        h = self.n2(h) * (1 + scale) + shift
        return self.skip(x) + self.c2(F.silu(h))


class SpaceTimeBlock(nn.Module):
    """Temporal attention (every pixel over its frames), optional spatial self-attention, then
    cross-attention to the text tokens."""

    def __init__(self, dim, heads, text_dim, spatial):
        super().__init__()
        self.frame_pos = nn.Linear(64, dim)
        self.temporal = Attention(dim, heads)
        self.spatial = Attention(dim, heads) if spatial else None
        self.cross = Attention(dim, heads, text_dim)

    def forward(self, x, frames, text, text_bias, frame_feat):
        bt, c, hh, ww = x.shape
        b = bt // frames
        tokens = x.reshape(b, frames, c, hh * ww).permute(0, 3, 1, 2).reshape(b * hh * ww, frames, c)
        pos = self.frame_pos(frame_feat).unsqueeze(0)  # [1, T, C]
        tokens = self.temporal(tokens + pos) - pos
        tokens = tokens.reshape(b, hh * ww, frames, c).permute(0, 2, 1, 3).reshape(bt, hh * ww, c)
        if self.spatial is not None:
            tokens = self.spatial(tokens)
        text_rep = text.unsqueeze(1).expand(-1, frames, -1, -1).reshape(bt, text.shape[1], text.shape[2])
        bias_rep = text_bias.unsqueeze(1).expand(-1, frames, -1, -1).reshape(bt, 1, text.shape[1])
        tokens = self.cross(tokens, text_rep, bias_rep)
        return tokens.transpose(1, 2).reshape(bt, c, hh, ww)


class TextEncoder(nn.Module):
    def __init__(self, vocab_size, dim=128, max_len=16, layers=2, heads=4):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, dim)
        self.pos = nn.Parameter(torch.randn(max_len, dim) * 0.02)
        self.blocks = nn.ModuleList([Attention(dim, heads) for _ in range(layers)])
        self.mlps = nn.ModuleList([nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, dim * 2), nn.GELU(),
                                                 nn.Linear(dim * 2, dim)) for _ in range(layers)])
        self.norm = nn.LayerNorm(dim)

    def forward(self, ids):
        """ids: [B, L] int64 (0 = pad, position 0 always the BOS token) → [B, L, dim]."""
        bias = ((ids == 0).float() * -1e4).unsqueeze(1)
        x = self.embed(ids) + self.pos[: ids.shape[1]]
        for attn, mlp in zip(self.blocks, self.mlps):
            x = attn(x, None, bias)
            x = x + mlp(x)
        return self.norm(x)


class Denoiser(nn.Module):
    """Flow-matching velocity predictor: a two-level per-frame conv U-Net with space-time attention."""

    def __init__(self, latent_ch=LATENT_CH, ch=(96, 192), text_dim=128, emb_dim=256, heads=4):
        super().__init__()
        c0, c1 = ch
        self.t_mlp = nn.Sequential(nn.Linear(64, emb_dim), nn.SiLU(), nn.Linear(emb_dim, emb_dim))
        self.text_pool = nn.Linear(text_dim, emb_dim)
        # Per-frame conditioning from (prompt, frame time): a direct path for "where is the object in
        # frame f", so motion words need not wait for cross-attention to meet the coordinate channels.
        self.frame_mlp = nn.Sequential(nn.Linear(64 + text_dim, emb_dim), nn.SiLU(), nn.Linear(emb_dim, emb_dim))
        nn.init.zeros_(self.frame_mlp[2].weight)
        nn.init.zeros_(self.frame_mlp[2].bias)
        self.conv_in = nn.Conv2d(latent_ch + 3, c0, 3, padding=1)
        self.down0 = ResBlock(c0, c0, emb_dim)
        self.st0 = SpaceTimeBlock(c0, heads, text_dim, spatial=False)
        self.down = nn.Conv2d(c0, c1, 3, stride=2, padding=1)
        self.mid0 = ResBlock(c1, c1, emb_dim)
        self.st1 = SpaceTimeBlock(c1, heads, text_dim, spatial=True)
        self.mid1 = ResBlock(c1, c1, emb_dim)
        self.st2 = SpaceTimeBlock(c1, heads, text_dim, spatial=True)
        self.mid2 = ResBlock(c1, c1, emb_dim)
        self.up = nn.Conv2d(c1, c0, 3, padding=1)
        self.up0 = ResBlock(c0 * 2, c0, emb_dim)
        self.st3 = SpaceTimeBlock(c0, heads, text_dim, spatial=False)
        self.up1 = ResBlock(c0, c0, emb_dim)
        self.norm_out = nn.GroupNorm(8, c0)
        self.conv_out = nn.Conv2d(c0, latent_ch, 3, padding=1)
        nn.init.zeros_(self.conv_out.weight)
        nn.init.zeros_(self.conv_out.bias)

    def forward(self, latents, timestep, text, text_mask):
        b, frames, c, hh, ww = latents.shape
        ones = torch.ones_like(latents[:, :, :1])
        # Pixel-centre coordinates in (0, 1) and frame time (f + 0.5) / T, independent of the tier.
        xs = (ones.cumsum(4) - 0.5) / ones.sum(4, keepdim=True)
        ys = (ones.cumsum(3) - 0.5) / ones.sum(3, keepdim=True)
        ft = (ones.cumsum(1) - 0.5) / ones.sum(1, keepdim=True)
        x = torch.cat([latents, xs * 2 - 1, ys * 2 - 1, ft * 2 - 1], 2).reshape(b * frames, c + 3, hh, ww)
        frame_feat = sinusoid(ft[0, :, 0, 0, 0], 64)
        bias = ((1 - text_mask) * -1e4).unsqueeze(1)
        pooled = (text * text_mask.unsqueeze(-1)).sum(1) / text_mask.sum(1, keepdim=True).clamp(min=1)
        emb = self.t_mlp(sinusoid(timestep, 64)) + self.text_pool(pooled)
        per_frame = torch.cat([pooled.unsqueeze(1).expand(-1, frames, -1),
                               frame_feat.unsqueeze(0).expand(b, -1, -1)], -1)
        emb = (emb.unsqueeze(1) + self.frame_mlp(per_frame)).reshape(b * frames, -1)
        h0 = self.conv_in(x)
        h0 = self.st0(self.down0(h0, emb), frames, text, bias, frame_feat)
        h1 = self.down(h0)
        h1 = self.st1(self.mid0(h1, emb), frames, text, bias, frame_feat)
        h1 = self.st2(self.mid1(h1, emb), frames, text, bias, frame_feat)
        h1 = self.mid2(h1, emb)
        u = self.up(F.interpolate(h1, scale_factor=2.0, mode='nearest'))
        u = self.up0(torch.cat([u, h0], 1), emb)
        u = self.up1(self.st3(u, frames, text, bias, frame_feat), emb)
        out = self.conv_out(F.silu(self.norm_out(u)))
        return out.reshape(b, frames, c, hh, ww)


def dct_basis():
    """[12, 3, 8, 8]: the 2-D DCT-II functions (0,0), (1,0), (0,1), (1,1) of an 8x8 patch, per colour."""
    i = torch.arange(8, dtype=torch.float32)
    b0 = torch.full((8,), 1 / math.sqrt(8))
    b1 = math.sqrt(2 / 8) * torch.cos(math.pi * (2 * i + 1) / 16)
    pairs = [(b0, b0), (b1, b0), (b0, b1), (b1, b1)]  # (along x, along y)
    w = torch.zeros(12, 3, 8, 8)
    for c in range(3):
        for k, (bx, by) in enumerate(pairs):
            w[c * 4 + k, c] = by.view(8, 1) * bx.view(1, 8)
    return w


class Encoder(nn.Module):
    """Fixed, orthonormal image → latent map (low DCT coefficients of each 8x8 patch): nothing to learn,
    so the latent space cannot collapse and diffusion in it behaves like low-resolution pixel diffusion.
    Training only; not shipped."""

    def __init__(self):
        super().__init__()
        self.register_buffer('basis', dct_basis())

    def forward(self, x):
        return F.conv2d(x * 2 - 1, self.basis, stride=8)


class Decoder(nn.Module):
    """Per-frame latent → RGB in [0, 1], ×8 upsampling with nearest + Conv2d."""

    def __init__(self, latent_ch=LATENT_CH):
        super().__init__()
        up = lambda: nn.Upsample(scale_factor=2.0, mode='nearest')  # noqa: E731
        self.net = nn.Sequential(
            nn.Conv2d(latent_ch, 128, 3, padding=1), nn.SiLU(),
            nn.Conv2d(128, 128, 3, padding=1), nn.SiLU(),
            up(), nn.Conv2d(128, 64, 3, padding=1), nn.SiLU(),
            nn.Conv2d(64, 64, 3, padding=1), nn.SiLU(),
            up(), nn.Conv2d(64, 32, 3, padding=1), nn.SiLU(),
            up(), nn.Conv2d(32, 16, 3, padding=1), nn.SiLU(),
            nn.Conv2d(16, 3, 3, padding=1))

    def forward(self, z):
        return self.net(z) * 0.5 + 0.5


def count(module):
    return sum(p.numel() for p in module.parameters())


if __name__ == '__main__':
    d, t, dec = Denoiser(), TextEncoder(130), Decoder()
    print('denoiser', count(d), 'text', count(t), 'decoder', count(dec), 'encoder', count(Encoder()))
    lat = torch.randn(2, 8, LATENT_CH, 8, 8)
    ids = torch.tensor([[1, 5, 6, 0] + [0] * 12, [1] + [0] * 15])
    text = t(ids)
    v = d(lat, torch.tensor([0.5, 0.2]), text, (ids != 0).float())
    print(v.shape, dec(lat.reshape(-1, LATENT_CH, 8, 8)).shape)
