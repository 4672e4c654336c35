import { invalid, valid, type FieldProblem, type Validated } from './field-problem.ts'

/**
 * A recipient's bank account, with the reference's fields (PaymentRecipientAccount) and the
 * institution's identifiers: ISPB, the 8-digit code of the Brazilian payment system (SPB), and
 * COMPE, the 3-digit bank code.
 */
export const BANK_ACCOUNT_TYPES = ['SAVINGS_ACCOUNT', 'CHECKING_ACCOUNT', 'GUARANTEED_ACCOUNT'] as const
export type BankAccountType = (typeof BANK_ACCOUNT_TYPES)[number]

export interface BankAccount {
  type: BankAccountType
  /** The account number with its check digit, digits only. */
  number: string
  /** The branch (agência), up to 4 digits without check digit. */
  branch: string
}

export function isIspb(text: string): boolean {
  return /^\d{8}$/.test(text)
}

export function isCompe(text: string): boolean {
  return /^\d{3}$/.test(text)
}

/**
 * Checks a bank account and answers it canonically: the number's dash before its check digit
 * removed (Open Finance carries account numbers as digits), the type one of the reference's.
 */
export function parseBankAccount(field: string, account: { type?: unknown; number?: unknown; branch?: unknown } | null | undefined): Validated<BankAccount> {
  if (!account || typeof account !== 'object') return invalid(field, `${field} is required: { type, number, branch }.`)
  const problems: FieldProblem[] = []
  const { type, number, branch } = account
  if (typeof type !== 'string' || !(BANK_ACCOUNT_TYPES as readonly string[]).includes(type))
    problems.push({ field: `${field}.type`, message: `${field}.type is one of ${BANK_ACCOUNT_TYPES.join(', ')}.` })
  const digits = typeof number === 'string' ? number.trim().replace(/^(\d+)-(\d)$/, '$1$2') : ''
  if (!/^\d{1,20}$/.test(digits))
    problems.push({ field: `${field}.number`, message: `${field}.number is the account number with its check digit: 1 to 20 digits (a dash before the check digit is accepted).` })
  const agency = typeof branch === 'string' ? branch.trim() : ''
  if (!/^\d{1,4}$/.test(agency)) problems.push({ field: `${field}.branch`, message: `${field}.branch is the branch code: 1 to 4 digits, without check digit.` })
  if (problems.length > 0) return { ok: false, problems }
  return valid({ type: type as BankAccountType, number: digits, branch: agency })
}
