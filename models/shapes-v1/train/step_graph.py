"""Build denoiser_step.onnx from the shipped velocity predictor denoiser.onnx: one whole flow-Euler sampler
step with classifier-free guidance, for n jobs at once, inside the graph:

    [v_c; v_u] = denoiser([x; x], [t; t], text_embeddings, text_mask)
    next_latents = x + dt * (v_u + g * (v_c - v_u))

Inputs (float32): latents [batch, frames, 12, height, width] (one per job); timestep, dt (t_next - t, so
negative) and guidance [batch]; text_embeddings [2*batch, 16, 128] and text_mask [2*batch, 16], rows 0..n-1
the jobs' prompts, rows n..2n-1 their negative prompts in the same job order. Output: next_latents, the shape
of latents. The denoiser's arithmetic is kept as it is, in fewer GPU dispatches (fuse_graph.py: attention
heads split in the projections' weights, the GroupNorm affine folded into the FiLM, ...), and a Conv's input
channels are padded with zeros to a multiple of 4 (WebGPU computes a 15-channel Conv wrongly:
pad_conv_channels); its inputs latents/timestep are renamed and fed by Concat nodes, and the new nodes are
named step_*. Opset and dynamic dims stay as they were.

--fp16 also writes denoiser_step_fp16.onnx: the denoiser converted to float16 by onnxruntime's converter
(float32 at its inputs and output), then wrapped in the same float32 step_* nodes, so x, dt and g never
pass through float16 and the update itself is float32 arithmetic.

IN_DENOISER may also be a step graph (the shipped denoiser_step.onnx): it is unwrapped first.

usage: python3 step_graph.py IN_DENOISER OUT_DIR [--fp16]
Needs onnx (1.12, Debian's python3-onnx, up to 1.23); --fp16 needs the onnxruntime package too."""
import hashlib
import heapq
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from fuse_graph import fuse

LATENT_DIMS = ['batch', 'frames', 12, 'height', 'width']
PAIRS = '2*batch'  # the text rows: prompts, then negative prompts


def step_nodes():
    """The nodes around the denoiser: [x; x] and [t; t] in, the guided Euler update out."""
    node = helper.make_node
    return [
        node('Concat', ['latents', 'latents'], ['step_pair_latents'], name='step_pair_latents', axis=0),
        node('Concat', ['timestep', 'timestep'], ['step_pair_timestep'], name='step_pair_timestep', axis=0),
    ], [
        node('Split', ['velocity'], ['step_v_cond', 'step_v_uncond'], name='step_split_velocity', axis=0),
        node('Reshape', ['dt', 'step_per_job_shape'], ['step_dt'], name='step_dt'),
        node('Reshape', ['guidance', 'step_per_job_shape'], ['step_g'], name='step_g'),
        node('Sub', ['step_v_cond', 'step_v_uncond'], ['step_v_diff'], name='step_v_diff'),
        node('Mul', ['step_g', 'step_v_diff'], ['step_v_scaled'], name='step_v_scaled'),
        node('Add', ['step_v_uncond', 'step_v_scaled'], ['step_v_guided'], name='step_v_guided'),
        node('Mul', ['step_dt', 'step_v_guided'], ['step_delta'], name='step_delta'),
        node('Add', ['latents', 'step_delta'], ['next_latents'], name='step_next_latents'),
    ]


