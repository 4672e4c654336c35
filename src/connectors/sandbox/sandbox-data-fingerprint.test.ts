import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createSandboxData } from './sandbox-data.ts'

/**
 * The sandbox data is a pure function of (user, day, generation, multiplier, kind), and items
 * already stored by users keep their providerIds only while it stays that function. These
 * fingerprints were taken from the generator and pin its output byte for byte: a refactoring must
 * leave them alone, and a deliberate change to the data updates them in the same commit, saying
 * why. (Last re-recorded when the sandbox became a ledger: balances that add up, card bills,
 * loans, statements, the reference's sign convention on the card, every field of its types.)
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
  generation?: number
  kind?: 'business'
  joint?: boolean
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
  // Later executions of an item, one with a hold on the card; a company; a joint account.
  { user: 'user-ok', now: '2026-03-15T14:30:00.000Z', generation: 2 },
  { user: 'user-ok', now: '2026-03-15T14:30:00.000Z', generation: 3 },
  { user: 'user-ok', now: '2026-03-15T14:30:00.000Z', kind: 'business' },
  { user: 'user-ok', now: '2026-03-15T14:30:00.000Z', joint: true },
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
  'loans',
  'accountStatements',
  // The filtered forms the connectors ask for.
  'checkingTransactions',
  'cdbTransactions',
] as const
type Fingerprinted = (typeof PRODUCTS)[number]

function caseName(c: Case): string {
  const extras = [c.multiplier === undefined ? '' : ` x${c.multiplier}`, c.generation ? ` g${c.generation}` : '', c.kind ? ` ${c.kind}` : '', c.joint ? ' joint' : '']
  return `${JSON.stringify(c.user)} on ${c.now}${extras.join('')}`
}

/** The canonical JSON of every product of one case. */
function productsOf(c: Case): Record<Fingerprinted, string> {
  const data = createSandboxData({ user: c.user, now: new Date(c.now), transactionMultiplier: c.multiplier, generation: c.generation, kind: c.kind, joint: c.joint })
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
    loans: canonical(all.loans),
    accountStatements: canonical(all.accountStatements),
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
  '"user-ok" on 2026-03-15T14:30:00.000Z': '08e53c9d6abe75abc40b258472c47bf8517ceecc543ade27fc9b9cded480a9e3',
  '"user-ok" on 2026-03-16T00:00:00.000Z': '4fdadec463428fe475e646e997a3cc85e8e82501c21a327659bd24f09e649bd5',
  '"user-ok" on 2026-05-04T23:59:59.999Z': 'a3d79fb7b7dee4a4cf7e2174b4085842a53168c407b14989f6ec34ea2c20e4d2',
  '"user-ok" on 2025-01-01T08:00:00.000Z': '19776aeac6ccaa2346f75c0b3b0f27acec528c446d35899f4399252ac008be64',
  '"user-ok-account-warning" on 2024-02-29T12:00:00.000Z': '2dc4c8ac112bf3bd25b908a5778ac278dcc1858894939d2f7cb792501468ae0a',
  '"user-a" on 2024-03-10T12:00:00.000Z': '46f485b4a6e236f4e8a43db872851d29eee3a9d8c5c6ca5117c98b09ad93c22f',
  '"user-b" on 2030-12-31T12:00:00.000Z': '83891eff4e104403fbee338926bf91554202cc169c61ce64210582366a5b6416',
  '"Ünïcode user ☃" on 2026-03-15T14:30:00.000Z': 'bec27d60b4490bcd52410ed8d37a7e14b480df2c12371df1e7beee216d87f1ad',
  '"" on 2026-03-15T14:30:00.000Z': '7a6bb60420625ed6fe76c05e87b12ac7973455cd74ab3fa7ff36962052210535',
  '"user-ok-perf-0" on 2026-03-15T14:30:00.000Z x0': '87ed24ec5f4c309b5962cebb11b20ecb74c2cf9510559cafb90c88873947dd56',
  '"user-ok-perf-3" on 2026-03-15T14:30:00.000Z x3': '16ca627e83cb67a4356540cb5d3dcc73ac27a34a06bc4f19159264dec626b5bb',
  '"user-ok-perf-50" on 2026-06-01T10:00:00.000Z x50': '4ff993ad505687b9ffd777706f207bd95115080f74121332f1d4c0ce36c9a962',
  '"user-ok" on 2026-03-15T14:30:00.000Z x2.7': '958ba67b7043e2b2411a8d5ebf71def9e5406909870de40eb7bdfa7cac2f9eb9',
  '"user-ok" on 2026-03-15T14:30:00.000Z x-4': '28ce5c2d1c65e52433162f5edae6cc590fec4223bc7becbb6de82a4604ea5572',
  // A multiplier that is not a number counts as 1: the same data as the first case.
  '"user-ok" on 2026-03-15T14:30:00.000Z xNaN': '08e53c9d6abe75abc40b258472c47bf8517ceecc543ade27fc9b9cded480a9e3',
  '"user-ok" on 2026-03-15T14:30:00.000Z g2': 'cf1baf40152bfbbf52a79eaf7e354950b5ba7cd65dd1e0d52225a5eee33037ed',
  '"user-ok" on 2026-03-15T14:30:00.000Z g3': '5c0a1edfb7759483133df3abc47f00f0b11edb642d346a34b38a2d4a1dcc01de',
  '"user-ok" on 2026-03-15T14:30:00.000Z business': '9d3ddd0365212237515c44fe2340fb9300731a4961810a8570fde86141c0ac23',
  '"user-ok" on 2026-03-15T14:30:00.000Z joint': 'f4499dcd43333817cdf40603f9a0bd4e21bc5e9b25ea82336e4a9c9a750da792',
}
const RECORDED_BY_PRODUCT: Record<Fingerprinted, string> = {
  accounts: '81dd742ab1cb50eee5c0e683ab80cd65ba0cefb5b9b763905782ae98395e6370',
  creditCards: '5e746517314ab87e0d22efee2413ca835ec22e0605e0ce88c4871401eb448f7d',
  transactions: '0aea98e674e41cb3503a3be7da88290e3743602ede99cc7e9129b1e818708ac1',
  investments: '35a10a94aedbf1c5646f99ae35c606e20778400c0eb381fae3d444b52abfc21c',
  investmentTransactions: '450e3ad23aac0f87aac05c7aded5f910a63bfb30f67c2ddd7aaa181ac8780c35',
  paymentData: '13f024ebcb2158b7a444ae3af93e2a64d427fa26dc18d0629084e55bea4e4342',
  identity: 'e56e9484135bee2dfaebe11da83b6808a40e6529a51b89038098b5f611e6b3a7',
  opportunities: '7165b2d1c4c04a82dea0f6c2698e368c796123a31df774fd528eb6d99bb154c4',
  loans: '76e39d96187d3e3081b5a674e5f47df1d76f3b8c25dae8945fee952a1fcaacdd',
  accountStatements: 'd0ba8fde4b9ad04a542bf4a454e6838c2346ea6513d63634b6301ba05fba106d',
  checkingTransactions: '639011e785dd590046492f1f472ad5a730d6d111f5f8e3ed97bcde6f851e7e69',
  cdbTransactions: '3516269b6cfe36ae9e19b71dbff0b29ddd3c5a2e9553882ec565c1b58b79812a',
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
