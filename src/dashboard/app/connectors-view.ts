/** Connectors: health as the workers measure it, the client's success rate and p50/p95 durations, failures by outcome, and a chart each. */
import { get } from './api.ts'
import { outcomeChart } from './chart.ts'
import { clockControl, outageControl } from './sandbox-controls.ts'
import { duration, h, mount } from './dom.ts'
import { t } from './i18n.ts'
import type { ConnectorRow } from './types.ts'

export async function renderConnectors(root: HTMLElement): Promise<void> {
  const { windowHours, results } = await get<{ windowHours: number; results: ConnectorRow[] }>('/connectors')
  const ms = (value: number | null) => (value === null ? t('app.none') : duration(value))
  // Connectors the client used first, then the rest by id.
  const rows = [...results].sort((a, b) => b.finished + b.running - (a.finished + a.running) || a.id - b.id)
  mount(
    root,
    h('h1', {}, t('connectors.title')),
    h('p', { class: 'muted' }, t('connectors.window', { hours: windowHours })),
    rows.some((row) => row.isSandbox) ? clockControl() : null,
    h(
      'div',
      { class: 'connector-list' },
      rows.map((row) =>
        h(
          'article',
          { class: 'connector', 'data-connector': row.id, 'aria-labelledby': `connector-${row.id}` },
          h('h2', { id: `connector-${row.id}` }, `${row.name} `, h('span', { class: 'muted' }, `#${row.id}`)),
          h(
            'dl',
            { class: 'facts' },
            h('dt', {}, t('connectors.health')),
            h('dd', {}, h('span', { class: `badge badge-${row.health.toLowerCase()}` }, row.health)),
            h('dt', {}, t('connectors.rate')),
            h('dd', {}, row.connectionRateLast6Hours === null ? t('app.none') : `${row.connectionRateLast6Hours}% (${row.connectionsLast6Hours})`),
            h('dt', {}, t('connectors.success')),
            h('dd', { 'data-field': 'success-rate' }, row.successRate === null ? t('app.none') : `${row.successRate}%`),
            h('dt', {}, 'p50 / p95'),
            h('dd', { 'data-field': 'percentiles' }, `${ms(row.p50Ms)} / ${ms(row.p95Ms)}`),
            h('dt', {}, t('connectors.failures')),
            h(
              'dd',
              { 'data-field': 'failures' },
              row.failuresByOutcome.length === 0
                ? t('connectors.noFailures')
                : h(
                    'ul',
                    { class: 'inline-list' },
                    row.failuresByOutcome.map((f) => h('li', {}, h('code', {}, f.outcome), ` × ${f.count}`)),
                  ),
            ),
          ),
          h('p', { class: 'muted' }, t('connectors.executions', { finished: row.finished, running: row.running })),
          row.points.length > 0 ? outcomeChart(row) : h('p', { class: 'empty' }, t('connectors.noExecutions')),
          row.isSandbox ? outageControl(row.id) : null,
        ),
      ),
    ),
  )
}
