"""The captioned "shapes world": procedurally rendered clips and free-phrased captions, made on
the training device itself (no downloads). Seeded: the same generator seed gives the same batch."""
import math
import random

import torch

COLOURS = {
    'red': (0.90, 0.10, 0.10), 'orange': (1.00, 0.55, 0.00), 'yellow': (1.00, 0.90, 0.10),
    'green': (0.10, 0.75, 0.20), 'blue': (0.15, 0.35, 0.95), 'purple': (0.60, 0.20, 0.80),
    'pink': (1.00, 0.45, 0.75), 'white': (0.97, 0.97, 0.97),
}
COLOUR_WORDS = {
    'red': ['red', 'scarlet', 'crimson'], 'orange': ['orange'], 'yellow': ['yellow', 'golden'],
    'green': ['green'], 'blue': ['blue'], 'purple': ['purple', 'violet'], 'pink': ['pink'],
    'white': ['white'],
}
SHAPES = ['circle', 'square', 'triangle', 'star']
SHAPE_WORDS = {
    'circle': ['circle', 'ball', 'dot', 'orb', 'disc', 'sphere'],
    'square': ['square', 'box', 'block', 'cube'],
    'triangle': ['triangle', 'pyramid'],
    'star': ['star'],
}
MOTIONS = ['left', 'right', 'up', 'down', 'bounce', 'spin', 'grow', 'still']
MOTION_WORDS = {
    'left': ['moving left', 'moves left', 'moving to the left', 'slides to the left', 'slides left',
             'sliding left', 'drifts left', 'drifting to the left', 'rolls left', 'rolling to the left',
             'goes left', 'travels left', 'heading left', 'glides to the left', 'flying left'],
    'right': ['moving right', 'moves right', 'moving to the right', 'slides to the right', 'slides right',
              'sliding right', 'drifts right', 'drifting to the right', 'rolls right', 'rolling to the right',
              'goes right', 'travels right', 'heading right', 'glides to the right', 'flying right'],
    'up': ['moving up', 'moves up', 'rises', 'rising', 'floats up', 'floating upward', 'drifts up',
           'goes up', 'ascending', 'ascends', 'climbs up', 'moving upward', 'flying up'],
    'down': ['moving down', 'moves down', 'falls', 'falling', 'drops', 'dropping', 'sinks', 'sinking',
             'descending', 'descends', 'drifts down', 'goes down', 'moving downward', 'falling down'],
    'bounce': ['bouncing', 'bounces', 'bouncing up and down', 'hopping', 'hops', 'jumping'],
    'spin': ['spinning', 'spins', 'rotating', 'rotates', 'twirling', 'turning around'],
    'grow': ['growing', 'grows', 'getting bigger', 'expanding', 'swelling', 'growing larger'],
    'still': ['standing still', 'sitting still', 'resting', 'not moving', 'staying still', 'motionless',
              'staying put', ''],
}
BACKGROUNDS = ['black', 'white', 'gray', 'sunset', 'night']
BACKGROUND_WORDS = {
    'black': ['on a black background', 'against black', 'on black', 'against a black backdrop',
              'over black'],
    'white': ['on a white background', 'against white', 'on white', 'on a white backdrop', 'over white'],
    'gray': ['on a gray background', 'on a grey background', 'against gray', 'on grey', 'against a grey backdrop'],
    'sunset': ['at sunset', 'during sunset', 'in the sunset', 'against a sunset sky', 'at dusk'],
    'night': ['at night', 'in the night sky', 'against the night sky', 'during the night', 'at midnight'],
}
SIZE_WORDS = {'small': ['small', 'tiny', 'little'], 'big': ['big', 'large', 'huge'], 'normal': ['']}
SIZE_RADIUS = {'small': (0.065, 0.085), 'normal': (0.10, 0.13), 'big': (0.16, 0.19)}

# Prompts the adherence test uses: never emitted verbatim as training captions.
HELD_OUT = [
    'a red ball bouncing on a white background',
    'a blue square slides to the left against black',
    'a green triangle moving right on a gray background',
    'a yellow star rises at night',
    'a purple circle falls on a white background',
    'a big orange ball rolling to the right on black',
    'a small pink square drifting left on a gray background',
    'a white star moving down against black',
    'a red triangle goes up on grey',
    'a blue ball moving to the right at sunset',
    'a green square sinking on a white background',
    'a yellow circle glides to the left on black',
    'a large purple star travels right on white',
    'a pink ball floats up against black',
    'an orange triangle drops against a grey backdrop',
    'a white circle heading left at night',
    'a red square moving up on a black background',
    'a blue triangle falling on grey',
    'a green ball slides right against black',
    'a tiny yellow square moving left on a gray background',
    'a purple triangle rising on a white background',
    'a pink star falls against a black backdrop',
    'an orange circle moves left on white',
    'a white square drifts right on a gray background',
    'a big red star descends on black',
    'a blue circle climbs up on a white background',
    'a huge green triangle sliding left at night',
    'a yellow ball drifting to the right against gray',
]

