import type { Transition } from './transition.ts'

/**
 * A payment lifecycle described for exploration: where it starts, one example of each event, its
 * transition and its invariants. Walking it visits every reachable state with every event — what
 * the lifecycles' exhaustive tests check and what docs/payments.md's diagrams are drawn from.
 */
export interface LifecycleSpec<S, E extends { type: string }> {
  name: string
  initial: S[]
  /** Events to try in every state: each event type at least once, with the payloads that matter. */
  events: E[]
  transition(state: S, event: E): Transition<S>
  invariants(state: S): string[]
  status(state: S): string
  /** How an event is named on a diagram's arrows (its type, unless said otherwise). */
  label?(event: E): string
  /** Whether to explore on from a state; bounds counters that would grow the walk without end. */
  explore?(state: S): boolean
}

export interface LifecycleWalk<S> {
  states: S[]
  statuses: Set<string>
  /** `from → to` status moves, each with the events (their labels) that make it. */
  moves: Map<string, Set<string>>
  accepted: Set<string>
  refused: Set<string>
  transitions: number
  /** Broken rules met on the way: invariants after an accepted event, an input state mutated, a refusal without a reason. */
  problems: string[]
}

const SEPARATOR = ' → '

/** Breadth-first over every reachable state × every event. */
export function walkLifecycle<S, E extends { type: string }>(spec: LifecycleSpec<S, E>): LifecycleWalk<S> {
  const walk: LifecycleWalk<S> = { states: [], statuses: new Set(), moves: new Map(), accepted: new Set(), refused: new Set(), transitions: 0, problems: [] }
  const seen = new Set<string>()
  const queue: S[] = []
  const visit = (state: S) => {
    const key = JSON.stringify(state)
    if (seen.has(key)) return
    seen.add(key)
    walk.states.push(state)
    walk.statuses.add(spec.status(state))
    for (const v of spec.invariants(state)) walk.problems.push(`${spec.name} ${spec.status(state)}: ${v}`)
    if (spec.explore?.(state) ?? true) queue.push(state)
  }
  spec.initial.forEach(visit)
  while (queue.length > 0) {
    const state = queue.shift()!
    const before = JSON.stringify(state)
    for (const event of spec.events) {
      walk.transitions++
      const result = spec.transition(state, event)
      const where = `${spec.name} ${spec.status(state)} + ${JSON.stringify(event)}`
      if (JSON.stringify(state) !== before) walk.problems.push(`${where}: the input state was mutated`)
      if (!result.ok) {
        walk.refused.add(event.type)
        if (!result.reason) walk.problems.push(`${where}: refused without a reason`)
        continue
      }
      walk.accepted.add(event.type)
      for (const v of spec.invariants(result.next)) walk.problems.push(`${where}: ${v}`)
      const move = `${spec.status(state)}${SEPARATOR}${spec.status(result.next)}`
      walk.moves.set(move, (walk.moves.get(move) ?? new Set()).add(spec.label?.(event) ?? event.type))
      visit(result.next)
    }
  }
  return walk
}

/** A mermaid state diagram of the status moves a walk found; statuses nothing leaves are final. */
export function mermaidDiagram<S>(spec: Pick<LifecycleSpec<S, { type: string }>, 'initial' | 'status'>, walk: LifecycleWalk<S>): string {
  const lines = ['stateDiagram-v2']
  for (const start of new Set(spec.initial.map(spec.status))) lines.push(`    [*] --> ${start}`)
  const leaving = new Set<string>()
  for (const [move, events] of [...walk.moves].sort(([a], [b]) => a.localeCompare(b))) {
    const [from, to] = move.split(SEPARATOR)
    if (from !== to) leaving.add(from)
    lines.push(`    ${from} --> ${to}: ${[...events].sort().join(', ')}`)
  }
  for (const status of [...walk.statuses].sort()) if (!leaving.has(status)) lines.push(`    ${status} --> [*]`)
  return lines.join('\n')
}
