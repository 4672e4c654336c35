/**
 * Deterministic data for the sandbox institutions (SPEC §4).
 *
 * Terminology:
 * - seed: a 53-bit hash of the `user` credential; everything about a sandbox user (names,
 *   numbers, balances, providerIds) comes from it, so the same user always sees the same data.
 * - day: whole days since 1970-01-01 UTC. Dates are computed from the engine's clock
 *   (`ctx.now()`) truncated to the day, never from the wall clock, so the data is a pure
 *   function of (user, day, multiplier).
 * - slot: a day on which the sandbox "books" transactions (every third day). What happens in a
 *   slot depends only on (seed, slot day, index), never on today, so a transaction keeps its
 *   `providerId` and content from one execution to the next while the 90-day window slides.
 *
 * The data moves with time, as SPEC §4 asks: a new slot enters the window every third day,
 * transactions of the last {@link PENDING_DAYS} days are `PENDING` and become `POSTED` later
 * under the same `providerId`, and one slot in ten is cancelled by the institution —
 * it shows up while pending and disappears once it would have posted (a deletion to merge).
 * Cancelled slots are regular (every tenth slot), so the window always holds 27 or 28 of its 30
 * slots.
 *
 * Whether a slot is cancelled depends on the day alone (not on the user), so for a given day
 * every user has the same number of transactions, and `user-ok-perf-<n>` has exactly n times
 * as many as `user-ok`.
 *
 * Sign convention: `amount` is negative for `DEBIT` and positive for `CREDIT`, on bank and
 * credit-card accounts alike.
 *
 * No `Math.random`, no `Date.now()`: a mulberry32 generator seeded per record.
 */
import type {
  CollectedAccount,
  CollectedIdentity,
  CollectedInvestment,
  CollectedInvestmentTransaction,
  CollectedOpportunity,
  CollectedPaymentData,
  CollectedTransaction,
  Merchant,
  PaymentData,
  PaymentParticipant,
} from '../sdk/index.ts'

/** Days of history the sandbox reports. */
export const HISTORY_DAYS = 90
/** Transactions are booked on every SLOT_EVERY-th day: 90 / 3 = 30 slots in the window. */
export const SLOT_EVERY = 3
/** Transactions dated within the last PENDING_DAYS days (today included) are `PENDING`. */
export const PENDING_DAYS = 7
/** Upper bound of the `user-ok-perf-<n>` multiplier. */
export const MAX_TRANSACTION_MULTIPLIER = 5000

const DAY_MS = 86_400_000

// ---------------------------------------------------------------------------------------------
// Randomness

/** A 53-bit string hash (cyrb53): stable across platforms and Node versions. */
export function hashString(value: string, salt = 0): number {
  let h1 = 0xdeadbeef ^ salt
  let h2 = 0x41c6ce57 ^ salt
  for (let i = 0; i < value.length; i++) {
    const ch = value.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 2654435761)
    h2 = Math.imul(h2 ^ ch, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}

/** Mixes one 32-bit integer into a running 32-bit hash (murmur3 finaliser). */
function mixIn(h: number, part: number): number {
  h = Math.imul(h ^ (part | 0), 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h
}

/** Mixes 32-bit integers into one 32-bit seed. */
function mix(a: number, b: number, c = 0, d = 0, e = 0): number {
  return mixIn(mixIn(mixIn(mixIn(mixIn(0x9e3779b9, a), b), c), d), e) >>> 0
}

/** A small deterministic random source (mulberry32). */
export class Rng {
  private state: number
  constructor(seed: number) {
    this.state = seed >>> 0
  }
  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }
  /** An amount in [min, max] with two decimals. */
  money(min: number, max: number): number {
    return round2(min + this.next() * (max - min))
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]
  }
  digits(count: number): string {
    let out = ''
    for (let i = 0; i < count; i++) out += String(this.int(0, 9))
    return out
  }
  chance(probability: number): boolean {
    return this.next() < probability
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100
}

// ---------------------------------------------------------------------------------------------
// Dates

/** Whole days since the epoch (UTC) of a date. */
export function dayNumber(date: Date): number {
  return Math.floor(date.getTime() / DAY_MS)
}

function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString()
}

function dateOnlyOfDay(day: number): string {
  return isoOfDay(day).slice(0, 10)
}

/** The first day of the month `monthsBack` months before the month of `day`. */
function monthStart(day: number, monthsBack: number): number {
  const date = new Date(day * DAY_MS)
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - monthsBack, 1) / DAY_MS
}

/** The next date on or after `day` whose day of month is `dayOfMonth` (1..28). */
function nextDayOfMonth(day: number, dayOfMonth: number): number {
  const date = new Date(day * DAY_MS)
  let candidate = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), dayOfMonth) / DAY_MS
  if (candidate < day) candidate = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, dayOfMonth) / DAY_MS
  return candidate
}