def topological(nodes, known):
    """The nodes in an order where each input is made before it is read, otherwise as given."""
    producer = {out: i for i, n in enumerate(nodes) for out in n.output}
    waiting = [sum(1 for x in set(n.input) if x and x not in known and x in producer) for n in nodes]
    readers = {}
    for i, n in enumerate(nodes):
        for x in set(n.input):
            if x in producer and x not in known:
                readers.setdefault(producer[x], []).append(i)
    ready = [i for i, w in enumerate(waiting) if w == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        i = heapq.heappop(ready)
        order.append(nodes[i])
        for j in readers.get(i, []):
            waiting[j] -= 1
            if waiting[j] == 0:
                heapq.heappush(ready, j)
    if len(order) != len(nodes):
        raise ValueError('the graph has a cycle or reads a tensor nothing makes')
    return order


def pad_conv_channels(core, multiple=4):
    """Gives each Conv a multiple of 4 input channels (zero weights, a zero-padded input): onnxruntime-node
    1.30's WebGPU Conv computes wrong values for the denoiser's 15-channel conv_in (off by up to 3.05 on
    lavapipe and on an H200; 12, 13, 14, 16 and 17 channels are right), so the graph never asks for it.
    Idempotent: a padded Conv already has a multiple of 4."""
    g = core.graph
    weights = {t.name: t for t in g.initializer}
    nodes = []
    for n in g.node:
        w = weights.get(n.input[1]) if n.op_type == 'Conv' and len(n.input) > 1 else None
        groups = next((a.i for a in n.attribute if a.name == 'group'), 1)
        extra = (-w.dims[1]) % multiple if w is not None and groups == 1 else 0
        if extra:
            array = numpy_helper.to_array(w)
            zeros = np.zeros((array.shape[0], extra, *array.shape[2:]), dtype=array.dtype)
            w.CopyFrom(numpy_helper.from_array(np.concatenate([array, zeros], axis=1), w.name))
            pads = numpy_helper.from_array(np.array([0, 0, 0, 0, 0, extra, 0, 0], dtype=np.int64),
                                           f'{n.name}/ChannelPads')
            g.initializer.append(pads)
            padded = f'{n.name}/ChannelPad_output_0'
            nodes.append(helper.make_node('Pad', [n.input[0], pads.name], [padded], name=f'{n.name}/ChannelPad'))
            n.input[0] = padded
        nodes.append(n)
    del g.node[:]
    g.node.extend(nodes)
    return core


def with_step(core):
    """core: the denoiser's ModelProto (float32 inputs/output) → the step model (core is reused)."""
    g = core.graph
    names = [i.name for i in g.input]
    if sorted(names) != ['latents', 'text_embeddings', 'text_mask', 'timestep'] or \
            [o.name for o in g.output] != ['velocity']:
        raise ValueError(f'not the shapes-v1 denoiser: inputs {names}, outputs {[o.name for o in g.output]}')
    pad_conv_channels(core)
    rename = {'latents': 'step_pair_latents', 'timestep': 'step_pair_timestep'}
    for n in g.node:
        for i, x in enumerate(n.input):
            n.input[i] = rename.get(x, x)
    first, last = step_nodes()
    shape = numpy_helper.from_array(np.array([-1, 1, 1, 1, 1], dtype=np.int64), 'step_per_job_shape')
    known = {i.name for i in g.input} | {t.name for t in g.initializer} | {'dt', 'guidance', ''}
    nodes = topological(first + list(g.node) + last, known | {'step_per_job_shape'})
    del g.node[:]
    g.node.extend(nodes)
    g.initializer.append(shape)
    f32 = helper.make_tensor_value_info
    del g.input[:]
    g.input.extend([f32('latents', TensorProto.FLOAT, LATENT_DIMS), f32('timestep', TensorProto.FLOAT, ['batch']),
                    f32('dt', TensorProto.FLOAT, ['batch']), f32('guidance', TensorProto.FLOAT, ['batch']),
                    f32('text_embeddings', TensorProto.FLOAT, [PAIRS, 16, 128]),
                    f32('text_mask', TensorProto.FLOAT, [PAIRS, 16])])
    del g.output[:]
    g.output.extend([f32('next_latents', TensorProto.FLOAT, LATENT_DIMS)])
    # Shapes inferred for the denoiser's own tensors (fp16 conversion adds them) name 'batch' for 2n rows.
    del g.value_info[:]
    g.name = 'denoiser_step'
    g.doc_string = 'One flow-Euler step with classifier-free guidance: x + dt * (v_u + g * (v_c - v_u)).'
    onnx.checker.check_model(core)
    onnx.shape_inference.infer_shapes(core, strict_mode=True)
    return core


def without_step(model):
    """The inverse of with_step: a step graph back to the velocity denoiser it wraps (the same weights)."""
    g = model.graph
    if [o.name for o in g.output] != ['next_latents']:
        return model
    rename = {'step_pair_latents': 'latents', 'step_pair_timestep': 'timestep'}
    nodes = [n for n in g.node if not n.name.startswith('step_')]
    for n in nodes:
        for i, x in enumerate(n.input):
            n.input[i] = rename.get(x, x)
    del g.node[:]
    g.node.extend(nodes)
    kept = [t for t in g.initializer if t.name != 'step_per_job_shape']
    del g.initializer[:]
    g.initializer.extend(kept)
    f32 = helper.make_tensor_value_info
    pair_dims = [PAIRS] + LATENT_DIMS[1:]
    del g.input[:]
    g.input.extend([f32('latents', TensorProto.FLOAT, pair_dims), f32('timestep', TensorProto.FLOAT, [PAIRS]),
                    f32('text_embeddings', TensorProto.FLOAT, [PAIRS, 16, 128]),
                    f32('text_mask', TensorProto.FLOAT, [PAIRS, 16])])
    del g.output[:]
    g.output.extend([f32('velocity', TensorProto.FLOAT, pair_dims)])
    del g.value_info[:]
    onnx.checker.check_model(model)
    return model


def to_fp16(core, convert):
    """The denoiser in float16 with float32 inputs and output (the converter's casts at its edges)."""
    half = convert(core, keep_io_types=True)
    g = half.graph
    # The converter casts a tensor back to float32 once per reader, each Cast with the same output name;
    # the copies are identical, and a graph must make each name once.
    made, unique = {}, []
    for n in g.node:
        first = made.get(n.output[0])
        if first is not None and n.op_type == 'Cast' and first.SerializeToString() == n.SerializeToString():
            continue
        made.update((out, n) for out in n.output)
        unique.append(n)
    nodes = topological(unique, {i.name for i in g.input} | {t.name for t in g.initializer} | {''})
    del g.node[:]
    g.node.extend(nodes)
    return half


def write(model, path):
    onnx.save(model, path)
    with open(path, 'rb') as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    print(f'wrote {path}  {os.path.getsize(path)} bytes  sha256 {digest}')


def main(argv):
    args = [a for a in argv if a != '--fp16']
    if len(args) != 2 or any(a.startswith('-') for a in args):
        sys.exit(__doc__.split('\n\n')[-1])
    convert = None
    if '--fp16' in argv:
        try:
            from onnxruntime.transformers.float16 import convert_float_to_float16 as convert
        except ImportError as error:
            sys.exit(f'--fp16 needs the onnxruntime python package (onnxruntime.transformers.float16), '
                     f'not importable here: {error}. Nothing written.')
    src, out = args
    os.makedirs(out, exist_ok=True)
    write(with_step(fuse(without_step(onnx.load(src)))), os.path.join(out, 'denoiser_step.onnx'))
    if convert:
        write(with_step(to_fp16(fuse(without_step(onnx.load(src))), convert)),
              os.path.join(out, 'denoiser_step_fp16.onnx'))


if __name__ == '__main__':
    main(sys.argv[1:])
