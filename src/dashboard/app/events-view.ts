/** Event logs and webhook deliveries (with "send again"), and the signature header with a verification snippet. */
import { ApiError, get, post, query } from './api.ts'
import { duration, h, mount } from './dom.ts'
import { dateTime, t } from './i18n.ts'
import type { DeliveryWithAttempts, FeedEvent, Page, Webhook } from './types.ts'

/** An event log (the client's, or one item's), oldest first, with "load more" while the feed has more. */
export async function eventLog(itemId?: string): Promise<HTMLElement> {
  const body = h('tbody', {})
  const more = h('button', { type: 'button', class: 'button' }, t('events.more'))
  const wrap = h(
    'div',
    { class: 'event-log' },
    h(
      'table',
      { class: 'table events' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('events.time')), h('th', { scope: 'col' }, t('events.event')), itemId ? null : h('th', { scope: 'col' }, t('events.item')))),
      body,
    ),
    more,
  )
  let after: string | undefined
  const load = async () => {
    const page = await get<{ results: FeedEvent[]; next: string | null }>(`/events${query({ itemId, after })}`)
    for (const event of page.results) {
      body.append(
        h(
          'tr',
          { 'data-event': event.event },
          h('td', { 'data-label': t('events.time') }, dateTime(event.createdAt)),
          h('td', { 'data-label': t('events.event') }, h('code', {}, event.event), typeof event.status === 'string' ? ` → ${event.status}` : ''),
          itemId ? null : h('td', { 'data-label': t('events.item') }, event.itemId ? h('a', { href: `#/items/${event.itemId}` }, h('code', {}, String(event.itemId).slice(0, 8))) : t('app.none')),
        ),
      )
    }
    after = page.next ?? after
    more.hidden = page.results.length < 200
    if (body.childElementCount === 0) wrap.replaceChildren(h('p', { class: 'empty' }, t('events.empty')))
  }
  more.addEventListener('click', () => void load())
  await load()
  return wrap
}

/** The delivery log with each attempt's status code and response time, and a "send again" button per delivery. */
export async function deliveries(itemId?: string): Promise<HTMLElement> {
  const wrap = h('div', { class: 'deliveries' })
  const notice = h('p', { class: 'notice', role: 'status' })
  const render = async () => {
    const page = await get<Page<DeliveryWithAttempts>>(`/webhook-deliveries${query({ itemId })}`)
    if (page.results.length === 0) return mount(wrap, h('p', { class: 'empty' }, t('deliveries.empty')))
    mount(
      wrap,
      notice,
      h(
        'ul',
        { class: 'delivery-list' },
        page.results.map((d) =>
          h(
            'li',
            { class: `delivery delivery-${d.status.toLowerCase()}`, 'data-delivery': d.id },
            h('div', { class: 'delivery-head' }, h('code', {}, d.event), h('span', { class: `badge badge-${d.status.toLowerCase()}` }, d.status), h('span', { class: 'muted' }, d.url)),
            h(
              'dl',
              { class: 'facts' },
              h('dt', {}, t('deliveries.attempts')),
              h('dd', { 'data-field': 'attempts' }, String(d.attempts)),
              h('dt', {}, t('deliveries.code')),
              h('dd', { 'data-field': 'code' }, d.lastResponseCode === null ? t('app.none') : String(d.lastResponseCode)),
              h('dt', {}, t('deliveries.latency')),
              h('dd', {}, d.lastLatencyMs === null ? t('app.none') : duration(d.lastLatencyMs)),
            ),
            h(
              'ol',
              { class: 'attempts' },
              d.attemptLog.map((a) =>
                h(
                  'li',
                  { 'data-attempt': a.attempt, 'data-code': a.responseCode ?? '' },
                  t('deliveries.attemptLog', { attempt: a.attempt, code: a.responseCode ?? a.error ?? t('deliveries.noResponse'), latency: duration(a.latencyMs), at: dateTime(a.attemptedAt) }),
                ),
              ),
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'button send-again',
                onclick: async () => {
                  try {
                    const retried = await post<{ attempts: number }>(`/webhook-deliveries/${d.id}/retry`)
                    notice.textContent = t('deliveries.sent', { attempts: retried.attempts + 1 })
                    // The sender picks it up at once; show its attempt when it has been made.
                    for (let i = 0; i < 20; i++) {
                      await new Promise((resolve) => setTimeout(resolve, 500))
                      const text = notice.textContent
                      await render()
                      notice.textContent = text
                      if (wrap.querySelector(`[data-delivery="${d.id}"] .attempts li:nth-child(${d.attemptLog.length + 1})`)) break
                    }
                  } catch (error) {
                    notice.textContent = error instanceof ApiError ? error.message : String(error)
                  }
                },
              },
              t('deliveries.sendAgain'),
            ),
          ),
        ),
      ),
    )
  }
  await render()
  return wrap
}

