/**
 * One item: its state, data counts, executions (each as a timeline), its events and deliveries.
 * While the page is open it follows the item's event stream, and redraws the executions at each
 * event; a running step also grows every second between events.
 */
import { get } from './api.ts'
import { duration, h, mount } from './dom.ts'
import { deliveries, eventLog } from './events-view.ts'
import { dateTime, t } from './i18n.ts'
import { itemSandboxPanel } from './sandbox-controls.ts'
import { legend, timeline } from './timeline.ts'
import type { Execution, ItemDetail, Page } from './types.ts'

/** What stops the page's live updates when the user leaves it. */
export type Cleanup = () => void

export async function renderItem(root: HTMLElement, id: string): Promise<Cleanup> {
  const [detail, executions] = await Promise.all([get<ItemDetail>(`/items/${encodeURIComponent(id)}`), get<Page<Execution>>(`/items/${encodeURIComponent(id)}/executions`)])
  const { item, counts } = detail
  const state = h('dl', { class: 'facts item-state' })
  const executionList = h('div', { class: 'executions' })
  // Redrawn every second while a step runs: screen readers hear only the status changes, from here.
  const announcer = h('p', { class: 'visually-hidden', role: 'status', 'data-field': 'announcer' })
  let current = executions.results
  const drawState = (i = item) =>
    mount(
      state,
      h('dt', {}, t('items.connector')),
      h('dd', {}, i.connector?.name ?? t('app.none')),
      h('dt', {}, t('items.status')),
      h('dd', { 'data-field': 'status' }, h('span', { class: `badge badge-${i.status.toLowerCase()}` }, i.status)),
      h('dt', {}, t('items.execution')),
      h('dd', { 'data-field': 'executionStatus' }, h('code', {}, i.executionStatus)),
      h('dt', {}, t('items.clientUserId')),
      h('dd', {}, i.clientUserId ?? t('app.none')),
      h('dt', {}, t('item.created')),
      h('dd', {}, dateTime(i.createdAt)),
      h('dt', {}, t('items.lastSync')),
      h('dd', {}, dateTime(i.lastUpdatedAt)),
      h('dt', {}, t('items.nextSync')),
      h('dd', {}, dateTime(i.nextAutoSyncAt)),
      h('dt', {}, t('items.consent')),
      h('dd', {}, dateTime(i.consentExpiresAt)),
      i.error ? [h('dt', {}, t('item.error')), h('dd', {}, h('code', {}, i.error.code), ` ${i.error.message}`)] : null,
    )
  const drawExecutions = () => {
    const now = Date.now()
    if (current.length === 0) return mount(executionList, h('p', { class: 'empty' }, t('item.noExecutions')))
    mount(
      executionList,
      legend(),
      current.map((execution) => {
        const took = (execution.finishedAt ? Date.parse(execution.finishedAt) : now) - Date.parse(execution.createdAt)
        return h(
          'article',
          { class: 'execution', 'data-execution': execution.id, 'data-status': execution.status },
          h(
            'h3',
            {},
            t(execution.finishedAt ? 'execution.summary' : 'execution.summaryRunning', {
              status: execution.status,
              trigger: execution.triggeredBy,
              at: dateTime(execution.createdAt),
              took: duration(took),
            }),
          ),
          timeline(execution, now),
        )
      }),
    )
  }
  drawState()
  drawExecutions()

  const [log, deliveryList, sandbox] = await Promise.all([
    eventLog(item.id),
    deliveries(item.id),
    // Sandbox items only, and only where the sandbox control API is on (a refusal hides the panel).
    item.connector?.isSandbox
      ? get<{ outcome: { executionStatus: string; once: boolean } | null; loginReset: boolean }>(`/sandbox/items/${encodeURIComponent(item.id)}`).catch(() => undefined)
      : undefined,
  ])
  const logSlot = h('div', {}, log)
  mount(
    root,
    h('p', {}, h('a', { href: '#/items' }, `← ${t('item.back')}`)),
    h('h1', {}, t('item.title', { id: item.id })),
    state,
    h(
      'section',
      { 'aria-labelledby': 'counts-title' },
      h('h2', { id: 'counts-title' }, t('item.counts')),
      h(
        'dl',
        { class: 'counts' },
        (['accounts', 'transactions', 'investments', 'opportunities'] as const).map((k) => h('div', {}, h('dt', {}, t(`item.${k}`)), h('dd', { 'data-count': k }, String(counts[k])))),
      ),
    ),
    h('section', { 'aria-labelledby': 'executions-title' }, h('h2', { id: 'executions-title' }, t('item.executions')), h('p', { class: 'muted' }, t('item.live')), announcer, executionList),
    sandbox ? itemSandboxPanel(item.id, sandbox) : null,
    h('section', { 'aria-labelledby': 'item-events-title' }, h('h2', { id: 'item-events-title' }, t('item.events')), logSlot),
    h('section', { 'aria-labelledby': 'item-deliveries-title' }, h('h2', { id: 'item-deliveries-title' }, t('item.deliveries')), deliveryList),
  )

  // Live: every event of the item (status changes included) redraws what it may have changed.
  let refreshing = false
  let again = false
  const refresh = async () => {
    if (refreshing) {
      again = true
      return
    }
    refreshing = true
    try {
      const [fresh, list] = await Promise.all([get<ItemDetail>(`/items/${encodeURIComponent(id)}`), get<Page<Execution>>(`/items/${encodeURIComponent(id)}/executions`)])
      const before = current[0]?.status
      current = list.results
      if (current[0] && current[0].status !== before) announcer.textContent = `${t('items.execution')}: ${current[0].status}`
      drawState(fresh.item)
      drawExecutions()
    } finally {
      refreshing = false
      if (again) {
        again = false
        void refresh()
      }
    }
  }
  const stream = new EventSource(`/dashboard/api/items/${encodeURIComponent(id)}/stream`)
  const onEvent = () => void refresh()
  stream.onmessage = onEvent
  for (const type of ['item/status', 'item/created', 'item/updated', 'item/error', 'item/waiting_user_input', 'item/waiting_user_action', 'item/login_succeeded', 'item/deleted'])
    stream.addEventListener(type, onEvent)
  const ticker = setInterval(() => {
    if (current.some((e) => !e.finishedAt)) drawExecutions()
  }, 1000)
  return () => {
    stream.close()
    clearInterval(ticker)
  }
}
