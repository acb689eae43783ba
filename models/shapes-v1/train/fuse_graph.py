"""Fewer GPU dispatches for the shapes-v1 denoiser, with the same arithmetic: on onnxruntime's WebGPU provider
a low-tier step is mostly a fixed cost per dispatch (421 of them, 4.97 ms of GPU time and 8.7 ms in all on
an H200; a MatMul, Add or Transpose takes 6-8 us of GPU time there however small), so each rewrite here
removes dispatches. Together: 421 -> 341 a step, 8.7 -> 6.9-7.4 ms at the low tier (probe-webgpu.ts).

- split_heads: each attention's q, k (transposed) and v come out of their MatMuls already split into heads
  ([heads, in, size] weights broadcast over the tokens), with the 1/sqrt(size) scale in q's weights: no Slice
  of the packed kv, no head Transposes, no scale Mul (17 dispatches become 13). Not com.microsoft's
  MultiHeadAttention: onnxruntime-node 1.30's WebGPU kernel for it (flash attention) gives wrong values once
  the queries and keys are 32 and 16 long or more (the CPU's agree with the graph; measured on lavapipe).
- fold_film: a ResBlock's second GroupNorm affine (gamma, beta) followed by its FiLM (x * (1 + s) + t, s and t
  from one Linear) is x * A + B, A and B two Linears of the embedding with gamma and beta folded into their
  weights: 8 dispatches become 4.

- temporal_residual: tokens = temporal(tokens + pos) - pos adds the attention's output to tokens itself.
- linear_as_gemm: a MatMul by a weight then an Add of its bias is one Gemm on the rows flattened to 2-D.

All work on the velocity denoiser (step_graph.py applies them before it wraps the step) and match nothing in
a graph they already rewrote, so they can run again on a shipped graph."""
import numpy as np
from onnx import helper, numpy_helper


class Graph:
    """The lookups the rewrites need, over one GraphProto; `constant` reads Constant nodes and initializers."""

    def __init__(self, graph):
        self.g = graph
        self.by_name = {n.name: n for n in graph.node}
        self.maker = {out: n for n in graph.node for out in n.output}
        self.weights = {t.name: t for t in graph.initializer}

    def constant(self, name):
        if name in self.weights:
            return numpy_helper.to_array(self.weights[name])
        node = self.maker.get(name)
        if node is not None and node.op_type == 'Constant':
            return numpy_helper.to_array(node.attribute[0].t)
        return None

    def add_weight(self, array, name):
        self.g.initializer.append(numpy_helper.from_array(np.asarray(array, dtype=np.float32), name))
        return name

    def add_ints(self, values, name):
        self.g.initializer.append(numpy_helper.from_array(np.array(values, dtype=np.int64), name))
        return name


