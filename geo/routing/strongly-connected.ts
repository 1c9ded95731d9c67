/** A directed graph in compressed sparse rows: the targets of node v are targets[start[v]..start[v+1]). */
export interface AdjacencyRows {
  start: Int32Array
  targets: Int32Array
}

/**
 * Tarjan's strongly connected components, iterative so that long one-way chains cannot overflow
 * the call stack. Returns each node's component label and the number of components.
 */
export function labelStronglyConnectedComponents(
  nodeCount: number,
  graph: AdjacencyRows,
): { component: Int32Array; componentCount: number } {
  const index = new Int32Array(nodeCount).fill(-1)
  const lowLink = new Int32Array(nodeCount)
  const component = new Int32Array(nodeCount).fill(-1)
  const onStack = new Uint8Array(nodeCount)
  const stack = new Int32Array(nodeCount)
  const callNode = new Int32Array(nodeCount)
  const callEdge = new Int32Array(nodeCount)
  let stackSize = 0
  let nextIndex = 0
  let componentCount = 0

  for (let root = 0; root < nodeCount; root++) {
    if (index[root] !== -1) continue
    let depth = 0
    callNode[0] = root
    callEdge[0] = graph.start[root]
    index[root] = lowLink[root] = nextIndex++
    stack[stackSize++] = root
    onStack[root] = 1
    while (depth >= 0) {
      const v = callNode[depth]
      const edge = callEdge[depth]
      if (edge < graph.start[v + 1]) {
        callEdge[depth] = edge + 1
        const w = graph.targets[edge]
        if (index[w] === -1) {
          index[w] = lowLink[w] = nextIndex++
          stack[stackSize++] = w
          onStack[w] = 1
          depth++
          callNode[depth] = w
          callEdge[depth] = graph.start[w]
        } else if (onStack[w]) {
          lowLink[v] = Math.min(lowLink[v], index[w])
        }
        continue
      }
      if (lowLink[v] === index[v]) {
        let w: number
        do {
          w = stack[--stackSize]
          onStack[w] = 0
          component[w] = componentCount
        } while (w !== v)
        componentCount++
      }
      depth--
      if (depth >= 0) {
        const parent = callNode[depth]
        lowLink[parent] = Math.min(lowLink[parent], lowLink[v])
      }
    }
  }
  return { component, componentCount }
}

/** The label of the component with the most nodes. */
export function findLargestComponent(component: Int32Array, componentCount: number): number {
  const sizes = new Int32Array(componentCount)
  for (const label of component) sizes[label]++
  let largest = 0
  for (let label = 1; label < componentCount; label++) if (sizes[label] > sizes[largest]) largest = label
  return largest
}
