/**
 * A connector's executions over time: one dot per finished execution (x its start, y its
 * duration; filled green for a success, a red cross for a failure) with the p50 and p95 durations
 * as dashed lines. Drawn by the page, no charting library.
 */
import { duration, s } from './dom.ts'
import { t } from './i18n.ts'
import type { ConnectorRow } from './types.ts'

const WIDTH = 600
const HEIGHT = 160
const LEFT = 56
const BOTTOM = 18
const TOP = 8

export function outcomeChart(row: ConnectorRow): SVGSVGElement {
  const points = row.points.map((p) => ({ ...p, ms: Date.parse(p.at) }))
  const minX = Math.min(...points.map((p) => p.ms))
  const maxX = Math.max(minX + 1, ...points.map((p) => p.ms))
  const maxY = Math.max(1, ...points.map((p) => p.durationMs), row.p95Ms ?? 0) * 1.1
  const x = (ms: number) => LEFT + ((ms - minX) / (maxX - minX)) * (WIDTH - LEFT - 8)
  const y = (value: number) => HEIGHT - BOTTOM - (value / maxY) * (HEIGHT - BOTTOM - TOP)
  const guide = (value: number | null, name: string) =>
    value === null
      ? null
      : s(
          'g',
          { class: `guide guide-${name}` },
          s('line', { x1: LEFT, x2: WIDTH, y1: y(value).toFixed(1), y2: y(value).toFixed(1) }),
          s('text', { x: LEFT - 4, y: (y(value) + 4).toFixed(1), 'text-anchor': 'end' }, `${name} ${duration(value)}`),
        )
  return s(
    'svg',
    { class: 'chart', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': t('connectors.chart', { name: row.name }), 'data-connector': row.id },
    s('line', { class: 'axis', x1: LEFT, x2: LEFT, y1: TOP, y2: HEIGHT - BOTTOM }),
    s('line', { class: 'axis', x1: LEFT, x2: WIDTH, y1: HEIGHT - BOTTOM, y2: HEIGHT - BOTTOM }),
    s('text', { class: 'tick', x: LEFT, y: HEIGHT - 4 }, new Date(minX).toLocaleTimeString()),
    s('text', { class: 'tick', x: WIDTH, y: HEIGHT - 4, 'text-anchor': 'end' }, new Date(maxX).toLocaleTimeString()),
    guide(row.p50Ms, 'p50'),
    guide(row.p95Ms, 'p95'),
    points.map((p) =>
      p.success
        ? s('circle', { class: 'dot dot-success', cx: x(p.ms).toFixed(1), cy: y(p.durationMs).toFixed(1), r: 4 }, s('title', {}, `${p.outcome} ${duration(p.durationMs)}`))
        : s('path', { class: 'dot dot-failure', d: cross(x(p.ms), y(p.durationMs)) }, s('title', {}, `${p.outcome} ${duration(p.durationMs)}`)),
    ),
  )
}

function cross(cx: number, cy: number): string {
  const r = 4
  return `M${cx - r} ${cy - r}L${cx + r} ${cy + r}M${cx - r} ${cy + r}L${cx + r} ${cy - r}`
}
