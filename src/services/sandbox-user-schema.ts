import { createHash } from 'node:crypto'
import { z } from 'zod'
import { FINAL_OUTCOMES } from '../domain/statuses.ts'
import { DEFAULT_CUSTOM_OUTCOMES, type CustomSandboxUser } from '../domain/sandbox-user-document.ts'

/**
 * The custom sandbox user document (docs/sandbox.md), as the API and TRIBUTARY_SANDBOX_USERS_FILE
 * take it: every problem is reported with its path (`accounts.0.balance`), and every default is
 * filled, so the institution reads a complete CustomSandboxUser.
 */
const Money = z.number().refine((n) => Number.isFinite(n) && Math.abs(n) < 1e12, 'must be an amount below 10^12')
const Day = z.iso.date().describe('YYYY-MM-DD')

const Transaction = z.strictObject({
  id: z.string().min(1).max(100).optional().describe('The institution’s id (default: derived from the account and position)'),
  date: Day,
  description: z.string().trim().min(1).max(200),
  amount: Money.refine((n) => n !== 0, 'must not be 0').describe('Signed as the reference signs it: on a bank account money in is positive; on a credit card a purchase is positive'),
  status: z.enum(['PENDING', 'POSTED']).default('POSTED'),
})

const Account = z
  .strictObject({
    id: z.string().min(1).max(100).optional(),
    type: z.enum(['BANK', 'CREDIT']).default('BANK'),
    subtype: z.enum(['CHECKING_ACCOUNT', 'SAVINGS_ACCOUNT', 'CREDIT_CARD']).optional().describe('Default: CHECKING_ACCOUNT for BANK, CREDIT_CARD for CREDIT'),
    name: z.string().trim().min(1).max(100),
    number: z.string().min(1).max(40).optional(),
    balance: Money,
    currencyCode: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as BRL')
      .default('BRL'),
    transactions: z.array(Transaction).max(10_000).default([]),
  })
  .refine((a) => a.subtype === undefined || (a.type === 'CREDIT') === (a.subtype === 'CREDIT_CARD'), {
    message: 'CREDIT accounts are CREDIT_CARD, BANK accounts CHECKING_ACCOUNT or SAVINGS_ACCOUNT',
    path: ['subtype'],
  })

const Investment = z.strictObject({
  id: z.string().min(1).max(100).optional(),
  name: z.string().trim().min(1).max(100),
  type: z.enum(['MUTUAL_FUND', 'SECURITY', 'EQUITY', 'COE', 'FIXED_INCOME', 'ETF', 'OTHER']),
  balance: Money,
  currencyCode: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as BRL')
    .default('BRL'),
})

const Identity = z.strictObject({
  fullName: z.string().trim().min(1).max(200),
  document: z
    .string()
    .regex(/^\d{11}$|^\d{14}$/, 'must be a CPF (11 digits) or CNPJ (14 digits)')
    .nullish(),
  birthDate: Day.nullish(),
  emails: z.array(z.email()).max(10).default([]),
  phoneNumbers: z.array(z.string().min(1).max(30)).max(10).default([]),
})

export const SandboxUserDocument = z
  .strictObject({
    user: z
      .string()
      .regex(/^[A-Za-z0-9._@+-]{1,100}$/, 'must be 1–100 of A–Z, a–z, 0–9 and . _ @ + -')
      .refine((name) => !name.startsWith('user-'), 'must not start with user- (the built-in sandbox users’ names)')
      .describe('The user name that logs in as this user on any sandbox connector'),
    password: z.string().min(1).max(100).default('password-ok'),
    outcomes: z
      .array(z.enum(FINAL_OUTCOMES))
      .min(1)
      .max(100)
      .default(() => [...DEFAULT_CUSTOM_OUTCOMES])
      .describe('How the 1st, 2nd, … execution of an item ends; the last goes on'),
    accounts: z.array(Account).max(50).default([]),
    investments: z.array(Investment).max(200).default([]),
    identity: Identity.nullish(),
  })
  .superRefine((doc, ctx) => {
    const accountIds = new Set<string>()
    doc.accounts.forEach((account, i) => {
      const id = account.id ?? `${doc.user}-account-${i + 1}`
      if (accountIds.has(id)) ctx.addIssue({ code: 'custom', message: `account id ${id} is used twice`, path: ['accounts', i, 'id'] })
      accountIds.add(id)
    })
  })

export type SandboxUserDocumentInput = z.input<typeof SandboxUserDocument>

/** The document with every default filled: what a sandbox institution reads. */
export function completeSandboxUser(doc: z.output<typeof SandboxUserDocument>): CustomSandboxUser {
  return {
    user: doc.user,
    passwordSha256: createHash('sha256').update(doc.password, 'utf8').digest('hex'),
    outcomes: doc.outcomes,
    accounts: doc.accounts.map((account, i) => {
      const id = account.id ?? `${doc.user}-account-${i + 1}`
      return {
        id,
        type: account.type,
        subtype: account.subtype ?? (account.type === 'CREDIT' ? 'CREDIT_CARD' : 'CHECKING_ACCOUNT'),
        name: account.name,
        number: account.number ?? String(10_000 + i),
        balance: account.balance,
        currencyCode: account.currencyCode,
        transactions: account.transactions.map((t, j) => ({ id: t.id ?? `${id}-tx-${j + 1}`, date: t.date, description: t.description, amount: t.amount, status: t.status })),
      }
    }),
    investments: doc.investments.map((investment, i) => ({ ...investment, id: investment.id ?? `${doc.user}-investment-${i + 1}` })),
    identity: doc.identity
      ? { fullName: doc.identity.fullName, document: doc.identity.document ?? null, birthDate: doc.identity.birthDate ?? null, emails: doc.identity.emails, phoneNumbers: doc.identity.phoneNumbers }
      : null,
  }
}

/**
 * Reads the users of a TRIBUTARY_SANDBOX_USERS_FILE: one document or an array of them. The first
 * problem is thrown as one line naming its path.
 */
export function parseSandboxUsersFile(text: string): CustomSandboxUser[] {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new Error(`is not valid JSON (${(error as Error).message})`)
  }
  const documents = Array.isArray(json) ? json : [json]
  const users = documents.map((doc, i) => {
    const parsed = SandboxUserDocument.safeParse(doc)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const where = [...(Array.isArray(json) ? [i] : []), ...issue.path].join('.')
      throw new Error(`${where ? `${where}: ` : ''}${issue.message}`)
    }
    return completeSandboxUser(parsed.data)
  })
  const names = new Set<string>()
  for (const user of users) {
    if (names.has(user.user)) throw new Error(`user ${user.user} is defined twice`)
    names.add(user.user)
  }
  return users
}
