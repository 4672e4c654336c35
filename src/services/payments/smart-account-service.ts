import { randomInt, randomUUID } from 'node:crypto'
import type { Pool } from 'pg'
import type { FieldProblem } from '../../domain/payments/field-problem.ts'
import { parseTaxNumber } from '../../domain/payments/tax-number.ts'
import { Refusal } from '../../engine/refusal.ts'
import { withTransaction } from '../../store/database.ts'
import { findSmartAccount, insertSmartAccount, listSmartAccounts, type SmartAccountRow } from '../../store/payments/smart-accounts.ts'
import type { Clock } from '../../time/clock.ts'
import { resourceId } from '../resource-id.ts'
import { checked, refuseProblems } from './payment-call.ts'
import { claimCreation } from './payment-idempotency.ts'

export type { SmartAccountRow }

export interface SmartAccountBody {
  name: string
  taxNumber: string
  email: string
  phoneNumber: string
  isSandbox?: boolean
}

/** Every smart account is held at this branch of Tributary's sandbox institution. */
export const SMART_ACCOUNT_AGENCY = '0001'

/** The mod-11 check digit of an account number (weights 2…9 from the right; 10 and 11 give 0). */
export function accountCheckDigit(number: string): string {
  const sum = [...number].reverse().reduce((total, digit, i) => total + Number(digit) * ((i % 8) + 2), 0)
  const digit = 11 - (sum % 11)
  return digit >= 10 ? '0' : String(digit)
}

/**
 * Smart accounts: accounts the client holds with Tributary (docs/payments.md, methods 24–27). A
 * bulk payment is topped up into one and pays its requests from it; a recipient may name one.
 */
export class SmartAccountService {
  constructor(
    private readonly db: Pool,
    private readonly clock: Clock,
  ) {}

  async create(clientId: string, body: SmartAccountBody, idempotencyKey: string | undefined): Promise<SmartAccountRow> {
    const problems: FieldProblem[] = []
    const taxNumber = checked(parseTaxNumber('taxNumber', body.taxNumber), problems)
    if (!/^\+?[\d\s()-]{8,20}$/.test(body.phoneNumber)) problems.push({ field: 'phoneNumber', message: 'phoneNumber is a phone number of 8 to 20 digits, such as +5511987654321.' })
    if (problems.length > 0) refuseProblems(problems)
    const at = this.clock.now()
    const id = randomUUID()
    return withTransaction(this.db, async (tx) => {
      const first = await claimCreation(tx, { clientId, operation: 'createSmartAccount', key: idempotencyKey, body, resourceId: id, at })
      if (first) return (await findSmartAccount(tx, clientId, first))!
      const number = String(randomInt(10_000_000, 100_000_000))
      return insertSmartAccount(tx, {
        id,
        clientId,
        name: body.name,
        taxNumber: taxNumber!.value,
        email: body.email,
        phoneNumber: body.phoneNumber.replace(/[\s()-]/g, ''),
        agency: SMART_ACCOUNT_AGENCY,
        number,
        verifyingDigit: accountCheckDigit(number),
        isSandbox: body.isSandbox ?? false,
        at,
      })
    })
  }

  async get(clientId: string, id: string): Promise<SmartAccountRow> {
    const found = await findSmartAccount(this.db, clientId, resourceId(id, 'SMART_ACCOUNT_NOT_FOUND', 'Smart account'))
    if (!found) throw new Refusal('not_found', 'SMART_ACCOUNT_NOT_FOUND', `Smart account ${id} does not exist for this client; list them with GET /payments/smart-accounts.`)
    return found
  }

  list = (clientId: string, page: { limit: number; offset: number }) => listSmartAccounts(this.db, clientId, page)
}
