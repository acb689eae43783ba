/** Reading an API-format graph that `validatePrompt` has accepted. */

export type Graph = Record<string, unknown>;

interface Node {
  class_type: string;
  inputs: Record<string, unknown>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export function node(graph: Graph, id: string): Node | undefined {
  const value = graph[id];
  if (!isRecord(value) || typeof value.class_type !== 'string' || !isRecord(value.inputs)) return undefined;
  return { class_type: value.class_type, inputs: value.inputs };
}

export function link(value: unknown): [string, number] | undefined {
  return Array.isArray(value) && value.length === 2 && typeof value[1] === 'number'
    ? [String(value[0]), value[1]]
    : undefined;
}

/** A literal input's value (undefined for links and absent inputs). */
export function literal(graph: Graph, id: string, input: string): unknown {
  const value = node(graph, id)?.inputs[input];
  return link(value) ? undefined : value;
}

export function num(graph: Graph, id: string, input: string, fallback: number): number {
  const value = literal(graph, id, input);
  return typeof value === 'number' ? value : fallback;
}

/**
 * The order ComfyUI's ExecutionList runs the nodes the outputs need: dependencies first, in input
 * order, each node once. (ExecutionList picks among ready nodes with a UI-friendly heuristic; for
 * chains like the Wan template the order comes out the same.)
 */
export function executionOrder(graph: Graph, outputs: string[]): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    for (const value of Object.values(node(graph, id)?.inputs ?? {})) {
      const from = link(value);
      if (from) visit(from[0]);
    }
    order.push(id);
  };
  for (const output of outputs) visit(output);
  return order;
}

/** The nearest node of a class upstream of `id` (itself included), breadth first. */
export function upstream(graph: Graph, id: string, classType: string): string | undefined {
  const queue = [id];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const current = queue.shift() as string;
    if (seen.has(current)) continue;
    seen.add(current);
    const found = node(graph, current);
    if (found?.class_type === classType) return current;
    for (const value of Object.values(found?.inputs ?? {})) {
      const from = link(value);
      if (from) queue.push(from[0]);
    }
  }
  return undefined;
}

/**
 * A node's input signature, as ComfyUI's output cache keys it: its class, its literal inputs and the
 * signatures of what it links to. `extra` adds what IS_CHANGED would (a loaded file's identity).
 */
export function signatures(graph: Graph, extra: (id: string) => string): Map<string, string> {
  const memo = new Map<string, string>();
  const sign = (id: string): string => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const found = node(graph, id);
    const inputs = Object.entries(found?.inputs ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, value]) => {
        const from = link(value);
        return [name, from ? { from: sign(from[0]), slot: from[1] } : value];
      });
    const signature = JSON.stringify([found?.class_type, inputs, extra(id)]);
    memo.set(id, signature);
    return signature;
  };
  for (const id of Object.keys(graph)) sign(id);
  return memo;
}