FILLER = ['a', 'an', 'the', 'that', 'is', 'and', 'with', 'background', 'backdrop', 'sky', 'to', 'of', 'in',
          'on', 'at', 'over', 'against', 'during', 'while', 'two', 'one', 'shape', 'object']


def vocabulary():
    words = set(FILLER)
    for table in (COLOUR_WORDS, SHAPE_WORDS, MOTION_WORDS, BACKGROUND_WORDS, SIZE_WORDS):
        for phrases in table.values():
            for phrase in phrases:
                words.update(w for w in tokenize_words(phrase))
    for prompt in HELD_OUT:
        words.update(tokenize_words(prompt))
    return ['<pad>', '<bos>'] + sorted(words)


def tokenize_words(text):
    out, word = [], ''
    for ch in text.lower():
        if 'a' <= ch <= 'z':
            word += ch
        elif word:
            out.append(word)
            word = ''
    if word:
        out.append(word)
    return out


class Scene:
    def __init__(self, objects, background, caption):
        self.objects, self.background, self.caption = objects, background, caption


def _article(next_word):
    return 'an' if next_word[:1] in 'aeiou' else 'a'


def _object_phrase(rng, obj, with_article=True):
    size = rng.choice(SIZE_WORDS[obj['size']])
    colour = rng.choice(COLOUR_WORDS[obj['colour']])
    shape = rng.choice(SHAPE_WORDS[obj['shape']])
    words = [w for w in (size, colour, shape) if w]
    if rng.random() < 0.12 and not size:  # "a ball, red," style
        words = [shape + ',', colour + ',']
    noun = ' '.join(words)
    if with_article and rng.random() < 0.85:
        noun = (rng.choice(['the']) if rng.random() < 0.1 else _article(noun)) + ' ' + noun
    motion = rng.choice(MOTION_WORDS[obj['motion']])
    if motion and rng.random() < 0.1:
        motion = rng.choice(['that is ', 'which is ', 'while ']) + motion
    return (noun + ' ' + motion).strip()


def caption_for(rng, objects, background, mention_background):
    parts = [_object_phrase(rng, o) for o in objects]
    subject = ' and '.join(parts)
    if not mention_background:
        return subject
    bg = rng.choice(BACKGROUND_WORDS[background])
    if rng.random() < 0.2:
        return bg + ', ' + subject
    return subject + ' ' + bg


def sample_scene(rng):
    two = rng.random() < 0.25
    layout = rng.choice(['rows', 'cols'])
    allowed = {'rows': ['left', 'right', 'spin', 'grow', 'still'],
               'cols': ['up', 'down', 'bounce', 'spin', 'grow', 'still']}[layout] if two else MOTIONS
    objects = []
    colours = rng.sample(list(COLOURS), 2)
    for i in range(2 if two else 1):
        weights = [3 if m in ('left', 'right', 'up', 'down') else 1.5 for m in allowed]
        objects.append({
            'colour': colours[i], 'shape': rng.choice(SHAPES), 'motion': rng.choices(allowed, weights)[0],
            'size': rng.choices(['small', 'normal', 'big'], [1, 2, 1])[0],
            'slot': (layout, i) if two else None,
        })
    background = rng.choice(BACKGROUNDS)
    while any(o['colour'] == 'white' for o in objects) and background == 'white':
        background = rng.choice(BACKGROUNDS)
    mention = rng.random() < 0.85
    for _ in range(20):
        caption = caption_for(rng, objects, background, mention)
        if caption not in HELD_OUT:
            break
    return Scene(objects, background, caption)


def _background(names, h, w, device):
    ys = ((torch.arange(h, device=device) + 0.5) / h).view(1, h, 1, 1)
    flat = {'black': (0.02, 0.02, 0.02), 'white': (0.97, 0.97, 0.97), 'gray': (0.50, 0.50, 0.50)}
    grads = {'sunset': ((0.45, 0.20, 0.55), (1.00, 0.62, 0.25)), 'night': ((0.01, 0.02, 0.08), (0.08, 0.12, 0.35))}
    out = []
    for n in names:
        if n in flat:
            c = torch.tensor(flat[n], device=device).view(1, 1, 1, 3)
            out.append(c.expand(1, h, w, 3))
        else:
            top, bottom = (torch.tensor(c, device=device).view(1, 1, 1, 3) for c in grads[n])
            out.append((top * (1 - ys) + bottom * ys).expand(1, h, w, 3))
    return torch.cat(out, 0)  # [B,H,W,3]


