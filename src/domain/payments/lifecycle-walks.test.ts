import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  AUTOMATIC_PIX_PAYMENT_LIFECYCLE,
  BULK_LIFECYCLE,
  INTENT_LIFECYCLE,
  PAYMENT_LIFECYCLES,
  PREAUTHORIZATION_LIFECYCLE,
  REQUEST_LIFECYCLE,
  SCHEDULED_PAYMENT_LIFECYCLE,
  SMART_TRANSFER_PAYMENT_LIFECYCLE,
} from './lifecycle-catalog.ts'
import { mermaidDiagram, walkLifecycle, type LifecycleSpec } from './lifecycle-walk.ts'
import { PAYMENT_FLOWS } from './payment-flows.ts'
import {
  AUTOMATIC_PIX_PAYMENT_STATUSES,
  BULK_PAYMENT_STATUSES,
  PAYMENT_INTENT_STATUSES,
  PAYMENT_REQUEST_STATUSES,
  SCHEDULED_PAYMENT_STATUSES,
  SMART_TRANSFER_PAYMENT_STATUSES,
  SMART_TRANSFER_PREAUTHORIZATION_STATUSES,
} from './statuses.ts'

type AnySpec = LifecycleSpec<unknown, { type: string }>
const specs = PAYMENT_LIFECYCLES as unknown as AnySpec[]
const flows = PAYMENT_FLOWS as unknown as AnySpec[]

/**
 * The statuses each lifecycle reaches: all of the reference's, except the refund statuses of a
 * payment request — no method of the reference client refunds, so nothing here enters them.
 */
const EXPECTED_STATUSES: [AnySpec, readonly string[]][] = [
  [REQUEST_LIFECYCLE as unknown as AnySpec, PAYMENT_REQUEST_STATUSES.filter((s) => !s.startsWith('REFUND'))],
  [INTENT_LIFECYCLE as unknown as AnySpec, PAYMENT_INTENT_STATUSES],
  [SCHEDULED_PAYMENT_LIFECYCLE as unknown as AnySpec, SCHEDULED_PAYMENT_STATUSES],
  [AUTOMATIC_PIX_PAYMENT_LIFECYCLE as unknown as AnySpec, AUTOMATIC_PIX_PAYMENT_STATUSES],
  [BULK_LIFECYCLE as unknown as AnySpec, BULK_PAYMENT_STATUSES],
  [PREAUTHORIZATION_LIFECYCLE as unknown as AnySpec, SMART_TRANSFER_PREAUTHORIZATION_STATUSES],
  [SMART_TRANSFER_PAYMENT_LIFECYCLE as unknown as AnySpec, SMART_TRANSFER_PAYMENT_STATUSES],
]

describe('every reachable state × every event', () => {
  it.each(specs.map((spec) => [spec.name, spec] as const))('%s: refusals change nothing, acceptances keep the invariants', (_name, spec) => {
    const walk = walkLifecycle(spec)
    expect(walk.problems).toEqual([])
    // The walk really covers the lifecycle: each event type is both accepted somewhere and refused somewhere.
    const types = [...new Set(spec.events.map((e) => e.type))].sort()
    expect([...walk.accepted].sort()).toEqual(types)
    expect([...walk.refused].sort()).toEqual(types)
    expect(walk.transitions).toBe(walk.states.length * spec.events.length)
  })

  it.each(EXPECTED_STATUSES.map(([spec, statuses]) => [spec.name, spec, statuses] as const))('%s reaches every status of the reference', (_name, spec, statuses) => {
    expect([...walkLifecycle(spec).statuses].sort()).toEqual([...statuses].sort())
  })

  it.each(flows.map((flow) => [flow.name, flow] as const))('%s with its intents: the owner and its intent never disagree', (_name, flow) => {
    const walk = walkLifecycle(flow)
    expect(walk.problems).toEqual([])
    expect(walk.states.length).toBeGreaterThan(3)
  })
})

describe('docs/payments.md', () => {
  const docs = readFileSync(path.resolve(import.meta.dirname, '../../../docs/payments.md'), 'utf8')
  const diagramSources = [...flows, ...specs.filter((s) => s !== (REQUEST_LIFECYCLE as unknown) && s !== (BULK_LIFECYCLE as unknown))]

  it.each(diagramSources.map((spec) => [spec.name, spec] as const))('holds the diagram of the %s lifecycle as the transition table draws it', (_name, spec) => {
    const diagram = mermaidDiagram(spec, walkLifecycle(spec))
    expect(docs, `regenerate the diagram of the ${spec.name}:\n${diagram}`).toContain(diagram)
  })
})
