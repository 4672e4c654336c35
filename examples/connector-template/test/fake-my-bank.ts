/**
 * A pretend My Bank: a real HTTP server on a loopback port that speaks the institution's API the
 * way the connector expects it, with a few users that each exercise one path of the connector.
 * Replace it with recorded answers of your real institution (never real credentials).
 *
 * | user    | password        | what the bank does                                                  |
 * |---------|-----------------|---------------------------------------------------------------------|
 * | bob     | hunter2         | no MFA; the first statement request answers 503 once; stale balance |
 * | alice   | correct-horse   | SMS code 123456                                                     |
 * | carol   | s3cret-carol    | SMS code 123456, then a security question (answer "blue")           |
 * | dave    | dave-pass       | no MFA; statements always answer 503                                |
 * | erin    | erin-pass       | no MFA; statement requests never answer (cancellation)              |
 * | mallory | mallory-pass    | account locked                                                      |
 */
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export const SMS_CODE = '123456'

interface FakeUser {
  password: string
  sms?: boolean
  securityAnswer?: string
  locked?: boolean
  /** How many statement requests answer 503 before they succeed (Infinity: always). */
  statementFailures?: number
  /** Statement requests never answer. */
  hangStatements?: boolean
  staleSavingsBalance?: boolean
}

const USERS: Record<string, FakeUser> = {
  bob: { password: 'hunter2', statementFailures: 1, staleSavingsBalance: true },
  alice: { password: 'correct-horse', sms: true },
  carol: { password: 's3cret-carol', sms: true, securityAnswer: 'blue' },
  dave: { password: 'dave-pass', statementFailures: Infinity },
  erin: { password: 'erin-pass', hangStatements: true },
  mallory: { password: 'mallory-pass', locked: true },
}

interface Session {
  user: string
  /** Challenges still to answer, in order; the session is authenticated when empty. */
  challenges: { id: string; kind: 'SMS_CODE' | 'SECURITY_QUESTION' }[]
  statementFailuresLeft: number
}

export interface FakeMyBank {
  url: string
  /** Every request the bank received, in order: `METHOD /path → status` (`→ aborted` when the client gave up). */
  readonly requests: string[]
  /** Statement requests the bank is holding open (user erin). */
  readonly hanging: Set<ServerResponse>
  close(): Promise<void>
}

const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10)

function accountsOf(user: string, stale: boolean) {
  return [
    { id: `${user}-chk`, kind: 'checking', number: '0001/12345-6', name: 'Conta Corrente', product: 'My Bank Conta Digital', balance: 1520.37, currency: 'BRL', holder: user.toUpperCase() },
    { id: `${user}-sav`, kind: 'savings', number: '0001/65432-1', name: 'Poupança', product: 'My Bank Poupança', balance: 10_000, currency: 'BRL', holder: user.toUpperCase(), balanceStale: stale },
  ]
}

/** Five entries per account, newest first; the newest is not booked yet (pending). */
function entriesOf(accountId: string) {
  return [0, 1, 3, 8, 20].map((offset, i) => ({
    id: `${accountId}-e${i}`,
    bookedAt: offset === 0 ? null : `${day(offset)}T12:00:00.000Z`,
    valueDate: day(offset),
    description: ['PIX RECEBIDO JOAO', 'MERCADO BOM PRECO', 'SALARIO ACME LTDA', 'CONTA DE LUZ', 'RESTAURANTE SABOR'][i],
    amount: [120, -87.5, 5400, -210.33, -64.9][i],
    currency: 'BRL',
  }))
}

const PAGE_SIZE = 2

export async function startFakeMyBank(): Promise<FakeMyBank> {
  const sessions = new Map<string, Session>()
  const requests: string[] = []
  const hanging = new Set<ServerResponse>()

  const readBody = async (req: IncomingMessage): Promise<any> => {
    let text = ''
    for await (const chunk of req) text += chunk
    return text ? JSON.parse(text) : {}
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://bank')
    const line = `${req.method} ${url.pathname}`
    const send = (status: number, body: unknown) => {
      requests.push(`${line} → ${status}`)
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    }
    const token = req.headers.authorization?.replace(/^Bearer /, '') ?? ''
    const session = sessions.get(token)
    const body = await readBody(req)

    if (req.method === 'POST' && url.pathname === '/v1/sessions') {
      const user = USERS[body.username]
      if (!user || user.password !== body.password) return send(401, { error: 'INVALID_LOGIN', message: 'Usuário ou senha incorretos.' })
      if (user.locked) return send(423, { error: 'ACCOUNT_LOCKED', message: 'Conta bloqueada. Procure sua agência.' })
      const challenges: Session['challenges'] = []
      if (user.sms) challenges.push({ id: randomUUID(), kind: 'SMS_CODE' })
      if (user.securityAnswer) challenges.push({ id: randomUUID(), kind: 'SECURITY_QUESTION' })
      const sessionToken = randomUUID()
      sessions.set(sessionToken, { user: body.username, challenges, statementFailuresLeft: user.statementFailures ?? 0 })
      return send(201, { sessionToken, challenge: describeChallenge(challenges[0]) })
    }

    if (!session) return send(401, { error: 'SESSION_EXPIRED', message: 'Sessão expirada.' })
    const user = USERS[session.user]

    if (req.method === 'POST' && url.pathname === '/v1/sessions/challenge') {
      const [current] = session.challenges
      if (!current || current.id !== body.challengeId) return send(409, { error: 'NO_SUCH_CHALLENGE' })
      const expected = current.kind === 'SMS_CODE' ? SMS_CODE : user.securityAnswer
      if (body.answer !== expected) {
        sessions.delete(token)
        return send(401, { error: 'INVALID_CHALLENGE_ANSWER', message: 'Código inválido.' })
      }
      session.challenges.shift()
      return send(200, { challenge: describeChallenge(session.challenges[0]) })
    }

    if (session.challenges.length > 0) return send(403, { error: 'CHALLENGE_PENDING' })

    if (req.method === 'GET' && url.pathname === '/v1/accounts') {
      return send(200, { accounts: accountsOf(session.user, Boolean(user.staleSavingsBalance)) })
    }

    const statement = /^\/v1\/accounts\/([^/]+)\/statement$/.exec(url.pathname)
    if (req.method === 'GET' && statement) {
      if (user.hangStatements) {
        hanging.add(res)
        res.on('close', () => {
          hanging.delete(res)
          if (!res.writableEnded) requests.push(`${line} → aborted`)
        })
        return
      }
      if (session.statementFailuresLeft > 0) {
        session.statementFailuresLeft--
        return send(503, { error: 'TEMPORARILY_UNAVAILABLE', message: 'Extrato indisponível no momento.' })
      }
      const from = url.searchParams.get('from') ?? '0000-00-00'
      const entries = entriesOf(statement[1]).filter((e) => e.valueDate >= from)
      const page = Number(url.searchParams.get('page') ?? '1')
      const slice = entries.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
      return send(200, { entries: slice, nextPage: page * PAGE_SIZE < entries.length ? page + 1 : null })
    }

    return send(404, { error: 'NOT_FOUND' })
  })

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    hanging,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function describeChallenge(challenge: Session['challenges'][number] | undefined) {
  if (!challenge) return null
  if (challenge.kind === 'SMS_CODE') return { id: challenge.id, kind: 'SMS_CODE', destination: '(**) *****-4321' }
  return {
    id: challenge.id,
    kind: 'SECURITY_QUESTION',
    question: 'Qual é a sua cor favorita?',
    options: ['red', 'green', 'blue'].map((id) => ({ id, text: id.toUpperCase() })),
  }
}
