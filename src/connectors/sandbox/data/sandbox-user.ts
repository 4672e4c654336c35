/**
 * What every product generator of one user on one day shares: the seed, the providerId prefix,
 * today's day number, the profile and a random source per record.
 *
 * Terminology:
 * - seed: a 53-bit hash of the `user` credential; everything about a sandbox user (names,
 *   numbers, balances, providerIds) comes from it, so the same user always sees the same data.
 * - day: whole days since 1970-01-01 UTC (see calendar.ts). Only the day of the engine's clock
 *   matters.
 * - generation: the number of executions the item has had, this one included (ctx.item.executions).
 *   Each one brings the institution's newest movements (see live-activity.ts), dated on the day
 *   of the execution that first saw them (ctx.item.recentExecutionStarts), so the data is a pure
 *   function of (user, day, the item's history, multiplier, kind).
 * - stream: each kind of record draws from a random source of its own, seeded by (user, stream,
 *   record keys), so a record does not depend on which others were generated before it, and a
 *   new product never shifts the data of the existing ones.
 */
import { dayNumber, isoOfDay } from './calendar.ts'
import { drawProfile, type Profile, type ProfileKind } from './profile.ts'
import { hashString, mixSeed, Rng } from './random-source.ts'

/**
 * The stream numbers in use. They are part of the data — changing one changes what every user
 * sees — so never renumber or reuse one; a new product takes a new number.
 */
export const STREAMS = {
  profile: 1,
  accounts: 2,
  creditCards: 3,
  investedDay: 4,
  investments: 5,
  investmentTransactions: 6,
  identity: 7,
  opportunities: 8,
  transactions: 10,
  bills: 11,
  loans: 12,
  live: 13,
  accountOpening: 14,
  statements: 15,
} as const
export type Stream = keyof typeof STREAMS

/** Upper bound of the `user-ok-perf-<n>` multiplier. */
export const MAX_TRANSACTION_MULTIPLIER = 5000

export interface SandboxDataOptions {
  /** The `user` credential: seeds everything. */
  user: string
  /** The engine's clock (`ctx.now()`); only its day (UTC) matters. */
  now: Date
  /** `user-ok-perf-<n>`: n times the usual number of transactions (0..5000). Default 1. */
  transactionMultiplier?: number
  /** Executions the item has had, this one included (ctx.item.executions). Default 1. */
  generation?: number
  /**
   * When the item's latest executions started, oldest first, this one last
   * (ctx.item.recentExecutionStarts). Without it, the executions are taken to be a day apart.
   */
  executionStarts?: readonly Date[]
  /** A personal customer (default) or a company. */
  kind?: ProfileKind
  /** A joint account: the spouse holds it too (the joint-account institution). */
  joint?: boolean
}

export class SandboxUser {
  readonly user: string
  readonly seed: number
  /** Prefix of every providerId of this user: `sbx-<14 hex digits of the seed>`. */
  readonly idPrefix: string
  readonly today: number
  readonly transactionMultiplier: number
  readonly generation: number
  /** Day numbers of the latest executions' starts, oldest first (at most `generation` of them). */
  readonly executionDays: readonly number[]
  readonly joint: boolean
  readonly profile: Profile
  private readonly seedLo: number
  private readonly seedHi: number
  /** ISO strings of days, memoised: formatting dates is the costliest part of large data sets. */
  private readonly isoCache = new Map<number, string>()

  constructor(options: SandboxDataOptions) {
    this.user = options.user
    this.seed = hashString(options.user)
    this.seedLo = this.seed >>> 0
    this.seedHi = Math.floor(this.seed / 4294967296) >>> 0
    this.idPrefix = `sbx-${this.seed.toString(16).padStart(14, '0')}`
    this.today = dayNumber(options.now)
    const multiplier = options.transactionMultiplier ?? 1
    this.transactionMultiplier = Math.max(0, Math.min(MAX_TRANSACTION_MULTIPLIER, Math.floor(Number.isFinite(multiplier) ? multiplier : 1)))
    const generation = options.generation ?? 1
    this.generation = Math.max(1, Math.floor(Number.isFinite(generation) ? generation : 1))
    this.joint = options.joint ?? false
    this.executionDays = (options.executionStarts ?? []).slice(-this.generation).map(dayNumber)
    this.profile = drawProfile(this.rng('profile'), options.kind ?? 'personal')
  }

  /** The day the `generation`th execution started: from the history, else a day before each later one. */
  executionDay(generation: number): number {
    const known = this.executionDays
    const index = known.length - 1 - (this.generation - generation)
    if (known.length === 0) return this.today - (this.generation - generation)
    return Math.min(this.today, index >= 0 ? known[index] : known[0] + index)
  }

  /** The name the accounts are held under: the company, or the person (and the spouse on a joint account). */
  get holderName(): string {
    const p = this.profile
    if (p.company) return p.company.legalName
    return this.joint ? `${p.fullName} e ${p.partner.name}` : p.fullName
  }

  /** The holder's document: the company's CNPJ, or the person's CPF. */
  get holderDocument(): string {
    return this.profile.company?.cnpj ?? this.profile.cpf
  }

  /** The random source of one record: a stream and up to two keys that tell its records apart. */
  rng(stream: Stream, a = 0, b = 0): Rng {
    return new Rng(mixSeed(this.seedLo, this.seedHi, STREAMS[stream], a, b))
  }

  /** A day as a full ISO timestamp (see {@link isoOfDay}), memoised. */
  iso(day: number): string {
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
}