// ---------------------------------------------------------------------------------------------
// Fixtures

const FIRST_NAMES = ['Ana', 'Bruno', 'Camila', 'Diego', 'Eduarda', 'Felipe', 'Gabriela', 'Henrique', 'Isabela', 'João', 'Larissa', 'Marcos', 'Natália', 'Otávio', 'Paula', 'Rafael', 'Sofia', 'Tiago', 'Vitória', 'Lucas']
const LAST_NAMES = ['Silva', 'Santos', 'Oliveira', 'Souza', 'Rodrigues', 'Ferreira', 'Almeida', 'Pereira', 'Lima', 'Gomes', 'Costa', 'Ribeiro', 'Martins', 'Carvalho', 'Araújo', 'Barbosa']
const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net']
const CITIES = [
  { city: 'São Paulo', state: 'SP', street: 'Rua Augusta', cep: '01305' },
  { city: 'Rio de Janeiro', state: 'RJ', street: 'Rua Voluntários da Pátria', cep: '22270' },
  { city: 'Belo Horizonte', state: 'MG', street: 'Avenida Afonso Pena', cep: '30130' },
  { city: 'Curitiba', state: 'PR', street: 'Rua XV de Novembro', cep: '80020' },
  { city: 'Porto Alegre', state: 'RS', street: 'Avenida Ipiranga', cep: '90160' },
  { city: 'Recife', state: 'PE', street: 'Avenida Boa Viagem', cep: '51011' },
] as const
const JOBS = ['Analista de Sistemas', 'Professora', 'Engenheiro Civil', 'Designer', 'Médica', 'Contador']
const EMPLOYERS = [
  { name: 'Empresa Exemplo Ltda', cnpj: '11.222.333/0001-81' },
  { name: 'Comércio Modelo S.A.', cnpj: '44.555.666/0001-03' },
  { name: 'Serviços Fictícios Ltda', cnpj: '77.888.999/0001-21' },
]

interface MerchantFixture extends Merchant {
  mcc: number
  description: string
}
const MERCHANTS: readonly MerchantFixture[] = [
  { name: 'Mercado Bom Preço', businessName: 'Mercado Bom Preço Ltda', cnpj: '12.345.678/0001-95', category: 'Groceries', mcc: 5411, description: 'MERCADO BOM PRECO' },
  { name: 'Padaria Pão Quente', businessName: 'Pão Quente Panificadora Ltda', cnpj: '23.456.789/0001-06', category: 'Eating out', mcc: 5462, description: 'PADARIA PAO QUENTE' },
  { name: 'Posto Estrada Boa', businessName: 'Auto Posto Estrada Boa Ltda', cnpj: '34.567.890/0001-17', category: 'Gas stations', mcc: 5541, description: 'POSTO ESTRADA BOA' },
  { name: 'Farmácia Saúde Já', businessName: 'Drogaria Saúde Já S.A.', cnpj: '45.678.901/0001-28', category: 'Pharmacy', mcc: 5912, description: 'FARMACIA SAUDE JA' },
  { name: 'Livraria Capítulo Um', businessName: 'Capítulo Um Comércio de Livros Ltda', cnpj: '56.789.012/0001-39', category: 'Bookstore', mcc: 5942, description: 'LIVRARIA CAPITULO UM' },
  { name: 'Loja Eletro Casa', businessName: 'Eletro Casa Varejo S.A.', cnpj: '67.890.123/0001-40', category: 'Electronics', mcc: 5732, description: 'ELETRO CASA ONLINE' },
  { name: 'Restaurante Sabor da Terra', businessName: 'Sabor da Terra Alimentos Ltda', cnpj: '78.901.234/0001-51', category: 'Eating out', mcc: 5812, description: 'REST SABOR DA TERRA' },
  { name: 'Streamflix', businessName: 'Streamflix Entretenimento Ltda', cnpj: '89.012.345/0001-62', category: 'Video streaming', mcc: 4899, description: 'STREAMFLIX ASSINATURA' },
  { name: 'Viação Rápida', businessName: 'Viação Rápida Transportes Ltda', cnpj: '90.123.456/0001-73', category: 'Transportation', mcc: 4131, description: 'VIACAO RAPIDA' },
]
/** The merchant record of each fixture, shared by the transactions that name it (never mutated). */
const MERCHANT_RECORDS: ReadonlyMap<MerchantFixture, Merchant> = new Map(
  MERCHANTS.map((m) => [m, { name: m.name, businessName: m.businessName, cnpj: m.cnpj, category: m.category }]),
)

