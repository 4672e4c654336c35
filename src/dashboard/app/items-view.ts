/** The items list: filter by status, connector and clientUserId; each row links to the item's page. */
import { ITEM_STATUSES } from '../../domain/statuses.ts'
import { get, query } from './api.ts'
import { h, mount } from './dom.ts'
import { dateTime, t } from './i18n.ts'
import type { ConnectorRow, ItemDetail, Page } from './types.ts'

export interface ItemsFilter {
  status?: string
  connectorId?: string
  clientUserId?: string
  page?: string
}

export async function renderItems(root: HTMLElement, filter: ItemsFilter, navigate: (hash: string) => void): Promise<void> {
  const [items, connectors] = await Promise.all([
    get<Page<ItemDetail>>(`/items${query({ status: filter.status, connectorId: filter.connectorId, clientUserId: filter.clientUserId, page: filter.page })}`),
    get<{ results: ConnectorRow[] }>('/connectors'),
  ])
  const select = (id: string, label: string, options: [string, string][], value: string | undefined) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: id }, label),
      h(
        'select',
        { id, name: id },
        h('option', { value: '' }, t('items.any')),
        options.map(([v, text]) => h('option', { value: v, ...(v === value ? { selected: true } : {}) }, text)),
      ),
    )
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': t('items.title') },
    select(
      'filter-status',
      t('items.status'),
      ITEM_STATUSES.map((st) => [st, st]),
      filter.status,
    ),
    select(
      'filter-connector',
      t('items.connector'),
      connectors.results.map((c) => [String(c.id), `${c.name} (${c.id})`]),
      filter.connectorId,
    ),
    h('div', { class: 'field' }, h('label', { for: 'filter-user' }, t('items.clientUserId')), h('input', { id: 'filter-user', type: 'search', value: filter.clientUserId ?? '' })),
    h('button', { type: 'submit', class: 'primary' }, t('items.search')),
  )
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const value = (id: string) => (form.querySelector(`#${id}`) as HTMLInputElement | HTMLSelectElement).value
    navigate(`#/items${query({ status: value('filter-status'), connectorId: value('filter-connector'), clientUserId: value('filter-user').trim() })}`)
  })
  const pageNumber = items.page
  const pager = (target: number, label: string) => h('a', { href: `#/items${query({ ...filter, page: target })}`, class: 'button', 'aria-label': label }, label)
  const rows = items.results.map(({ item, counts }) =>
    h(
      'tr',
      { 'data-item': item.id },
      h('td', { 'data-label': t('items.id') }, h('a', { href: `#/items/${item.id}`, 'aria-label': t('item.title', { id: item.id }) }, h('code', {}, item.id.slice(0, 8)))),
      h('td', { 'data-label': t('items.connector') }, item.connector?.name ?? t('app.none')),
      h('td', { 'data-label': t('items.status') }, h('span', { class: `badge badge-${item.status.toLowerCase()}` }, item.status)),
      h('td', { 'data-label': t('items.execution') }, h('code', {}, item.executionStatus)),
      h('td', { 'data-label': t('items.clientUserId') }, item.clientUserId ?? t('app.none')),
      h('td', { 'data-label': t('items.lastSync') }, dateTime(item.lastUpdatedAt)),
      h('td', { 'data-label': t('items.nextSync') }, dateTime(item.nextAutoSyncAt)),
      h('td', { 'data-label': t('items.consent') }, dateTime(item.consentExpiresAt)),
      h('td', { 'data-label': t('items.data'), 'data-counts': `${counts.accounts}/${counts.transactions}` }, t('items.dataCounts', counts)),
    ),
  )
  mount(
    root,
    h('h1', {}, t('items.title')),
    form,
    h('p', { class: 'muted', role: 'status' }, items.total === 1 ? t('items.countOne') : t('items.count', { count: items.total })),
    items.results.length === 0
      ? h('p', { class: 'empty' }, t('items.empty'))
      : h(
          'table',
          { class: 'table items' },
          h('caption', { class: 'visually-hidden' }, t('items.title')),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['items.id', 'items.connector', 'items.status', 'items.execution', 'items.clientUserId', 'items.lastSync', 'items.nextSync', 'items.consent', 'items.data'].map((k) =>
                h('th', { scope: 'col' }, t(k as 'items.id')),
              ),
            ),
          ),
          h('tbody', {}, rows),
        ),
    items.totalPages > 1
      ? h(
          'nav',
          { class: 'pager', 'aria-label': t('items.pageOf', { page: pageNumber, pages: items.totalPages }) },
          pageNumber > 1 ? pager(pageNumber - 1, t('items.previous')) : null,
          h('span', {}, t('items.pageOf', { page: pageNumber, pages: items.totalPages })),
          pageNumber < items.totalPages ? pager(pageNumber + 1, t('items.next')) : null,
        )
      : null,
  )
}
