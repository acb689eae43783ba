"""The frame analyser the adherence test uses (mirrored in test/model/frame-analyser.ts): dominant
object colour and centroid track against a per-row background estimate."""
import torch

import world

PALETTE = {k: torch.tensor(v) for k, v in world.COLOURS.items()}


def analyse(clip):
    """clip: [T, 3, H, W] in [0, 1] → (colour name or None, direction name or None)."""
    t, _, h, w = clip.shape
    px = clip.permute(0, 2, 3, 1)  # [T,H,W,3]
    bg = px.median(dim=2, keepdim=True).values.median(dim=0, keepdim=True).values  # per row
    dist = (px - bg).norm(dim=-1)
    mask = dist > 0.3
    if mask.sum() < 3:
        return None, None
    mean = px[mask].mean(0)
    colour = min(PALETTE, key=lambda k: float((PALETTE[k] - mean).norm()))
    xs = (torch.arange(w).float() + 0.5) / w
    ys = (torch.arange(h).float() + 0.5) / h
    cents = []
    for f in range(t):
        m = mask[f].float()
        if m.sum() < 1:
            continue
        cents.append((float((m.sum(0) * xs).sum() / m.sum()), float((m.sum(1) * ys).sum() / m.sum())))
    if len(cents) < 2:
        return colour, None
    k = max(1, len(cents) // 4)
    x0 = sum(c[0] for c in cents[:k]) / k
    y0 = sum(c[1] for c in cents[:k]) / k
    x1 = sum(c[0] for c in cents[-k:]) / k
    y1 = sum(c[1] for c in cents[-k:]) / k
    dx, dy = x1 - x0, y1 - y0
    if max(abs(dx), abs(dy)) < 0.08:
        return colour, 'still'
    if abs(dx) > abs(dy):
        return colour, 'right' if dx > 0 else 'left'
    return colour, 'down' if dy > 0 else 'up'


def expected(prompt):
    words = world.tokenize_words(prompt)
    colour = next((c for c, ws in world.COLOUR_WORDS.items() for w in words if w in ws), None)
    text = ' ' + ' '.join(words) + ' '
    for motion in ('left', 'right', 'up', 'down'):
        if any(' ' + p + ' ' in text for p in world.MOTION_WORDS[motion]) or f' {motion} ' in text:
            return colour, motion
    for motion in ('up', 'down'):
        for verb in world.MOTION_WORDS[motion]:
            if verb.split()[0] in words and len(verb.split()) == 1:
                return colour, motion
    return colour, None