const BILLS = [
  { name: 'Companhia de Energia Exemplo', category: 'Electricity', description: 'PAGAMENTO BOLETO ENERGIA', cnpj: '01.234.567/0001-84' },
  { name: 'Saneamento Exemplo S.A.', category: 'Water', description: 'PAGAMENTO BOLETO AGUA', cnpj: '02.345.678/0001-95' },
  { name: 'Operadora Conecta Telecom', category: 'Internet', description: 'PAGAMENTO BOLETO INTERNET', cnpj: '03.456.789/0001-06' },
]
const PIX_REASONS = ['Aluguel', 'Divisão da conta', 'Presente', 'Reembolso', null, null]

/** The institution code the sandbox bank uses in payment data (fictional). */
const SANDBOX_BANK_CODE = '999'
const SANDBOX_BANK_ISPB = '99999999'
const OTHER_BANK_CODES = ['001', '033', '104', '237', '341', '260', '077']

// ---------------------------------------------------------------------------------------------
// Documents

/** A valid CPF (check digits computed), formatted `000.000.000-00`. */
function cpf(rng: Rng): string {
  const digits = Array.from({ length: 9 }, () => rng.int(0, 9))
  if (digits.every((d) => d === digits[0])) digits[8] = (digits[8] + 1) % 10
  for (const length of [9, 10]) {
    let sum = 0
    for (let i = 0; i < length; i++) sum += digits[i] * (length + 1 - i)
    const rest = (sum * 10) % 11
    digits.push(rest === 10 ? 0 : rest)
  }
  const s = digits.join('')
  return `${s.slice(0, 3)}.${s.slice(3, 6)}.${s.slice(6, 9)}-${s.slice(9)}`
}