const SNIPPET = (header: string) => `import { createHmac, timingSafeEqual } from 'node:crypto'

// rawBody: the request body exactly as received; secret: your client secret
export function verify(rawBody, signatureHeader, secret, toleranceSeconds = 300) {
  const parts = Object.fromEntries(signatureHeader.split(',').map((p) => p.trim().split('=')))
  const t = Number(parts.t)
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false
  const expected = createHmac('sha256', secret).update(\`\${t}.\${rawBody}\`).digest()
  const given = Buffer.from(parts.v1 ?? '', 'hex')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

// verify(rawBody, request.headers['${header.toLowerCase()}'], process.env.CLIENT_SECRET)`

export async function renderEvents(root: HTMLElement): Promise<void> {
  const [webhooks, signature, log, list] = await Promise.all([get<Page<Webhook>>('/webhooks'), get<{ header: string; scheme: string }>('/webhook-signature'), eventLog(), deliveries()])
  mount(
    root,
    h('h1', {}, t('events.title')),
    h('section', { 'aria-labelledby': 'webhooks-title' }, h('h2', { id: 'webhooks-title' }, t('webhooks.title')), webhookTable(webhooks.results)),
    h('section', { 'aria-labelledby': 'deliveries-title' }, h('h2', { id: 'deliveries-title' }, t('deliveries.title')), list),
    h(
      'section',
      { 'aria-labelledby': 'signature-title', class: 'signature' },
      h('h2', { id: 'signature-title' }, t('signature.title')),
      h(
        'p',
        {},
        ...t('signature.lead', { header: '\u0000' })
          .split('\u0000')
          .flatMap((part, i) => (i === 0 ? [part] : [h('code', { 'data-field': 'signature-header' }, signature.header), part])),
      ),
      h('p', {}, h('code', {}, `${signature.header}: ${signature.scheme}`)),
      h('pre', { tabindex: 0 }, h('code', {}, SNIPPET(signature.header))),
    ),
    h('section', { 'aria-labelledby': 'log-title' }, h('h2', { id: 'log-title' }, t('events.log')), log),
  )
}

function webhookTable(webhooks: Webhook[]): HTMLElement {
  if (webhooks.length === 0) return h('p', { class: 'empty' }, t('webhooks.empty'))
  return h(
    'table',
    { class: 'table' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('webhooks.event')), h('th', { scope: 'col' }, t('webhooks.url')), h('th', { scope: 'col' }, t('deliveries.status')))),
    h(
      'tbody',
      {},
      webhooks.map((w) =>
        h(
          'tr',
          {},
          h('td', { 'data-label': t('webhooks.event') }, h('code', {}, w.event)),
          h('td', { 'data-label': t('webhooks.url') }, w.url),
          h('td', { 'data-label': t('deliveries.status') }, w.disabledAt ? t('webhooks.disabled') : t('webhooks.enabled')),
        ),
      ),
    ),
  )
}
