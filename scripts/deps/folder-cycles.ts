// Folder cycles (rule 6 of .dependency-cruiser.mjs): each of src/<x>, src/adapters/<platform>, worker,
// commands and scripts is one node; an import from a file in one node to a file in another is an edge;
// the graph must be acyclic. dependency-cruiser's folder scope treats every sub-folder (src/admission
// and src/admission/rate-limits) as a node of its own, which is not the unit we mean.

/** One import between two files, as the cruise resolved it. */
export interface FileImport {
  from: string;
  to: string;
  /** The specifier as written in the source. */
  specifier: string;
  typeOnly: boolean;
}

/** A cycle of folders, each step with the imports that make it. */
export interface FolderCycle {
  /** The folders in order; the last imports the first. */
  folders: string[];
  /** For each step folders[i] -> folders[i + 1] (wrapping round), the imports that make it. */
  steps: { from: string; to: string; imports: FileImport[] }[];
}

/** The node a file belongs to, or undefined for files outside the folder graph (tests, bin). */
export function folderOf(path: string): string | undefined {
  const match = /^(src\/adapters\/[^/]+|src\/[^/]+|src|worker|commands|scripts)\//.exec(path);
  return match?.[1];
}

/** Finds one cycle in every strongly connected group of folders; empty when the graph is acyclic. */
export function findFolderCycles(imports: readonly FileImport[]): FolderCycle[] {
  const edges = new Map<string, Map<string, FileImport[]>>();
  for (const fileImport of imports) {
    const from = folderOf(fileImport.from);
    const to = folderOf(fileImport.to);
    if (!from || !to || from === to) continue;
    const targets = edges.get(from) ?? new Map<string, FileImport[]>();
    edges.set(from, targets);
    targets.set(to, [...(targets.get(to) ?? []), fileImport]);
  }
  const next = (folder: string): string[] => [...(edges.get(folder)?.keys() ?? [])].sort();
  return stronglyConnected([...edges.keys()].sort(), next)
    .filter((group) => group.length > 1)
    .map((group) => {
      const folders = shortestCycle(group, next);
      const steps = folders.map((from, i) => {
        const to = folders[(i + 1) % folders.length] as string;
        return { from, to, imports: edges.get(from)?.get(to) ?? [] };
      });
      return { folders, steps };
    });
}

/** Tarjan's algorithm: the strongly connected components, each sorted, in a stable order. */
function stronglyConnected(nodes: string[], next: (node: string) => string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) as number);
    stack.push(node);
    onStack.add(node);
    for (const target of next(node)) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node) as number, low.get(target) as number));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node) as number, index.get(target) as number));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    groups.push(group.sort());
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return groups.sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
}

/** The shortest cycle through the group's first folder, found breadth-first inside the group. */
function shortestCycle(group: string[], next: (node: string) => string[]): string[] {
  const start = group[0] as string;
  const inGroup = new Set(group);
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as string;
    for (const target of next(node)) {
      if (target === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(cameFrom.get(path[0] as string) as string);
        return path;
      }
      if (!inGroup.has(target) || cameFrom.has(target)) continue;
      cameFrom.set(target, node);
      queue.push(target);
    }
  }
  return group;
}
