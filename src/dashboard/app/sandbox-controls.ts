/**
 * Sandbox control buttons (items and institutions of sandbox connectors only): force an item's
 * next outcome, reset its login, start an update; move the client's sandbox clock; put an
 * institution in an outage. Each calls the dashboard's sandbox routes (the API's SandboxService).
 */
import { FORCEABLE_OUTCOMES, OUTAGE_MODES } from '../../domain/sandbox-control.ts'
import { ApiError, post } from './api.ts'
import { h } from './dom.ts'
import { t } from './i18n.ts'

interface ItemControl {
  outcome: { executionStatus: string; once: boolean } | null
  loginReset: boolean
}

/** Runs an action and says what came of it in `notice` (the server's own message on a refusal). */
async function act(notice: HTMLElement, action: () => Promise<string>): Promise<void> {
  notice.textContent = ''
  try {
    notice.textContent = await action()
  } catch (error) {
    notice.textContent = error instanceof ApiError ? error.message : String(error)
  }
}

export function itemSandboxPanel(itemId: string, control: ItemControl | null): HTMLElement {
  const notice = h('p', { class: 'notice', role: 'status', 'data-field': 'sandbox-notice' })
  const state = h('p', { class: 'muted', 'data-field': 'sandbox-state' }, describe(control))
  const outcome = h(
    'select',
    { id: 'sandbox-outcome' },
    FORCEABLE_OUTCOMES.map((o) => h('option', { value: o }, o)),
  )
  const base = `/sandbox/items/${encodeURIComponent(itemId)}`
  return h(
    'section',
    { class: 'sandbox', 'aria-labelledby': 'sandbox-title' },
    h('h2', { id: 'sandbox-title' }, t('sandbox.title')),
    state,
    h(
      'div',
      { class: 'filters' },
      h('div', { class: 'field' }, h('label', { for: 'sandbox-outcome' }, t('sandbox.outcome')), outcome),
      h(
        'button',
        {
          type: 'button',
          class: 'button',
          onclick: () =>
            act(notice, async () => {
              const saved = await post<{ executionStatus: string; once: boolean }>(`${base}/outcome`, { executionStatus: outcome.value, once: true })
              state.textContent = describe({ outcome: saved, loginReset: control?.loginReset ?? false })
              return t('sandbox.outcomeSet', { outcome: saved.executionStatus })
            }),
        },
        t('sandbox.force'),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'button',
          onclick: () =>
            act(notice, async () => {
              const saved = await post<ItemControl>(`${base}/reset-login`)
              state.textContent = describe(saved)
              return t('sandbox.loginReset')
            }),
        },
        t('sandbox.resetLogin'),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'button primary',
          onclick: () =>
            act(notice, async () => {
              await post(`/items/${encodeURIComponent(itemId)}/update`)
              return t('sandbox.updating')
            }),
        },
        t('sandbox.update'),
      ),
    ),
    notice,
  )
}

function describe(control: ItemControl | null): string {
  const outcome = control?.outcome ? t('sandbox.stateOutcome', { outcome: control.outcome.executionStatus }) : t('sandbox.stateNoOutcome')
  return control?.loginReset ? `${outcome} ${t('sandbox.stateLoginReset')}` : outcome
}

/** The client's sandbox clock: move it forward by a day or an hour. */
export function clockControl(): HTMLElement {
  const notice = h('p', { class: 'notice', role: 'status', 'data-field': 'clock-notice' })
  const advance = (seconds: number) =>
    act(notice, async () => {
      const moved = await post<{ movedItems: number; now: string }>('/sandbox/clock', { advanceSeconds: seconds })
      return t('sandbox.clockMoved', { items: moved.movedItems, now: new Date(moved.now).toLocaleString() })
    })
  return h(
    'section',
    { class: 'sandbox', 'aria-labelledby': 'clock-title' },
    h('h2', { id: 'clock-title' }, t('sandbox.clock')),
    h('p', { class: 'muted' }, t('sandbox.clockLead')),
    h(
      'div',
      { class: 'filters' },
      h('button', { type: 'button', class: 'button', onclick: () => advance(3600) }, t('sandbox.hour')),
      h('button', { type: 'button', class: 'button', onclick: () => advance(86_400) }, t('sandbox.day')),
    ),
    notice,
  )
}

/** A sandbox institution's outage for the client: none, or one of the modes. */
export function outageControl(connectorId: number): HTMLElement {
  const id = `outage-${connectorId}`
  const notice = h('p', { class: 'notice', role: 'status' })
  const mode = h(
    'select',
    { id },
    h('option', { value: '' }, t('sandbox.noOutage')),
    OUTAGE_MODES.map((m) => h('option', { value: m }, m)),
  )
  return h(
    'div',
    { class: 'outage' },
    h(
      'div',
      { class: 'filters' },
      h('div', { class: 'field' }, h('label', { for: id }, t('sandbox.outage')), mode),
      h(
        'button',
        {
          type: 'button',
          class: 'button',
          onclick: () =>
            act(notice, async () => {
              const saved = await post<{ mode: string | null }>(`/sandbox/connectors/${connectorId}/outage`, { mode: mode.value || null })
              return saved.mode ? t('sandbox.outageOn', { mode: saved.mode }) : t('sandbox.outageOff')
            }),
        },
        t('sandbox.apply'),
      ),
    ),
    notice,
  )
}