def _motion_params(rng, obj):
    """Per-object motion as (x0, vx, y0, vy, bounce, radius, grow0, grow1, angle0, spin):
    x = x0 + vx*tau, y = y0 + vy*tau - bounce*|sin(2*pi*tau)|, scale = radius*(grow0 + grow1*tau)."""
    r = rng.uniform(*SIZE_RADIUS[obj['size']]) * (0.8 if obj['slot'] else 1.0)
    lo, hi = 0.22, 0.78
    x0, y0 = rng.uniform(0.3, 0.7), rng.uniform(0.3, 0.7)
    if obj['slot']:
        layout, i = obj['slot']
        band = rng.uniform(0.24, 0.32) if i == 0 else rng.uniform(0.68, 0.76)
        if layout == 'rows':
            y0 = band
        else:
            x0 = band
    vx = vy = bounce = spin = 0.0
    grow0, grow1 = 1.0, 0.0
    travel = rng.uniform(0.38, 0.5)
    m = obj['motion']
    if m == 'left':
        x0, vx = rng.uniform(hi - 0.08, hi), -travel
    elif m == 'right':
        x0, vx = rng.uniform(lo, lo + 0.08), travel
    elif m == 'up':
        y0, vy = rng.uniform(hi - 0.08, hi), -travel
    elif m == 'down':
        y0, vy = rng.uniform(lo, lo + 0.08), travel
    elif m == 'bounce':
        y0, bounce = rng.uniform(0.72, 0.78), rng.uniform(0.35, 0.45)
    elif m == 'spin':
        spin = rng.choice([-1, 1]) * rng.uniform(1.0, 1.5) * math.pi
    elif m == 'grow':
        grow0, grow1 = 0.55, 0.9
    return [x0, vx, y0, vy, bounce, r, grow0, grow1, rng.uniform(0, 2 * math.pi), spin]


def _sdf_all(px, py):
    """Signed distances of the four unit-size shapes (negative inside), stacked on dim 0 in SHAPES order."""
    circle = torch.sqrt(px * px + py * py) - 1.0
    square = torch.maximum(px.abs(), py.abs()) - 0.85
    d1, d2, d3 = py, 0.866 * px - 0.5 * py, -0.866 * px - 0.5 * py
    triangle = torch.maximum(torch.maximum(d1, d2), d3) - 0.55
    rho = torch.sqrt(px * px + py * py)
    phi = torch.atan2(py, px)
    star = rho - (0.48 + 0.6 * ((torch.cos(5 * (phi + math.pi / 2)) + 1) / 2) ** 2)
    return torch.stack([circle, square, triangle, star])


def render(scenes, frames, h, w, device, rng):
    """Render scenes to clips [B, T, 3, H, W] in [0, 1], all objects of a slot at once."""
    tau = ((torch.arange(frames, device=device, dtype=torch.float32) + 0.5) / frames).view(1, -1)
    gx = ((torch.arange(w, device=device) + 0.5) / w).view(1, 1, 1, w)
    gy = ((torch.arange(h, device=device) + 0.5) / h).view(1, 1, h, 1)
    clips = _background([s.background for s in scenes], h, w, device).unsqueeze(1).repeat(1, frames, 1, 1, 1)
    for slot in (0, 1):
        owners = [b for b, s in enumerate(scenes) if len(s.objects) > slot]
        if not owners:
            continue
        objs = [scenes[b].objects[slot] for b in owners]
        p = torch.tensor([_motion_params(rng, o) for o in objs], device=device)
        col = lambda i: p[:, i:i + 1]  # noqa: E731
        x = col(0) + col(1) * tau
        y = col(2) + col(3) * tau - col(4) * torch.abs(torch.sin(2 * math.pi * tau))
        s = col(5) * (col(6) + col(7) * tau)
        a = col(8) + col(9) * tau
        s4, a4 = s[..., None, None], a[..., None, None]
        dx, dy = (gx - x[..., None, None]) / s4, (gy - y[..., None, None]) / s4
        ca, sa = torch.cos(a4), torch.sin(a4)
        px, py = ca * dx + sa * dy, -sa * dx + ca * dy
        shape_idx = torch.tensor([SHAPES.index(o['shape']) for o in objs], device=device)
        d = _sdf_all(px, py)[shape_idx, torch.arange(len(objs), device=device)] * s4
        alpha = (0.5 - d * w).clamp(0, 1).unsqueeze(-1)  # antialiased over about one pixel
        base = torch.tensor([COLOURS[o['colour']] for o in objs], device=device)
        colour = (base + (torch.rand(base.shape, device=device) - 0.5) * 0.08).clamp(0, 1).view(-1, 1, 1, 1, 3)
        idx = torch.tensor(owners, device=device)
        clips[idx] = clips[idx] * (1 - alpha) + colour * alpha
    return clips.permute(0, 1, 4, 2, 3).contiguous()


def batch(rng, size, frames, h, w, device):
    scenes = [sample_scene(rng) for _ in range(size)]
    return scenes, render(scenes, frames, h, w, device, rng)


if __name__ == '__main__':
    rng = random.Random(0)
    for _ in range(12):
        print(sample_scene(rng).caption)
    print(len(vocabulary()), 'words')