def split_heads(core):
    """Attention heads split by the projections' weights: see the module's docstring."""
    g = Graph(core.graph)
    node = helper.make_node
    for softmax in [n for n in core.graph.node if n.op_type == 'Softmax' and n.name.endswith('/Softmax')]:
        p = softmax.name[: -len('Softmax')]
        if any(p + s not in g.by_name for s in ('q/MatMul', 'kv/MatMul', 'Reshape', 'MatMul_1')):
            continue
        q, kv, q_heads, weighted = (g.by_name[p + s] for s in ('q/MatMul', 'kv/MatMul', 'Reshape', 'MatMul_1'))
        scores = g.maker[softmax.input[0]]
        scaled = scores if scores.op_type == 'Mul' else next(
            g.maker[x] for x in scores.input if x in g.maker and g.maker[x].op_type == 'Mul')
        scale = next(v for v in (g.constant(x) for x in scaled.input) if v is not None).reshape(-1)[0]
        heads = int(g.constant(g.maker[q_heads.input[1]].input[2]).reshape(-1)[0])
        w_q, packed = g.constant(q.input[1]).astype(np.float64), g.constant(kv.input[1]).astype(np.float64)
        width, context_width = w_q.shape[1], packed.shape[0]
        size = width // heads
        w_k, w_v = packed[:, :width], packed[:, width:]
        # x @ W with W [D_in, heads * size] is, head by head, x @ W.reshape(D_in, heads, size)[:, h]
        q_w = g.add_weight((w_q * scale).reshape(-1, heads, size).transpose(1, 0, 2), f'{p}q_heads.weight')
        k_w = g.add_weight(w_k.reshape(context_width, heads, size).transpose(1, 2, 0), f'{p}k_heads_t.weight')
        v_w = g.add_weight(w_v.reshape(context_width, heads, size).transpose(1, 0, 2), f'{p}v_heads.weight')
        one = g.add_ints([1], f'{p}head_axis')
        x, context = q.input[0], kv.input[0]
        o = lambda s: f'{p}{s}_output_0'  # noqa: E731
        core.graph.node.extend([
            node('Unsqueeze', [x, one], [o('x_heads')], name=f'{p}x_heads'),
            node('MatMul', [o('x_heads'), q_w], [o('q_heads')], name=f'{p}q_heads'),
            node('Transpose', [context], [o('context_t')], name=f'{p}context_t', perm=[0, 2, 1]),
            node('Unsqueeze', [o('context_t'), one], [o('context_t_heads')], name=f'{p}context_t_heads'),
            node('MatMul', [k_w, o('context_t_heads')], [o('k_heads_t')], name=f'{p}k_heads_t'),
            node('Unsqueeze', [context, one], [o('context_heads')], name=f'{p}context_heads'),
            node('MatMul', [o('context_heads'), v_w], [o('v_heads')], name=f'{p}v_heads'),
            # The scores, already scaled (the scale is in q's weights), under the name the scale's Mul gave them.
            node('MatMul', [o('q_heads'), o('k_heads_t')], [scaled.output[0]], name=f'{p}scores'),
        ])
        core.graph.node.remove(scaled)
        weighted.input[1] = o('v_heads')
    return prune(core)


def fold_film(core):
    """gamma, beta and the FiLM in two Linears: x * A + B (the module's docstring)."""
    g = Graph(core.graph)
    for film in [n for n in core.graph.node if n.op_type == 'Gemm' and n.name.endswith('/film/Gemm')]:
        r = film.name[: -len('film/Gemm')]
        names = ['n2/Mul', 'n2/Add', 'Mul_3', 'Add_2', 'Slice', 'Slice_1']
        if any(r + s not in g.by_name for s in names):
            continue
        gamma_mul, beta_add, _, film_add, _, _ = (g.by_name[r + s] for s in names)
        gamma = g.constant(gamma_mul.input[1]).astype(np.float64).reshape(-1)
        beta = g.constant(beta_add.input[1]).astype(np.float64).reshape(-1)
        weight = g.constant(film.input[1]).astype(np.float64)
        bias = g.constant(film.input[2]).astype(np.float64)
        c = gamma.size
        if weight.shape[0] != 2 * c or not any(a.name == 'transB' and a.i == 1 for a in film.attribute):
            continue
        w_s, w_t, b_s, b_t = weight[:c], weight[c:], bias[:c], bias[c:]
        a_w = g.add_weight(gamma[:, None] * w_s, f'{r}film_a.weight')
        a_b = g.add_weight(gamma * (1 + b_s), f'{r}film_a.bias')
        b_w = g.add_weight(beta[:, None] * w_s + w_t, f'{r}film_b.weight')
        b_b = g.add_weight(beta * (1 + b_s) + b_t, f'{r}film_b.bias')
        per_channel = g.add_ints([-1, c, 1, 1], f'{r}film_per_channel')
        node = helper.make_node
        emb, normed = film.input[0], gamma_mul.input[0]
        core.graph.node.extend([
            node('Gemm', [emb, a_w, a_b], [f'{r}film_a/Gemm_output_0'], name=f'{r}film_a/Gemm', transB=1),
            node('Reshape', [f'{r}film_a/Gemm_output_0', per_channel], [f'{r}film_a'], name=f'{r}film_a/Reshape'),
            node('Gemm', [emb, b_w, b_b], [f'{r}film_b/Gemm_output_0'], name=f'{r}film_b/Gemm', transB=1),
            node('Reshape', [f'{r}film_b/Gemm_output_0', per_channel], [f'{r}film_b'], name=f'{r}film_b/Reshape'),
            node('Mul', [normed, f'{r}film_a'], [f'{r}film_scaled'], name=f'{r}film_scaled'),
        ])
        film_add.input[:] = [f'{r}film_scaled', f'{r}film_b']
    return prune(core)


