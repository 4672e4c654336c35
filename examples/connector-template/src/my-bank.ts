/**
 * My Bank: a connector template. It talks to a (pretend) institution over HTTP:
 *
 *   POST /v1/sessions              { username, password }  → { sessionToken, challenge | null }
 *   POST /v1/sessions/challenge    { challengeId, answer } → { challenge | null }   (SMS code, then maybe a security question)
 *   GET  /v1/accounts                                       → { accounts: [...] }
 *   GET  /v1/accounts/{id}/statement?from=YYYY-MM-DD&page=N → { entries: [...], nextPage | null }
 *
 * What it shows: credential fields, login with typed errors, 2-step MFA through `ctx.askUser`
 * (asked once or twice), the ACCOUNTS and TRANSACTIONS products, a warning, a product failure
 * (→ PARTIAL_SUCCESS), retries with `ctx.sleep`, cancellation through `ctx.signal`, and logging
 * without secrets. Copy it, rename it, and replace the API calls with your institution's.
 *
 * Load it into a server with `TRIBUTARY_CONNECTORS=./src/my-bank.ts` (the default export below;
 * `MY_BANK_URL` says where the institution answers).
 */
import {
  accountLocked,
  accountNeedsAction,
  alreadyLoggedIn,
  connectionError,
  defineConnector,
  invalidCredentials,
  invalidCredentialsMfa,
  productFailed,
  siteNotAvailable,
  unexpectedError,
  type CollectedAccount,
  type CollectedTransaction,
  type ConnectorContext,
  type ConnectorDefinition,
  type MfaRequest,
} from './sdk.ts'

/** Connector ids are integers, unique in the engine; 0–4 are the sandbox banks. */
export const MY_BANK_ID = 1000

export interface MyBankOptions {
  /** Where the institution's API answers, e.g. `https://api.mybank.example`. */
  baseUrl: string
  /** First wait before retrying a read the bank answered 429/503 (doubles each attempt). Default 1000. */
  retryDelayMs?: number
  /** Attempts per read before giving up. Default 3. */
  maxAttempts?: number
  /** Days of statement collected on every execution. Default 90. */
  historyDays?: number
}

// ---------------------------------------------------------------------------------------------
// The institution's API, as its documentation (or your recordings) describe it

type BankChallenge = { id: string; kind: 'SMS_CODE'; destination: string } | { id: string; kind: 'SECURITY_QUESTION'; question: string; options: { id: string; text: string }[] }

interface BankAccount {
  id: string
  kind: 'checking' | 'savings'
  number: string
  name: string
  product: string
  balance: number
  currency: string
  holder: string
  /** The bank could not refresh the balance; it is the last known one. */
  balanceStale?: boolean
}

interface BankStatementEntry {
  id: string
  /** null while the entry is not booked (pending). */
  bookedAt: string | null
  valueDate: string
  description: string
  /** Negative for money out. */
  amount: number
  currency: string
}

/** A non-2xx answer of the bank, with its error body when it sent one. */
class BankHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: { error?: string; message?: string } | null,
    readonly path: string,
  ) {
    super(`My Bank answered ${status} to ${path}${body?.error ? ` (${body.error})` : ''}`)
    this.name = 'BankHttpError'
  }
}

/** One execution's conversation with the bank. Holds the session token — never log it. */
class BankClient {
  private token: string | null = null

  constructor(
    private readonly ctx: ConnectorContext,
    private readonly options: Required<MyBankOptions>,
  ) {}

  get log(): ConnectorContext['log'] {
    return this.ctx.log
  }

  startSession(token: string): void {
    this.token = token
  }

  async call<T>(method: 'GET' | 'POST', path: string, options: { body?: unknown; retry?: boolean } = {}): Promise<T> {
    const { ctx } = this
    let delayMs = this.options.retryDelayMs
    for (let attempt = 1; ; attempt++) {
      let response: Response
      let text: string
      try {
        // ctx.signal aborts the request when the item is deleted or the execution passes its deadline.
        response = await fetch(new URL(path, this.options.baseUrl), {
          method,
          signal: ctx.signal,
          headers: {
            accept: 'application/json',
            ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
          },
          ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        })
        text = await response.text()
      } catch (error) {
        // Cancelled: let the abort reason through untouched; the engine ends the execution.
        if (ctx.signal.aborted) throw ctx.signal.reason
        throw connectionError(undefined, { message: `My Bank could not be reached (${method} ${path})`, cause: error })
      }
      const body = parseJson(text)
      if (response.ok) return body as T
      if (options.retry && (response.status === 429 || response.status === 503) && attempt < this.options.maxAttempts) {
        ctx.log.warn('My Bank asked to retry later', { path: redactPath(path), status: response.status, attempt, delayMs })
        await ctx.sleep(delayMs) // rejects when the execution is cancelled
        delayMs *= 2
        continue
      }
      throw new BankHttpError(response.status, body as BankHttpError['body'], redactPath(path))
    }
  }
}

