import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createSandboxData } from './sandbox-data.ts'

/**
 * The sandbox data is a pure function of (user, day, multiplier), and items already stored by
 * users keep their providerIds only while it stays that function. These fingerprints were taken
 * from the generator and pin its output byte for byte: a refactoring must leave them alone, and
 * a deliberate change to the data updates them in the same commit, saying why.
 */

/** JSON with sorted keys that also tells `undefined` members and -0 apart from absent ones and 0. */
function canonical(value: unknown): string {
  if (value === undefined) return 'undefined'
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : Number.isFinite(value) ? String(value) : `"${value}"`
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  throw new TypeError(`no canonical form for ${Object.prototype.toString.call(value)}`)
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

interface Case {
  user: string
  now: string
  multiplier?: number
}

const CASES: readonly Case[] = [
  { user: 'user-ok', now: '2026-03-15T14:30:00.000Z' },
  { user: 'user-ok', now: '2026-03-16T00:00:00.000Z' },
  { user: 'user-ok', now: '2026-05-04T23:59:59.999Z' },
  // Across a year boundary.
  { user: 'user-ok', now: '2025-01-01T08:00:00.000Z' },
  // A leap day, early enough that the investments are bought "120 days ago" rather than on their fixed day.
  { user: 'user-ok-account-warning', now: '2024-02-29T12:00:00.000Z' },
  { user: 'user-a', now: '2024-03-10T12:00:00.000Z' },
  { user: 'user-b', now: '2030-12-31T12:00:00.000Z' },
  { user: 'Ünïcode user ☃', now: '2026-03-15T14:30:00.000Z' },
  { user: '', now: '2026-03-15T14:30:00.000Z' },
  { user: 'user-ok-perf-0', now: '2026-03-15T14:30:00.000Z', multiplier: 0 },
  { user: 'user-ok-perf-3', now: '2026-03-15T14:30:00.000Z', multiplier: 3 },
  { user: 'user-ok-perf-50', now: '2026-06-01T10:00:00.000Z', multiplier: 50 },
  // Out-of-range multipliers are clamped to 0..5000 and truncated.
  { user: 'user-ok', now: '2026-03-15T14:30:00.000Z', multiplier: 2.7 },
  { user: 'user-ok', now: '2026-03-15T14:30:00.000Z', multiplier: -4 },
  { user: 'user-ok', now: '2026-03-15T14:30:00.000Z', multiplier: Number.NaN },
]

const PRODUCTS = [
  'accounts',
  'creditCards',
  'transactions',
  'investments',
  'investmentTransactions',
  'paymentData',
  'identity',
  'opportunities',
  // The filtered forms the connectors ask for.
  'checkingTransactions',
  'cdbTransactions',
] as const
type Fingerprinted = (typeof PRODUCTS)[number]

function caseName(c: Case): string {
  return `${JSON.stringify(c.user)} on ${c.now}${c.multiplier === undefined ? '' : ` x${c.multiplier}`}`
}

/** The canonical JSON of every product of one case. */
function productsOf(c: Case): Record<Fingerprinted, string> {
  const data = createSandboxData({ user: c.user, now: new Date(c.now), transactionMultiplier: c.multiplier })
  const all = data.all()
  return {
    accounts: canonical(all.accounts),
    creditCards: canonical(all.creditCards),
    transactions: canonical(all.transactions),
    investments: canonical(all.investments),
    investmentTransactions: canonical(all.investmentTransactions),
    paymentData: canonical(all.paymentData),
    identity: canonical(all.identity),
    opportunities: canonical(all.opportunities),
    checkingTransactions: canonical(data.transactions(new Set([data.checkingId]))),
    cdbTransactions: canonical(data.investmentTransactions(new Set([all.investments[0].providerId]))),
  }
}

const generated = CASES.map(productsOf)

/**
 * Recorded twice over: per case (every product of it) and per product (that product over every
 * case), so a change names both the case and the product it is in.
 */
const RECORDED_BY_CASE: Record<string, string> = {
  '"user-ok" on 2026-03-15T14:30:00.000Z': '953d2062b9a7bdf916457d06456cc917b891111498b74b2b5c22945463c7e276',
  '"user-ok" on 2026-03-16T00:00:00.000Z': '80d932503d4000322127e34048adf65d6f0d12c0ed4edee7e6d0cdbda9b75b0a',
  '"user-ok" on 2026-05-04T23:59:59.999Z': 'ce3c8f777a864ae444ea4a8822d8e197dca42a602b733ab0328533fa903c3628',
  '"user-ok" on 2025-01-01T08:00:00.000Z': 'ed724aa7a649da27deaa5f975cbdb007bc492d216d64169e4e4c64a02d1c9fa8',
  '"user-ok-account-warning" on 2024-02-29T12:00:00.000Z': '799397626553f4ae27dfe6315120fe3d6ec11278a4fb0c4bca4d3e51930f8b14',
  '"user-a" on 2024-03-10T12:00:00.000Z': 'f8577ed67def869d725c5d71c5848c7f6d7138a0b6e719abfd93167ed228448c',
  '"user-b" on 2030-12-31T12:00:00.000Z': 'ef455e72c17feda2bc788a651ded0e159509781e28ab1a3f631aa0708ae16f71',
  '"Ünïcode user ☃" on 2026-03-15T14:30:00.000Z': 'a090beab31b79d9005c1c510cdc8d4d3eb801a99c8f511290c28443ce8083534',
  '"" on 2026-03-15T14:30:00.000Z': 'ec72770b21e363acbc24818c998dadc5630996f964d1730e9b24ad8a65c2a082',
  '"user-ok-perf-0" on 2026-03-15T14:30:00.000Z x0': 'f91c49bd32a32ecf3cadfd58b234a42e0b252140201a9105750fa81f79f94ab7',
  '"user-ok-perf-3" on 2026-03-15T14:30:00.000Z x3': 'ffaa525910414be23aa700fae56d3d421c9dd8304b0e1dbef51a487b4a71c10f',
  '"user-ok-perf-50" on 2026-06-01T10:00:00.000Z x50': '89dc46a74228d11d00a9164e8517600e75a5308c90605102c50d85fdcc5a99f8',
  '"user-ok" on 2026-03-15T14:30:00.000Z x2.7': '4076df9debf58e1d0e0812fb42cc0f125b4b21fac2ed16168909454f69320fa4',
  '"user-ok" on 2026-03-15T14:30:00.000Z x-4': 'bbaf85af17a2ca8fe298dae128b44e023874955d60bebbfd4941a6f5ce9ab316',
  // A multiplier that is not a number counts as 1: the same data as the first case.
  '"user-ok" on 2026-03-15T14:30:00.000Z xNaN': '953d2062b9a7bdf916457d06456cc917b891111498b74b2b5c22945463c7e276',
}
const RECORDED_BY_PRODUCT: Record<Fingerprinted, string> = {
  accounts: '92fa1b24cf9622b26dec3f5cffef8257d32e580b2cec8b6a748377bbf00637c4',
  creditCards: 'a62bd609cf5383b42ed134fb2b6db11b2a8a5a675b9a9548b53b35160d2ba07b',
  transactions: '4fceb0ad9b408ea1fd5c7ddb91b9e4364adce09797d012e83dd6b3c99693f3b4',
  investments: 'c91be46459683d38b98a49aa71eb817fd549b435b91ea7443b8d521bbd524ccb',
  investmentTransactions: '6d47dddf83b1648d1db0ecd78c13746f2bb8427c5d228a509b4add3edcc563fa',
  paymentData: 'c1f6e582e4b148b8c93caa873d2ec1b745378a032bd59051083f6e3fde949d47',
  identity: '5a1cf7cec121446c37f9829c588d7fe81f56262458aac44ed201e2e65f149f34',
  opportunities: 'acc84827b9e19e345100a6dddb43f8df7fc85ee2a6787b608068636ee47bcdbb',
  checkingTransactions: '8924c575feab02b1f672853a4ff714fd7b360f6751e951bfc7bb4cfe1a7b20a8',
  cdbTransactions: 'd444e4fe673071d518b4aa256483a3e29d6c30bcb263685cee76d9018f0df068',
}

describe('sandbox data fingerprints', () => {
  it('canonical JSON tells apart what JSON.stringify does not', () => {
    expect(canonical({ b: 1, a: [null, undefined] })).toBe('{"a":[null,undefined],"b":1}')
    expect(canonical({ a: undefined })).not.toBe(canonical({}))
    expect(canonical(-0)).not.toBe(canonical(0))
    expect(() => canonical(new Date(0))).toThrow(TypeError)
  })

  CASES.forEach((c, i) => {
    it(`every product of ${caseName(c)} is the data recorded`, () => {
      expect(sha256(PRODUCTS.map((p) => generated[i][p]).join('\n'))).toBe(RECORDED_BY_CASE[caseName(c)])
    })
  })

  for (const product of PRODUCTS) {
    it(`${product} of every case is the data recorded`, () => {
      expect(sha256(generated.map((g) => g[product]).join('\n'))).toBe(RECORDED_BY_PRODUCT[product])
    })
  }

})