def linear_as_gemm(core):
    """MatMul by a weight matrix then Add of a bias vector (a Linear on [..., K]) as one Gemm on the rows
    flattened to 2-D, reshaped back (Reshape and Shape cost no dispatch)."""
    g = Graph(core.graph)
    readers = {}
    for n in core.graph.node:
        for x in n.input:
            readers.setdefault(x, []).append(n)
    node = helper.make_node
    for add in [n for n in core.graph.node if n.op_type == 'Add']:
        matmul = next((g.maker[x] for x in add.input if x in g.maker and g.maker[x].op_type == 'MatMul'), None)
        if matmul is None or len(readers.get(matmul.output[0], [])) != 1:
            continue
        bias, weight = g.constant(next(x for x in add.input if x != matmul.output[0])), g.constant(matmul.input[1])
        if bias is None or weight is None or bias.ndim != 1 or weight.ndim != 2 or bias.size != weight.shape[1]:
            continue
        p, x = add.name.rsplit('/', 1)[0] + '/', matmul.input[0]
        rows, last = g.add_ints([-1, weight.shape[0]], f'{p}gemm_rows'), g.add_ints([weight.shape[1]], f'{p}gemm_out')
        core.graph.node.extend([
            node('Reshape', [x, rows], [f'{p}gemm_in'], name=f'{p}gemm_in'),
            node('Gemm', [f'{p}gemm_in', matmul.input[1], next(x for x in add.input if x != matmul.output[0])],
                 [f'{p}Gemm_output_0'], name=f'{p}Gemm'),
            node('Shape', [x], [f'{p}gemm_lead'], name=f'{p}gemm_lead', start=0, end=-1),
            node('Concat', [f'{p}gemm_lead', last], [f'{p}gemm_shape'], name=f'{p}gemm_shape', axis=0),
            node('Reshape', [f'{p}Gemm_output_0', f'{p}gemm_shape'], [add.output[0]], name=f'{p}gemm_out'),
        ])
        core.graph.node.remove(add)
    return prune(core)


def temporal_residual(core):
    """tokens = temporal(tokens + pos) - pos, the attention adding its output to its input: the residual is
    added to tokens itself, so the Sub of pos goes."""
    g = Graph(core.graph)
    for sub in [n for n in core.graph.node if n.op_type == 'Sub' and n.name.endswith('/Sub')]:
        p = sub.name[: -len('Sub')]
        add, residual = g.by_name.get(p + 'Add'), g.by_name.get(p + 'temporal/Add_1')
        if add is None or residual is None or sub.input[0] != residual.output[0] or sub.input[1] != add.input[1] \
                or residual.input[0] != add.output[0]:
            continue
        residual.input[0] = add.input[0]
        for n in core.graph.node:
            for i, x in enumerate(n.input):
                if x == sub.output[0]:
                    n.input[i] = residual.output[0]
        core.graph.node.remove(sub)
    return prune(core)


def prune(core):
    """Drops the nodes the graph's outputs do not depend on, and the initializers no kept node reads."""
    g = core.graph
    maker = {out: i for i, n in enumerate(g.node) for out in n.output}
    wanted, todo, kept = set(), [o.name for o in g.output], set()
    while todo:
        name = todo.pop()
        if name in wanted:
            continue
        wanted.add(name)
        i = maker.get(name)
        if i is not None and i not in kept:
            kept.add(i)
            todo.extend(x for x in g.node[i].input if x)
    nodes = [n for i, n in enumerate(g.node) if i in kept]
    del g.node[:]
    g.node.extend(nodes)
    used = [t for t in g.initializer if t.name in wanted]
    del g.initializer[:]
    g.initializer.extend(used)
    return core


def fuse(core):
    return linear_as_gemm(temporal_residual(fold_film(split_heads(core))))