function parseJson(text: string): unknown {
  if (!text) return null
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/** Account ids may be sensitive at some institutions; keep only the shape of the path in logs. */
const redactPath = (path: string) => path.replace(/\/accounts\/[^/?]+/, '/accounts/:id').replace(/\?.*$/, '')

// ---------------------------------------------------------------------------------------------
// Mapping the bank's answers to the SDK's typed errors (docs/connectors.md, "Typed errors")

function loginFailure(ctx: ConnectorContext, error: unknown): unknown {
  if (!(error instanceof BankHttpError)) return error // already typed (connectionError) or a cancellation
  const said = error.body?.message // the institution's own words → item.error.providerMessage
  switch (error.body?.error) {
    case 'INVALID_LOGIN':
      return invalidCredentials(said)
    case 'ACCOUNT_LOCKED':
      return accountLocked(said)
    case 'SESSION_ACTIVE':
      return alreadyLoggedIn(said)
    case 'TERMS_NOT_ACCEPTED':
      return accountNeedsAction(said)
    case 'MAINTENANCE':
      return siteNotAvailable(said)
  }
  // The engine logs the outcome, not a typed error's message or cause: say what happened here.
  ctx.log.warn('My Bank answered the login unexpectedly', { status: error.status, path: error.path, bankError: error.body?.error })
  if (error.status >= 500) return siteNotAvailable(said, { cause: error })
  return unexpectedError(said, { message: error.message, cause: error })
}

function challengeFailure(ctx: ConnectorContext, error: unknown): unknown {
  if (error instanceof BankHttpError && error.body?.error === 'INVALID_CHALLENGE_ANSWER') return invalidCredentialsMfa(error.body.message)
  return loginFailure(ctx, error)
}

/** What the user is asked for each kind of challenge (`item.parameter`, SPEC §2.3). */
function mfaRequestFor(challenge: BankChallenge): MfaRequest {
  switch (challenge.kind) {
    case 'SMS_CODE':
      return {
        name: 'otp',
        label: 'Code sent by SMS',
        type: 'number',
        placeholder: '123456',
        validation: '^\\d{6}$',
        validationMessage: 'The code has 6 digits.',
        assistiveText: `My Bank sent a 6-digit code to ${challenge.destination}.`,
      }
    case 'SECURITY_QUESTION':
      return {
        name: 'securityAnswer',
        label: challenge.question,
        type: 'select',
        options: challenge.options.map((o) => ({ value: o.id, label: o.text })),
        assistiveText: 'My Bank asks this once on a new device.',
      }
  }
}

/** The bank never asks more than this many challenges in one login; more means something is wrong. */
const MAX_CHALLENGES = 3

// ---------------------------------------------------------------------------------------------
// Mapping the bank's data to the collected shapes

function toAccount(account: BankAccount): CollectedAccount {
  return {
    providerId: account.id, // stable across executions: the engine keeps the account's id
    type: 'BANK',
    subtype: account.kind === 'savings' ? 'SAVINGS_ACCOUNT' : 'CHECKING_ACCOUNT',
    number: account.number,
    name: account.name,
    marketingName: account.product,
    balance: account.balance,
    currencyCode: account.currency,
    owner: account.holder,
  }
}

function toTransaction(accountId: string, entry: BankStatementEntry): CollectedTransaction {
  return {
    providerId: entry.id, // lets a PENDING entry keep its id when it is booked
    accountProviderId: accountId,
    date: entry.bookedAt ?? `${entry.valueDate}T00:00:00.000Z`,
    description: entry.description,
    descriptionRaw: entry.description,
    currencyCode: entry.currency,
    amount: entry.amount,
    status: entry.bookedAt ? 'POSTED' : 'PENDING',
    type: entry.amount < 0 ? 'DEBIT' : 'CREDIT',
  }
}

// ---------------------------------------------------------------------------------------------
// The connector

/**
 * Makes the My Bank connector for an institution at `options.baseUrl` (tests point it at a fake).
 * @example
 * const connector = createMyBankConnector({ baseUrl: 'https://api.mybank.example' })
 */
export function createMyBankConnector(options: MyBankOptions): Readonly<ConnectorDefinition> {
  const settings: Required<MyBankOptions> = { retryDelayMs: 1000, maxAttempts: 3, historyDays: 90, ...options }
  // One connector object serves every execution, concurrently: per-execution state (the bank
  // session) is keyed by the execution's context, never kept in module or closure variables.
  const clients = new WeakMap<ConnectorContext, BankClient>()
  const clientOf = (ctx: ConnectorContext): BankClient => {
    const client = clients.get(ctx)
    if (!client) throw new Error('My Bank: no session for this execution (login did not run)')
    return client
  }

  return defineConnector({
    id: MY_BANK_ID,
    name: 'My Bank',
    type: 'PERSONAL_BANK',
    country: 'BR',
    institutionUrl: 'https://www.mybank.example',
    primaryColor: '#0B5FFF',
    credentials: [
      { name: 'user', label: 'User', type: 'text', placeholder: 'Your internet banking user', validation: '^\\S{3,64}$', validationMessage: 'The user has 3 to 64 characters, no spaces.' },
      { name: 'password', label: 'Password', type: 'password' },
    ],
    // The bank may ask for an SMS code (and sometimes a security question) after the password.
    hasMFA: true,
    products: ['ACCOUNTS', 'TRANSACTIONS'],

    async login(ctx) {
      const client = new BankClient(ctx, settings)
      clients.set(ctx, client)
      const { user, password } = ctx.credentials
      let session: { sessionToken: string; challenge: BankChallenge | null }
      try {
        session = await client.call('POST', '/v1/sessions', { body: { username: user, password } })
      } catch (error) {
        throw loginFailure(ctx, error)
      }
      client.startSession(session.sessionToken)

      let challenge = session.challenge
      for (let asked = 0; challenge; asked++) {
        if (asked === MAX_CHALLENGES) throw unexpectedError(undefined, { message: `My Bank asked more than ${MAX_CHALLENGES} challenges` })
        // Pauses the execution (WAITING_USER_INPUT) until the user answers through POST /items/{id}/mfa.
        // A timeout or cancellation rejects: let it propagate.
        const answer = await ctx.askUser(mfaRequestFor(challenge))
        try {
          const next = await client.call<{ challenge: BankChallenge | null }>('POST', '/v1/sessions/challenge', { body: { challengeId: challenge.id, answer } })
          challenge = next.challenge
        } catch (error) {
          throw challengeFailure(ctx, error)
        }
      }
      // Fields are fine to log; credentials, codes and tokens are not.
      ctx.log.info('logged in to My Bank')
    },

    async fetchAccounts(ctx) {
      const accounts = await listAccounts(clientOf(ctx))
      for (const account of accounts.filter((a) => a.balanceStale)) {
        // A warning keeps the product collected; it shows in item.statusDetail.accounts.warnings.
        ctx.warn('ACCOUNTS', {
          code: 'BALANCE_STALE',
          message: `The balance of account ${account.name} is the last one the bank could read; it may be out of date.`,
        })
      }
      return accounts.map(toAccount)
    },

    async fetchTransactions(ctx, collected) {
      const client = clientOf(ctx)
      // Statements of the accounts collected in this execution: the engine keeps only transactions
      // whose accountProviderId names an account collected alongside them.
      const accountIds = collected.accounts.map((a) => a.providerId)
      const from = new Date(ctx.now().getTime() - settings.historyDays * 86_400_000).toISOString().slice(0, 10)
      const transactions: CollectedTransaction[] = []
      for (const accountId of accountIds) {
        for (let page: number | null = 1; page !== null; ) {
          let answer: { entries: BankStatementEntry[]; nextPage: number | null }
          try {
            answer = await client.call('GET', `/v1/accounts/${encodeURIComponent(accountId)}/statement?from=${from}&page=${page}`, { retry: true })
          } catch (error) {
            // The statement is down: only TRANSACTIONS fails; the execution ends PARTIAL_SUCCESS
            // and the transactions stored by earlier executions are kept.
            if (error instanceof BankHttpError) throw productFailed('My Bank did not return the account statement.', error.body?.message)
            throw error
          }
          transactions.push(...answer.entries.map((entry) => toTransaction(accountId, entry)))
          page = answer.nextPage
        }
      }
      return transactions
    },
  })
}

async function listAccounts(client: BankClient): Promise<BankAccount[]> {
  try {
    return (await client.call<{ accounts: BankAccount[] }>('GET', '/v1/accounts', { retry: true })).accounts
  } catch (error) {
    // Without the account list nothing can be collected: end the execution, keep stored data.
    if (error instanceof BankHttpError) {
      client.log.warn('My Bank did not list the accounts', { status: error.status, bankError: error.body?.error })
      throw siteNotAvailable(error.body?.message, { cause: error })
    }
    throw error
  }
}

/** What `TRIBUTARY_CONNECTORS=./src/my-bank.ts` loads. */
export default createMyBankConnector({ baseUrl: process.env.MY_BANK_URL ?? 'https://api.mybank.example' })
