/**
 * An execution drawn as one horizontal bar of its steps, each as wide as it lasted: work in blue,
 * waits for the user or the institution hatched in amber, the merge in violet, the outcome as a
 * closing mark. A running execution's last step grows until the next event redraws it. The same
 * steps are listed in text beside the picture, for screen readers and for copying.
 */
import { timelineKind } from '../../domain/timeline-kinds.ts'
import { duration, h, s, uid } from './dom.ts'
import { t } from './i18n.ts'
import type { Execution } from './types.ts'

const WIDTH = 600
const HEIGHT = 36
const BAR_Y = 6
const BAR_HEIGHT = 24
/** A step too short to see still gets a sliver, so none disappears from the picture. */
const MIN_WIDTH = 3

export interface TimelineSegment {
  status: string
  kind: ReturnType<typeof timelineKind>
  startMs: number
  endMs: number
  running: boolean
}

/** The execution's steps as segments on one time axis; a step without an end runs until `nowMs` (or the next step's start). */
export function segments(execution: Execution, nowMs: number): TimelineSegment[] {
  return execution.steps.map((step, index) => {
    const startMs = Date.parse(step.startedAt)
    const next = execution.steps[index + 1]
    const running = !step.finishedAt && !next && !execution.finishedAt
    const endMs = step.finishedAt ? Date.parse(step.finishedAt) : next ? Date.parse(next.startedAt) : execution.finishedAt ? Date.parse(execution.finishedAt) : nowMs
    return { status: step.status, kind: timelineKind(step.status), startMs, endMs: Math.max(startMs, endMs), running }
  })
}

export function timeline(execution: Execution, nowMs: number): HTMLElement {
  const parts = segments(execution, nowMs)
  const start = parts[0]?.startMs ?? Date.parse(execution.createdAt)
  const end = Math.max(start + 1, ...parts.map((p) => p.endMs))
  const scale = (WIDTH - MIN_WIDTH) / (end - start)
  const patternId = uid('waiting')
  const titleId = uid('timeline-title')
  const svg = s(
    'svg',
    { class: 'timeline', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: 'none', role: 'img', 'aria-labelledby': titleId, 'data-execution': execution.id },
    s('title', { id: titleId }, t('execution.timeline', { id: execution.id })),
    s(
      'defs',
      {},
      s(
        'pattern',
        { id: patternId, width: 8, height: 8, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
        s('rect', { width: 8, height: 8, class: 'hatch-bg' }),
        s('rect', { width: 3, height: 8, class: 'hatch-line' }),
      ),
    ),
    s('rect', { x: 0, y: BAR_Y, width: WIDTH, height: BAR_HEIGHT, class: 'track', rx: 4 }),
    parts.map((part) => {
      const x = (part.startMs - start) * scale
      const width = Math.max(MIN_WIDTH, (part.endMs - part.startMs) * scale)
      return s(
        'rect',
        {
          x: x.toFixed(2),
          y: BAR_Y,
          width: width.toFixed(2),
          height: BAR_HEIGHT,
          class: `seg seg-${part.kind}${part.running ? ' seg-running' : ''}`,
          'data-status': part.status,
          'data-kind': part.kind,
          'data-duration-ms': part.endMs - part.startMs,
          ...(part.kind === 'waiting' ? { fill: `url(#${patternId})` } : {}),
        },
        s('title', {}, `${part.status}: ${duration(part.endMs - part.startMs)}`),
      )
    }),
  )
  const list = h(
    'ol',
    { class: 'steps', 'aria-label': t('execution.steps') },
    parts.map((part) =>
      h(
        'li',
        { class: `step step-${part.kind}`, 'data-status': part.status },
        h('span', { class: `swatch swatch-${part.kind}`, 'aria-hidden': 'true' }),
        h('code', {}, part.status),
        ' ',
        h('span', { class: 'step-duration' }, part.running ? t('execution.running', { took: duration(part.endMs - part.startMs) }) : duration(part.endMs - part.startMs)),
        part.kind === 'waiting' || part.kind === 'merging' ? h('span', { class: 'step-kind' }, ` (${t(`kind.${part.kind}`)})`) : null,
      ),
    ),
  )
  return h('div', { class: 'timeline-wrap' }, svg, list)
}

export function legend(): HTMLElement {
  return h(
    'ul',
    { class: 'legend', 'aria-hidden': 'true' },
    (['step', 'waiting', 'merging'] as const).map((kind) => h('li', {}, h('span', { class: `swatch swatch-${kind}` }), t(`legend.${kind}`))),
    h('li', {}, h('span', { class: 'swatch swatch-running' }), t('legend.running')),
  )
}
