import { row, type BenchRow } from './report.ts'
import { serveEngine, type ServedEngine } from './served-engine.ts'

const DELAY_MS = 500

/**
 * A burst of sandbox items through a default `npm start` (compiled, embedded database), each
 * sandbox step waiting DELAY_MS: from the first POST /items to the last item's execution ended,
 * against the time one item alone takes on the same server. The per-connector cap does not apply
 * to sandbox banks, so the burst should take hardly longer than one item.
 */
export async function benchSandboxBurst(options: { quick: boolean }): Promise<BenchRow[]> {
  const items = options.quick ? 200 : 500
  const engine = await serveEngine(['npm', 'start', '--silent'], { TRIBUTARY_SANDBOX_DELAY_MS: String(DELAY_MS) })
  try {
    const apiKey = await engine.apiKey()
    // Warm-up (the first execution loads the sandbox data generator), then one item alone.
    await settle(engine, apiKey, [await createItem(engine, apiKey)])
    const alone = await burst(engine, apiKey, 1)
    const all = await burst(engine, apiKey, items)
    const ratio = all.wallMs / alone.wallMs
    return [
      row(`sandbox burst: ${items} items at once through npm start, steps of ${DELAY_MS} ms (${all.succeeded} SUCCESS): first POST → last settled vs one item's own time`, all.wallMs / 1000, 's', {
        baseline: alone.wallMs / 1000,
        ratio,
        goal: 'ratio <= 1.25',
        pass: ratio <= 1.25 && all.succeeded === items,
      }),
    ]
  } finally {
    await engine.stop()
  }
}

async function createItem(engine: ServedEngine, apiKey: string): Promise<string> {
  const reply = await fetch(`${engine.url}/items`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify({ connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' } }),
  })
  const body = (await reply.json()) as { id: string }
  if (reply.status !== 200) throw new Error(`POST /items answered ${reply.status}: ${JSON.stringify(body)}`)
  return body.id
}

async function burst(engine: ServedEngine, apiKey: string, count: number): Promise<{ wallMs: number; succeeded: number }> {
  const firstPost = Date.now()
  const ids = await Promise.all(Array.from({ length: count }, () => createItem(engine, apiKey)))
  const outcomes = await settle(engine, apiKey, ids)
  // The server's own record of when each execution ended (same machine, same clock).
  const lastEnd = Math.max(...outcomes.map((o) => o.endedAt))
  return { wallMs: lastEnd - firstPost, succeeded: outcomes.filter((o) => o.status === 'SUCCESS').length }
}

async function get<T>(engine: ServedEngine, apiKey: string, url: string): Promise<T> {
  const reply = await fetch(`${engine.url}${url}`, { headers: { 'x-api-key': apiKey } })
  if (reply.status !== 200) throw new Error(`GET ${url} answered ${reply.status}`)
  return (await reply.json()) as T
}

/**
 * Waits for every item to settle, then reads when each execution ended (the figure is the server's
 * own end times, so how often this looks changes only what looking costs the server). Items end
 * in about the order they were created: a look reads batches of 50 only until one still has an
 * item running, rather than all 500 items every 250 ms, which kept the engine's one thread busy.
 */
async function settle(engine: ServedEngine, apiKey: string, ids: string[]): Promise<{ status: string; endedAt: number }[]> {
  let pending = ids
  while (pending.length > 0) {
    await new Promise((r) => setTimeout(r, 250))
    let read = 0
    const running: string[] = []
    while (read < pending.length && running.length === 0) {
      const batch = pending.slice(read, read + 50)
      read += batch.length
      const items = await Promise.all(batch.map((id) => get<{ id: string; status: string }>(engine, apiKey, `/items/${id}`)))
      running.push(...items.filter((item) => item.status === 'UPDATING' || item.status === 'WAITING_USER_INPUT').map((item) => item.id))
    }
    pending = [...running, ...pending.slice(read)]
  }
  const outcomes: { status: string; endedAt: number }[] = []
  for (let i = 0; i < ids.length; i += 50) {
    const executions = await Promise.all(
      ids.slice(i, i + 50).map((id) => get<{ results: { status: string; finishedAt: string | null; steps: { finishedAt: string | null }[] }[] }>(engine, apiKey, `/items/${id}/executions`)),
    )
    for (const { results } of executions) {
      const last = results[0]
      outcomes.push({ status: last.status, endedAt: Date.parse(last.finishedAt ?? last.steps[last.steps.length - 1].finishedAt!) })
    }
  }
  return outcomes
}
