import { DBOS, type DBOSSerializer } from '@dbos-inc/dbos-sdk'
import type pg from 'pg'
import { sandboxProducts, type SandboxProducts } from '../../src/connectors/sandbox/sandbox-data-cache.ts'
import { SANDBOX_PASSWORD } from '../../src/connectors/sandbox/sandbox-connectors.ts'
import { withTransaction } from '../../src/store/database.ts'
import { mergePeerData, recordStatus, type PeerCollected, type PeerExecution } from './peer-store.ts'

/** The DBOS application: its name, version and queue, and the workflow the bench enqueues by name. */
export const PEER_APPLICATION = 'tributary-peer'
export const PEER_VERSION = 'bench'
export const PEER_QUEUE = 'executions'
export const PEER_WORKFLOW = 'execution'
/** What a peer process prints once DBOS has launched. */
export const PEER_STARTED = 'peer started'
/**
 * Checkpoints as plain JSON: what the steps return is plain data, and DBOS's default (SuperJSON,
 * which also keeps Dates, Maps and the like) costs the peer's processes more CPU for nothing here.
 */
export const PEER_SERIALIZER: DBOSSerializer = {
  name: () => 'json',
  stringify: (value) => JSON.stringify(value ?? null),
  parse: (text) => (text == null ? null : JSON.parse(text)),
}
/** Connections of each pool (DBOS's and the execution's), as Tributary's pool on PostgreSQL. */
export const POOL_SIZE = 20

const PRODUCT_DETAILS = ['accounts', 'creditCards', 'transactions', 'investments', 'investmentTransactions', 'paymentData', 'identity', 'opportunities', 'loans', 'accountStatements'] as const

/**
 * The peer: Tributary's execution of a `user-ok` item written as a DBOS Transact workflow. Each
 * step of the execution is one DBOS step that records the status reached (item, timeline entry,
 * event) and then asks the sandbox institution for its product — the same generator and the
 * same kept datasets the sandbox connectors use — and DBOS checkpoints what the step returns, so
 * that a workflow that resumes after a crash does not collect it again. The last step merges the
 * collected data and records the final status in one transaction. Call before DBOS.launch().
 */
export function registerPeerWorkflow(db: pg.Pool): (execution: PeerExecution) => Promise<void> {
  async function execution(run: PeerExecution): Promise<void> {
    let expected = 'CREATED'
    const step = async <T>(executionStatus: string, collect: (institution: SandboxProducts) => T, events: { type: string; payload: Record<string, unknown> }[] = []): Promise<T> => {
      const result = await DBOS.runStep(
        async () => {
          await recordStatus(db, run, { expected, executionStatus, status: 'UPDATING', at: new Date() }, events)
          return collect(sandboxProducts({ user: run.user, now: new Date(), transactionMultiplier: 1 }))
        },
        { name: executionStatus },
      )
      expected = executionStatus
      return result
    }
    try {
      await step('LOGIN_IN_PROGRESS', () => {
        if (run.password !== SANDBOX_PASSWORD) throw new Error('invalid credentials')
        return null
      })
      const accounts = await step('ACCOUNTS_IN_PROGRESS', (bank) => bank.accounts(), [{ type: 'item/login_succeeded', payload: {} }])
      const creditCards = await step('CREDITCARDS_IN_PROGRESS', (bank) => bank.creditCards())
      const transactions = await step('TRANSACTIONS_IN_PROGRESS', (bank) => bank.transactions(new Set([...accounts, ...creditCards].map((a) => a.providerId))))
      const investments = await step('INVESTMENTS_IN_PROGRESS', (bank) => bank.investments())
      const investmentTransactions = await step('INVESTMENT_TRANSACTIONS_IN_PROGRESS', (bank) => bank.investmentTransactions(new Set(investments.map((i) => i.providerId))))
      const paymentData = await step('PAYMENT_DATA_IN_PROGRESS', (bank) => bank.paymentData(transactions))
      const identity = await step('IDENTITY_IN_PROGRESS', (bank) => bank.identity())
      const opportunities = await step('OPPORTUNITIES_IN_PROGRESS', (bank) => bank.opportunities())
      const loans = await step('LOANS_IN_PROGRESS', (bank) => bank.loans())
      const accountStatements = await step('ACCOUNT_STATEMENTS_IN_PROGRESS', (bank) => bank.accountStatements(new Set(accounts.map((a) => a.providerId))))
      await step('MERGING', () => null)
      const collected: PeerCollected = { accounts, creditCards, transactions, investments, investmentTransactions, paymentData, identity, opportunities, loans, accountStatements }
      await DBOS.runStep(() => finish(db, run, collected), { name: 'SUCCESS' })
    } catch (error) {
      // Ends the execution, so that the bench sees it did not succeed rather than wait for it.
      await DBOS.runStep(() => fail(db, run, error), { name: 'ERROR' })
    }
  }
  return DBOS.registerWorkflow(execution, { name: PEER_WORKFLOW })
}

/** The merge and the final status, in one transaction. */
async function finish(db: pg.Pool, run: PeerExecution, collected: PeerCollected): Promise<void> {
  const at = new Date()
  await withTransaction(db, async (tx) => {
    const created = await mergePeerData(tx, run, collected, at)
    const detail = { isUpdated: true, lastUpdatedAt: at.toISOString(), warnings: [] }
    const events = [
      { type: 'item/updated', payload: {} },
      ...[...created].map(([accountId]) => ({
        type: 'transactions/created',
        payload: { accountId, transactionsCreatedAtFrom: at.toISOString(), createdTransactionsLink: `/transactions?accountId=${accountId}&createdAtFrom=${at.toISOString()}` },
      })),
    ]
    const statusDetail = Object.fromEntries(PRODUCT_DETAILS.map((product) => [product, detail]))
    await recordStatus(tx, run, { expected: 'MERGING', executionStatus: 'SUCCESS', status: 'UPDATED', at, final: { statusDetail } }, events)
  })
}

async function fail(db: pg.Pool, run: PeerExecution, error: unknown): Promise<void> {
  await db.query(`update executions set status = 'ERROR', error = $2, finished_at = now() where id = $1`, [run.executionId, JSON.stringify({ message: String(error) })])
}