/** A 47-digit boleto line (the digits only; no check-digit rules). */
function boletoLine(rng: Rng): string {
  let out = ''
  for (let i = 0; i < 6; i++) out += String(rng.int(0, 99_999_999)).padStart(8, '0')
  return out.slice(0, 47)
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/** A PIX end-to-end id: `E` + ISPB + yyyyMMddHHmm + 11 alphanumerics. */
function pixEndToEndId(rng: Rng, isoDate: string): string {
  const stamp = isoDate.slice(0, 4) + isoDate.slice(5, 7) + isoDate.slice(8, 10)
  let tail = ''
  for (let i = 0; i < 11; i++) tail += ALNUM[rng.int(0, ALNUM.length - 1)]
  return `E${SANDBOX_BANK_ISPB}${stamp}${String(rng.int(6, 22)).padStart(2, '0')}${String(rng.int(0, 59)).padStart(2, '0')}${tail}`
}

// ---------------------------------------------------------------------------------------------
// The generator

export interface SandboxDataOptions {
  /** The `user` credential: seeds everything. */
  user: string
  /** The engine's clock (`ctx.now()`); only its day (UTC) matters. */
  now: Date
  /** `user-ok-perf-<n>`: n times the usual number of transactions (0..5000). Default 1. */
  transactionMultiplier?: number
}

/** Everything a sandbox user has, one entry per product. */
export interface SandboxDataSet {
  accounts: CollectedAccount[]
  creditCards: CollectedAccount[]
  transactions: CollectedTransaction[]
  investments: CollectedInvestment[]
  investmentTransactions: CollectedInvestmentTransaction[]
  paymentData: CollectedPaymentData[]
  identity: CollectedIdentity
  opportunities: CollectedOpportunity[]
}

interface Profile {
  fullName: string
  firstName: string
  lastName: string
  cpf: string
  birthDay: number
  email: string
  workEmail: string
  phone: string
  job: string
  employer: (typeof EMPLOYERS)[number]
  address: { primaryAddress: string; city: string; state: string; postalCode: string }
  branch: string
  checkingNumber: string
  savingsNumber: string
  cardLast4: string
  cardCloseDay: number
  /** People the user sends PIX to and receives PIX from. */
  contacts: PaymentParticipant[]
  /** The employer's account that pays the salary. */
  employerAccount: PaymentParticipant
  /** The user's checking account as a payment participant. */
  self: PaymentParticipant
}

/**
 * The sandbox data of one user on one day. Each product is computed on demand (a connector
 * step asks only for its own product), and the same inputs always give deep-equal output.
 */
export class SandboxData {
  readonly user: string
  readonly seed: number
  /** Prefix of every providerId of this user: `sbx-<13 hex digits of the seed>`. */
  readonly idPrefix: string
  readonly today: number
  readonly transactionMultiplier: number
  private readonly seedLo: number
  private readonly seedHi: number
  private readonly profile: Profile

  constructor(options: SandboxDataOptions) {
    this.user = options.user
    this.seed = hashString(options.user)
    this.seedLo = this.seed >>> 0
    this.seedHi = Math.floor(this.seed / 4294967296) >>> 0
    this.idPrefix = `sbx-${this.seed.toString(16).padStart(14, '0')}`
    this.today = dayNumber(options.now)
    const multiplier = options.transactionMultiplier ?? 1
    this.transactionMultiplier = Math.max(0, Math.min(MAX_TRANSACTION_MULTIPLIER, Math.floor(Number.isFinite(multiplier) ? multiplier : 1)))
    this.profile = this.makeProfile()
  }

  /** A random source for one record, independent of the order records are generated in. */
  private rng(kind: number, a = 0, b = 0): Rng {
    return new Rng(mix(this.seedLo, this.seedHi, kind, a, b))
  }

  private makeProfile(): Profile {
    const rng = this.rng(1)
    const firstName = rng.pick(FIRST_NAMES)
    const lastName = rng.pick(LAST_NAMES)
    const middle = rng.pick(LAST_NAMES)
    const place = rng.pick(CITIES)
    const employer = rng.pick(EMPLOYERS)
    const login = `${firstName}.${lastName}`
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
    const fullName = `${firstName} ${middle} ${lastName}`
    const document = cpf(rng)
    const checkingNumber = `${rng.digits(5)}-${rng.int(0, 9)}`
    return {
      fullName,
      firstName,
      lastName,
      cpf: document,
      // Born between 1960 and 2000.
      birthDay: Date.UTC(1960, 0, 1) / DAY_MS + rng.int(0, 40 * 365),
      email: `${login}${rng.int(1, 99)}@${rng.pick(EMAIL_DOMAINS)}`,
      workEmail: `${login}@work.example.com`,
      phone: `+55 11 9${rng.digits(4)}-${rng.digits(4)}`,
      job: rng.pick(JOBS),
      employer,
      address: {
        primaryAddress: `${place.street}, ${rng.int(10, 2999)}`,
        city: place.city,
        state: place.state,
        postalCode: `${place.cep}-${rng.digits(3)}`,
      },
      branch: '0001',
      checkingNumber,
      savingsNumber: `${rng.digits(5)}-${rng.int(0, 9)}`,
      cardLast4: rng.digits(4),
      cardCloseDay: rng.int(1, 25),
      contacts: Array.from({ length: 12 }, () => counterpart(rng)),
      self: {
        name: fullName,
        documentNumber: { type: 'CPF', value: document },
        accountNumber: checkingNumber,
        branchNumber: '0001',
        routingNumber: SANDBOX_BANK_CODE,
      },
      employerAccount: {
        name: employer.name,
        documentNumber: { type: 'CNPJ', value: employer.cnpj },
        accountNumber: `${rng.digits(6)}-${rng.int(0, 9)}`,
        branchNumber: rng.digits(4),
        routingNumber: rng.pick(OTHER_BANK_CODES),
      },
    }
  }

  /** ISO strings of days, memoised: formatting dates is the costliest part of large data sets. */
  private readonly isoCache = new Map<number, string>()
  private iso(day: number): string {
    let value = this.isoCache.get(day)
    if (value === undefined) {
      value = isoOfDay(day)
      this.isoCache.set(day, value)
    }
    return value
  }

  get checkingId(): string {
    return `${this.idPrefix}-checking`
  }
  get savingsId(): string {
    return `${this.idPrefix}-savings`
  }
  get creditCardId(): string {
    return `${this.idPrefix}-credit-card`
  }

  /** Bank accounts: one checking account and one savings account. */
  accounts(): CollectedAccount[] {
    const p = this.profile
    const rng = this.rng(2)
    const checkingBalance = rng.money(1_500, 25_000)
    const savingsBalance = rng.money(3_000, 60_000)
    return [
      {
        providerId: this.checkingId,
        type: 'BANK',
        subtype: 'CHECKING_ACCOUNT',
        number: `${p.branch}/${p.checkingNumber}`,
        name: 'Conta Corrente',
        marketingName: 'Sandbox Conta Digital',
        balance: checkingBalance,
        currencyCode: 'BRL',
        owner: p.fullName,
        taxNumber: p.cpf,
        bankData: {
          transferNumber: `${SANDBOX_BANK_CODE}/${p.branch}/${p.checkingNumber}`,
          closingBalance: checkingBalance,
          automaticallyInvestedBalance: rng.money(0, 2_000),
          overdraftContractedLimit: 2_000,
          overdraftUsedLimit: 0,
          unarrangedOverdraftAmount: 0,
        },
      },
      {
        providerId: this.savingsId,
        type: 'BANK',
        subtype: 'SAVINGS_ACCOUNT',
        number: `${p.branch}/${p.savingsNumber}`,
        name: 'Conta Poupança',
        marketingName: 'Sandbox Poupança',
        balance: savingsBalance,
        currencyCode: 'BRL',
        owner: p.fullName,
        taxNumber: p.cpf,
        bankData: {
          transferNumber: `${SANDBOX_BANK_CODE}/${p.branch}/${p.savingsNumber}`,
          closingBalance: savingsBalance,
          automaticallyInvestedBalance: null,
          overdraftContractedLimit: null,
          overdraftUsedLimit: null,
          unarrangedOverdraftAmount: null,
        },
      },
    ]
  }

  /** Credit-card accounts: one Mastercard. */
  creditCards(): CollectedAccount[] {
    const p = this.profile
    const rng = this.rng(3)
    const creditLimit = rng.int(5, 40) * 1_000
    const used = rng.money(300, creditLimit * 0.6)
    const closeDay = nextDayOfMonth(this.today, p.cardCloseDay)
    return [
      {
        providerId: this.creditCardId,
        type: 'CREDIT',
        subtype: 'CREDIT_CARD',
        number: `xxxx${p.cardLast4}`,
        name: 'Mastercard Black',
        marketingName: 'SANDBOX BANK MASTERCARD BLACK',
        balance: used,
        currencyCode: 'BRL',
        owner: p.fullName,
        taxNumber: p.cpf,
        creditData: {
          level: 'BLACK',
          brand: 'MASTERCARD',
          balanceCloseDate: dateOnlyOfDay(closeDay),
          balanceDueDate: dateOnlyOfDay(closeDay + 10),
          availableCreditLimit: round2(creditLimit - used),
          balanceForeignCurrency: 0,
          minimumPayment: round2(used * 0.15),
          creditLimit,
          isLimitFlexible: false,
          status: 'ACTIVE',
          holderType: 'MAIN',
        },
      },
    ]
  }

  /**
   * Transactions of the last {@link HISTORY_DAYS} days (today included), newest first, across
   * the checking, savings and credit-card accounts. `accountProviderIds`, when given, keeps only
   * transactions of those accounts.
   */
  transactions(accountProviderIds?: ReadonlySet<string>): CollectedTransaction[] {
    const out: CollectedTransaction[] = []
    const multiplier = this.transactionMultiplier
    for (let day = this.today; day > this.today - HISTORY_DAYS; day--) {
      if (!isSlot(day)) continue
      const pending = this.today - day < PENDING_DAYS
      // A cancelled purchase is visible only while pending; afterwards it is gone.
      if (isCancelledSlot(day) && !pending) continue
      const date = this.iso(day)
      for (let index = 0; index < multiplier; index++) {
        const tx = this.transaction(day, index, date, pending)
        if (accountProviderIds && !accountProviderIds.has(tx.accountProviderId)) continue
        out.push(tx)
      }
    }
    return out
  }

  private transaction(day: number, index: number, date: string, pending: boolean): CollectedTransaction {
    const rng = this.rng(10, day, index)
    const p = this.profile
    const providerId = `${this.idPrefix}-tx-${day}-${index}`
    const status = pending ? 'PENDING' : 'POSTED'
    const roll = rng.next()
    if (roll < 0.36) {
      // Credit-card purchase, sometimes in installments.
      const merchant = rng.pick(MERCHANTS)
      const totalInstallments = rng.chance(0.3) ? rng.int(2, 10) : 1
      const installmentNumber = totalInstallments > 1 ? rng.int(1, totalInstallments) : 1
      const installmentAmount = rng.money(12, 650)
      const description = totalInstallments > 1 ? `${merchant.description} ${installmentNumber}/${totalInstallments}` : merchant.description
      return {
        providerId,
        accountProviderId: this.creditCardId,
        date,
        description,
        descriptionRaw: `${description} BR`,
        currencyCode: 'BRL',
        amount: -installmentAmount,
        category: merchant.category,
        status,
        type: 'DEBIT',
        creditCardMetadata: {
          installmentNumber,
          totalInstallments,
          totalAmount: round2(installmentAmount * totalInstallments),
          purchaseDate: this.iso(day - (installmentNumber - 1) * 30),
          payeeMCC: merchant.mcc,
          cardNumber: p.cardLast4,
          billId: this.billId(day),
        },
        merchant: MERCHANT_RECORDS.get(merchant),
      }
    }
    if (roll < 0.5) {
      // Debit-card purchase on the checking account.
      const merchant = rng.pick(MERCHANTS)
      return {
        providerId,
        accountProviderId: this.checkingId,
        date,
        description: `COMPRA CARTAO DEBITO ${merchant.description}`,
        descriptionRaw: `COMPRA CARTAO DEB ${merchant.description}`,
        currencyCode: 'BRL',
        amount: -rng.money(8, 350),
        category: merchant.category,
        status,
        type: 'DEBIT',
        merchant: MERCHANT_RECORDS.get(merchant),
      }
    }
    if (roll < 0.8) {
      // PIX sent or received.
      const outgoing = rng.chance(0.6)
      const other = rng.pick(p.contacts)
      const me = p.self
      const paymentData: PaymentData = {
        payer: outgoing ? me : other,
        receiver: outgoing ? other : me,
        paymentMethod: 'PIX',
        referenceNumber: pixEndToEndId(rng, date),
        reason: rng.pick(PIX_REASONS),
      }
      const name = (other.name ?? '').toUpperCase()
      return {
        providerId,
        accountProviderId: this.checkingId,
        date,
        description: outgoing ? `PIX ENVIADO ${name}` : `PIX RECEBIDO ${name}`,
        descriptionRaw: outgoing ? `PIX TRANSF ${name}` : `PIX REC ${name}`,
        currencyCode: 'BRL',
        amount: outgoing ? -rng.money(15, 900) : rng.money(15, 900),
        category: 'Transfer - PIX',
        status,
        type: outgoing ? 'DEBIT' : 'CREDIT',
        paymentData,
      }
    }
    if (roll < 0.88) {
      // Salary by TED from the employer.
      const employer = p.employer
      const paymentData: PaymentData = {
        payer: p.employerAccount,
        receiver: p.self,
        paymentMethod: 'TED',
        referenceNumber: rng.digits(9),
        reason: 'Salário',
      }
      return {
        providerId,
        accountProviderId: this.checkingId,
        date,
        description: `TED RECEBIDA ${employer.name.toUpperCase()}`,
        descriptionRaw: `TED REC ${employer.cnpj}`,
        currencyCode: 'BRL',
        amount: rng.money(2_500, 9_500),
        category: 'Salary',
        status,
        type: 'CREDIT',
        paymentData,
      }
    }
    if (roll < 0.95) {
      // A bill paid by boleto.
      const bill = rng.pick(BILLS)
      return {
        providerId,
        accountProviderId: this.checkingId,
        date,
        description: bill.description,
        descriptionRaw: `${bill.description} ${rng.digits(6)}`,
        currencyCode: 'BRL',
        amount: -rng.money(60, 480),
        category: bill.category,
        status,
        type: 'DEBIT',
        paymentData: {
          payer: { name: p.fullName, documentNumber: { type: 'CPF', value: p.cpf } },
          receiver: { name: bill.name, documentNumber: { type: 'CNPJ', value: bill.cnpj } },
          paymentMethod: 'BOLETO',
          referenceNumber: boletoLine(rng),
        },
      }
    }
    // Savings interest.
    return {
      providerId,
      accountProviderId: this.savingsId,
      date,
      description: 'RENDIMENTO POUPANCA',
      descriptionRaw: 'REND POUP',
      currencyCode: 'BRL',
      amount: rng.money(5, 120),
      category: 'Proceeds interests and dividends',
      status,
      type: 'CREDIT',
    }
  }

  /** The card bill a purchase of `day` falls in, named by the month of its closing date. */
  private readonly billCache = new Map<number, string>()
  private billId(day: number): string {
    let value = this.billCache.get(day)
    if (value === undefined) {
      value = `${this.idPrefix}-bill-${this.iso(nextDayOfMonth(day, this.profile.cardCloseDay)).slice(0, 7)}`
      this.billCache.set(day, value)
    }
    return value
  }

  /** Payment data of the given transactions that are transfers or bill payments. */
  paymentData(transactions: readonly CollectedTransaction[]): CollectedPaymentData[] {
    const out: CollectedPaymentData[] = []
    for (const tx of transactions) {
      if (tx.providerId && tx.paymentData) out.push({ transactionProviderId: tx.providerId, paymentData: tx.paymentData })
    }
    return out
  }

  /** The day the user bought their investments: fixed per user, at least 120 days ago. */
  private get investedDay(): number {
    const fixed = Date.UTC(2024, 0, 2) / DAY_MS + this.rng(4).int(0, 300)
    return Math.min(fixed, this.today - 120)
  }

  /** Three positions: a CDB (fixed income), a multimarket fund and a stock. */
  investments(): CollectedInvestment[] {
    const rng = this.rng(5)
    const bought = this.investedDay
    const today = isoOfDay(this.today)
    const cdbAmount = rng.int(2, 30) * 500
    const cdbBalance = round2(cdbAmount * (1 + (this.today - bought) * 0.00035))
    const fundQuota = rng.money(1.2, 3.5)
    const fundQuantity = rng.int(500, 8_000)
    const stockPrice = rng.money(9, 48)
    const stockQuantity = rng.int(1, 20) * 100
    return [
      {
        providerId: `${this.idPrefix}-inv-cdb`,
        code: `CDB${rng.digits(7)}`,
        isin: `BRSBXBCDB${rng.digits(3)}`,
        name: 'CDB Sandbox Bank 110% CDI',
        type: 'FIXED_INCOME',
        subtype: 'CDB',
        balance: cdbBalance,
        amount: cdbAmount,
        quantity: 1,
        value: cdbBalance,
        currencyCode: 'BRL',
        date: today,
        dueDate: isoOfDay(bought + 5 * 365),
        issuer: 'Sandbox Bank S.A.',
        rate: 110,
        rateType: 'CDI',
        status: 'ACTIVE',
      },
      {
        providerId: `${this.idPrefix}-inv-fund`,
        code: null,
        isin: `BRSBXFFIM${rng.digits(3)}`,
        name: 'Sandbox Multimercado FIC FIM',
        type: 'MUTUAL_FUND',
        subtype: 'MULTIMARKET_FUND',
        balance: round2(fundQuantity * fundQuota),
        amount: round2(fundQuantity * 1.1),
        quantity: fundQuantity,
        value: fundQuota,
        currencyCode: 'BRL',
        date: today,
        dueDate: null,
        issuer: 'Sandbox Asset Management',
        rate: null,
        rateType: null,
        status: 'ACTIVE',
      },
      {
        providerId: `${this.idPrefix}-inv-stock`,
        code: 'SBXB3',
        isin: 'BRSBXBACNOR0',
        name: 'Sandbox Bank ON',
        type: 'EQUITY',
        subtype: 'STOCK',
        balance: round2(stockQuantity * stockPrice),
        amount: round2(stockQuantity * stockPrice * 0.9),
        quantity: stockQuantity,
        value: stockPrice,
        currencyCode: 'BRL',
        date: today,
        dueDate: null,
        issuer: 'Sandbox Bank S.A.',
        rate: null,
        rateType: null,
        status: 'ACTIVE',
      },
    ]
  }

  /**
   * Movements of the positions: the purchases, three monthly interest payments of the CDB, a
   * partial fund redemption with its income tax. `investmentProviderIds`, when given, keeps only
   * movements of those positions.
   */
  investmentTransactions(investmentProviderIds?: ReadonlySet<string>): CollectedInvestmentTransaction[] {
    const [cdb, fund, stock] = this.investments()
    const bought = this.investedDay
    const rng = this.rng(6)
    const out: CollectedInvestmentTransaction[] = [
      {
        providerId: `${cdb.providerId}-buy`,
        investmentProviderId: cdb.providerId,
        type: 'BUY',
        movementType: 'CREDIT',
        quantity: 1,
        value: cdb.amount,
        amount: cdb.amount ?? 0,
        netAmount: cdb.amount,
        date: isoOfDay(bought),
        tradeDate: isoOfDay(bought),
        description: 'Aplicação CDB',
      },
    ]
    for (let monthsBack = 3; monthsBack >= 1; monthsBack--) {
      const day = monthStart(this.today, monthsBack - 1)
      if (day <= bought) continue
      const amount = rng.money(20, 90)
      out.push({
        providerId: `${cdb.providerId}-interest-${dateOnlyOfDay(day).slice(0, 7)}`,
        investmentProviderId: cdb.providerId,
        type: 'INTEREST',
        movementType: 'CREDIT',
        amount,
        netAmount: amount,
        date: isoOfDay(day),
        tradeDate: isoOfDay(day),
        description: 'Rendimento CDB',
      })
    }
    // Bought at 1.10 a quota; part redeemed later at today's quota value; the rest is the position.
    const soldQuantity = round2(1_000 / (fund.value ?? 1))
    const boughtQuantity = round2((fund.quantity ?? 0) + soldQuantity)
    out.push(
      {
        providerId: `${fund.providerId}-buy`,
        investmentProviderId: fund.providerId,
        type: 'BUY',
        movementType: 'CREDIT',
        quantity: boughtQuantity,
        value: 1.1,
        amount: round2(boughtQuantity * 1.1),
        netAmount: round2(boughtQuantity * 1.1),
        date: isoOfDay(bought + 7),
        tradeDate: isoOfDay(bought + 7),
        description: 'Aplicação em fundo',
      },
      {
        providerId: `${fund.providerId}-sell`,
        investmentProviderId: fund.providerId,
        type: 'SELL',
        movementType: 'DEBIT',
        quantity: soldQuantity,
        value: fund.value,
        amount: 1_000,
        netAmount: 985,
        date: isoOfDay(bought + 60),
        tradeDate: isoOfDay(bought + 60),
        description: 'Resgate parcial',
      },
      {
        providerId: `${fund.providerId}-tax`,
        investmentProviderId: fund.providerId,
        type: 'TAX',
        movementType: 'DEBIT',
        amount: 15,
        date: isoOfDay(bought + 60),
        description: 'IR sobre resgate',
      },
      {
        providerId: `${stock.providerId}-buy`,
        investmentProviderId: stock.providerId,
        type: 'BUY',
        movementType: 'CREDIT',
        quantity: stock.quantity,
        value: round2((stock.amount ?? 0) / (stock.quantity ?? 1)),
        amount: stock.amount ?? 0,
        netAmount: stock.amount,
        date: isoOfDay(bought + 14),
        tradeDate: isoOfDay(bought + 12),
        description: 'Compra de ações SBXB3',
      },
    )
    return investmentProviderIds ? out.filter((t) => investmentProviderIds.has(t.investmentProviderId)) : out
  }

  identity(): CollectedIdentity {
    const p = this.profile
    return {
      fullName: p.fullName,
      document: p.cpf,
      documentType: 'CPF',
      taxNumber: p.cpf,
      birthDate: isoOfDay(p.birthDay),
      jobTitle: p.job,
      companyName: p.employer.name,
      emails: [
        { value: p.email, type: 'Personal' },
        { value: p.workEmail, type: 'Work' },
      ],
      phoneNumbers: [{ value: p.phone, type: 'Personal' }],
      addresses: [
        {
          fullAddress: `${p.address.primaryAddress}, ${p.address.city} - ${p.address.state}, ${p.address.postalCode}, Brasil`,
          primaryAddress: p.address.primaryAddress,
          city: p.address.city,
          postalCode: p.address.postalCode,
          state: p.address.state,
          country: 'Brasil',
          type: 'Personal',
        },
      ],
      relations: [{ type: 'Mother', name: `${this.rng(7).pick(FIRST_NAMES)} ${p.lastName}` }],
    }
  }

  /** Two pre-approved offers, dated the first day of the current month. */
  opportunities(): CollectedOpportunity[] {
    const rng = this.rng(8)
    const date = isoOfDay(monthStart(this.today, 0))
    const cardLimit = rng.int(2, 20) * 1_000
    const loanLimit = rng.int(5, 50) * 1_000
    return [
      {
        providerId: `${this.idPrefix}-opp-card`,
        name: 'Cartão Sandbox Platinum',
        description: 'Cartão de crédito pré-aprovado, sem anuidade no primeiro ano.',
        type: 'CREDIT_CARD',
        interestRate: 12.9,
        rateType: 'MONTHLY',
        totalLimit: cardLimit,
        availableLimit: cardLimit,
        date,
      },
      {
        providerId: `${this.idPrefix}-opp-loan`,
        name: 'Empréstimo pessoal pré-aprovado',
        description: 'Crédito pessoal em até 24 parcelas.',
        type: 'PERSONAL_LOAN',
        interestRate: 2.49,
        rateType: 'MONTHLY',
        totalLimit: loanLimit,
        availableLimit: round2(loanLimit * 0.8),
        date,
      },
    ]
  }

  /** Every product at once. */
  all(): SandboxDataSet {
    const transactions = this.transactions()
    return {
      accounts: this.accounts(),
      creditCards: this.creditCards(),
      transactions,
      investments: this.investments(),
      investmentTransactions: this.investmentTransactions(),
      paymentData: this.paymentData(transactions),
      identity: this.identity(),
      opportunities: this.opportunities(),
    }
  }
}

function counterpart(rng: Rng): PaymentParticipant {
  return {
    name: `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`,
    documentNumber: { type: 'CPF', value: cpf(rng) },
    accountNumber: `${rng.digits(6)}-${rng.int(0, 9)}`,
    branchNumber: rng.digits(4),
    routingNumber: rng.pick(OTHER_BANK_CODES),
  }
}

/** Days on which transactions are booked. */
function isSlot(day: number): boolean {
  return ((day % SLOT_EVERY) + SLOT_EVERY) % SLOT_EVERY === 0
}

/** One slot in ten is cancelled; depends on the day only, so counts match across users. */
function isCancelledSlot(day: number): boolean {
  return Math.floor(day / SLOT_EVERY) % 10 === 7
}

/** The sandbox data of one user on one day (see {@link SandboxData}). */
export function createSandboxData(options: SandboxDataOptions): SandboxData {
  return new SandboxData(options)
}

/** Every product of one user on one day, at once. */
export function generateSandboxData(options: SandboxDataOptions): SandboxDataSet {
  return new SandboxData(options).all()
}
