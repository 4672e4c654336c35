/**
 * GET /connect/demo: a host page like an application's own, served only when the server runs with
 * a demo client (development). It gets a connect token from POST /connect/demo/token — a real
 * application does that from its own server with POST /connect_token — and opens the widget
 * through connect.js, showing what the callbacks receive.
 */
import type { TributaryConnectHandle, TributaryConnectOptions } from './embed.ts'

declare global {
  interface Window {
    TributaryConnect?: (options: TributaryConnectOptions) => TributaryConnectHandle
  }
}

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id)
  if (!found) throw new Error(`#${id} missing`)
  return found as T
}

const openButton = element<HTMLButtonElement>('demo-open')
const language = element<HTMLSelectElement>('demo-language')
const log = element<HTMLOListElement>('demo-log')
const result = element<HTMLElement>('demo-result')

function addLog(text: string): void {
  const entry = document.createElement('li')
  entry.textContent = `${new Date().toLocaleTimeString()} ${text}`
  log.append(entry)
}

function showResult(kind: 'success' | 'error', text: string): void {
  result.dataset.kind = kind
  result.textContent = text
}

openButton.addEventListener('click', async () => {
  openButton.disabled = true
  result.textContent = ''
  delete result.dataset.kind
  try {
    const response = await fetch('/connect/demo/token', { method: 'POST', cache: 'no-store' })
    if (!response.ok) throw new Error(`the server answered ${response.status}`)
    const { accessToken } = (await response.json()) as { accessToken: string }
    if (!window.TributaryConnect) throw new Error('connect.js did not load')
    addLog('connect token received; opening the widget')
    window.TributaryConnect({
      url: window.location.origin,
      connectToken: accessToken,
      includeSandbox: true,
      language: language.value === 'pt-BR' ? 'pt-BR' : 'en',
      onEvent: (event) => addLog(`onEvent ${event.event}${typeof event.step === 'string' ? ` ${event.step}` : ''}`),
      onSuccess: ({ item }) => {
        const { id, status, executionStatus } = item as { id: string; status: string; executionStatus: string }
        addLog(`onSuccess item ${id}`)
        showResult('success', `Connected: item ${id} is ${status} (${executionStatus}).`)
      },
      onError: ({ message, item }) => {
        addLog(`onError ${message}`)
        showResult('error', `Error: ${message}${item ? ` (item ${(item as { id: string }).id})` : ''}`)
      },
      onClose: () => {
        addLog('onClose')
        openButton.disabled = false
        openButton.focus()
      },
    })
  } catch (error) {
    showResult('error', `Could not open the widget: ${(error as Error).message}`)
    openButton.disabled = false
  }
})
