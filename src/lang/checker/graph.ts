/**
 * Dependency order and cycles among named declarations (assignments, type
 * aliases), by Tarjan's strongly connected components. Iterative, so a long
 * chain of declarations cannot overflow the stack.
 */

export interface Ordering {
  /** Every node, dependencies before dependants (members of one cycle together, in `nodes` order). */
  readonly order: ReadonlyArray<string>
  /** Each cycle once, as a path that starts and ends at its first node in `nodes` order: `["a", "b", "a"]`. */
  readonly cycles: ReadonlyArray<ReadonlyArray<string>>
}

/**
 * Orders `nodes` so that each comes after the nodes it depends on.
 * `deps(n)` lists the nodes `n` reads; names not in `nodes` are ignored.
 */
export const orderByDependencies = (
  nodes: ReadonlyArray<string>,
  deps: (node: string) => ReadonlyArray<string>
): Ordering => {
  const n = nodes.length
  const position = new Map<string, number>()
  nodes.forEach((name, i) => position.set(name, i))
  const edges: Array<Array<number>> = nodes.map((name) => {
    const out: Array<number> = []
    for (const dep of deps(name)) {
      const j = position.get(dep)
      if (j !== undefined) out.push(j)
    }
    return out
  })

  const index = new Int32Array(n).fill(-1)
  const low = new Int32Array(n)
  const onStack = new Uint8Array(n)
  const next = new Int32Array(n)
  const stack: Array<number> = []
  const components: Array<Array<number>> = []
  let counter = 0
  const visit = (v: number): void => {
    index[v] = low[v] = counter++
    stack.push(v)
    onStack[v] = 1
  }

  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue
    const work = [root]
    visit(root)
    while (work.length > 0) {
      const v = work[work.length - 1]!
      const out = edges[v]!
      if (next[v]! < out.length) {
        const w = out[next[v]!++]!
        if (index[w] === -1) {
          visit(w)
          work.push(w)
        } else if (onStack[w] === 1) {
          low[v] = Math.min(low[v]!, index[w]!)
        }
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent !== undefined) low[parent] = Math.min(low[parent]!, low[v]!)
      if (low[v] !== index[v]) continue
      const component: Array<number> = []
      let member: number
      do {
        member = stack.pop()!
        onStack[member] = 0
        component.push(member)
      } while (member !== v)
      components.push(component.sort((a, b) => a - b))
    }
  }

  const cycles: Array<ReadonlyArray<string>> = []
  for (const component of components) {
    const first = component[0]!
    if (component.length > 1 || edges[first]!.includes(first)) {
      cycles.push(cyclePath(first, new Set(component), edges).map((i) => nodes[i]!))
    }
  }
  cycles.sort((a, b) => position.get(a[0]!)! - position.get(b[0]!)!)
  return { order: components.flatMap((c) => c.map((i) => nodes[i]!)), cycles }
}

/** The shortest path from `start` back to itself inside one component (breadth first). */
const cyclePath = (start: number, members: ReadonlySet<number>, edges: ReadonlyArray<ReadonlyArray<number>>): Array<number> => {
  const previous = new Map<number, number>()
  const queue = [start]
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!
    for (const dep of edges[node]!) {
      if (!members.has(dep)) continue
      if (dep === start) {
        const path = [start]
        for (let at: number | undefined = node; at !== undefined && at !== start; at = previous.get(at)) path.push(at)
        return [start, ...path.slice(1).reverse(), start]
      }
      if (!previous.has(dep)) {
        previous.set(dep, node)
        queue.push(dep)
      }
    }
  }
  return [start, start]
}
