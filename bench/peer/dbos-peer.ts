import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DBOS, DBOSClient } from '@dbos-inc/dbos-sdk'
import { openDatabase } from '../../src/store/database.ts'
import { migrate } from '../../src/store/migrate.ts'
import { BENCH_CLIENT, checkpoint, freshDatabaseUrl } from '../bench-database.ts'
import type { RunCost } from '../execution-cost.ts'
import { executionsRate, runProcessesUntilDone } from '../worker-processes.ts'
import { createPeerItems } from './peer-store.ts'
import { PEER_APPLICATION, PEER_QUEUE, PEER_SERIALIZER, PEER_STARTED, PEER_VERSION, PEER_WORKFLOW } from './peer-workflow.ts'

const WORKER_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dbos-worker.ts')
/**
 * How often each peer process looks for queued workflows. DBOS polls its queues on a timer (1 s
 * by default), so with the default the place of a finished workflow stays empty for up to a
 * second. At 20 or 200 ms it ran about 40% faster than at 1 s, for no more CPU.
 */
const POLLING_INTERVAL_MS = 20

/**
 * The peer's rate: `executions` executions of `user-ok` as DBOS workflows in `processes`
 * processes with `concurrency` workflows each, measured as Tributary's engine is. In a database
 * of its own on the server of `baseUrl`, with Tributary's tables (its migrations) beside DBOS's:
 * the items and their executions are created and the workflows queued first, held until every
 * process has started; the rate runs from the first login to the last finish, by the executions'
 * timelines. Also what the run cost.
 */
export async function peerExecutionsPerSecond(baseUrl: string, options: { executions: number; concurrency: number; processes: number }): Promise<{ rate: number; cost: RunCost }> {
  const database = await freshDatabaseUrl(baseUrl)
  const url = database.url!
  const db = await openDatabase({ databaseUrl: url, dataDir: ':memory:' })
  try {
    await migrate(db.pool, db.connectionString)
    await db.pool.query(`insert into clients (id, secret_enc) values ($1, 'peer')`, [BENCH_CLIENT.clientId])
    await DBOS.migrate(url)
    const runs = await createPeerItems(db.pool, BENCH_CLIENT.clientId, options.executions, { user: 'user-ok', password: 'password-ok' })
    const client = await DBOSClient.create({ systemDatabaseUrl: url, applicationName: PEER_APPLICATION, serializer: PEER_SERIALIZER })
    try {
      await client.registerQueue(PEER_QUEUE, { workerConcurrency: options.concurrency, minPollingIntervalMs: POLLING_INTERVAL_MS })
      // Delayed a day: held until every process has started (DBOS's own delayed workflows).
      for (let queued = 0; queued < runs.length; queued += 100) {
        await Promise.all(runs.slice(queued, queued + 100).map((run) => client.enqueue({ queueName: PEER_QUEUE, workflowName: PEER_WORKFLOW, appVersion: PEER_VERSION, delaySeconds: 86_400 }, run)))
      }
    } finally {
      await client.destroy()
    }
    await checkpoint(db.pool)
    const { cost } = await runProcessesUntilDone(db.pool, {
      count: options.processes,
      script: WORKER_SCRIPT,
      args: [],
      env: { PEER_DATABASE_URL: url },
      startedWhen: PEER_STARTED,
      // What DBOS.setWorkflowDelay does, for every held workflow in one statement.
      release: () => db.pool.query(`update dbos.workflow_status set delay_until_epoch_ms = 0 where status = 'DELAYED' and queue_name = $1`, [PEER_QUEUE]),
      measureCost: true,
    })
    return { rate: await executionsRate(db.pool, options.executions), cost: cost! }
  } finally {
    await db.close()
    await database.drop()
  }
}
