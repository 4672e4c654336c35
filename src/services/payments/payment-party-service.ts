import { createHash, randomUUID } from 'node:crypto'
import type { Pool } from 'pg'
import { parseBankAccount } from '../../domain/payments/bank-account.ts'
import type { FieldProblem } from '../../domain/payments/field-problem.ts'
import { parsePixKey, type PixKey } from '../../domain/payments/pix-key.ts'
import { parseTaxNumber } from '../../domain/payments/tax-number.ts'
import { Refusal } from '../../engine/refusal.ts'
import {
  deletePaymentCustomer,
  findPaymentCustomer,
  findPaymentInstitution,
  insertPaymentCustomer,
  listPaymentCustomers,
  listPaymentInstitutions,
  updatePaymentCustomer,
  type CustomerFields,
  type PaymentCustomerRow,
  type PaymentInstitutionRow,
} from '../../store/payments/payment-parties.ts'
import {
  deletePaymentRecipient,
  findPaymentRecipient,
  insertPaymentRecipient,
  listPaymentRecipients,
  updatePaymentRecipient,
  type PaymentRecipientRow,
  type RecipientFields,
} from '../../store/payments/payment-recipients.ts'
import { findSmartAccount } from '../../store/payments/smart-accounts.ts'
import type { Clock } from '../../time/clock.ts'
import { resourceId } from '../resource-id.ts'
import { checked, refuseProblems } from './payment-call.ts'

export type { PaymentCustomerRow }

export type CustomerBody = { name: string; email?: string | null; cpf?: string | null; cnpj?: string | null; type: 'INDIVIDUAL' | 'BUSINESS' }
export type RecipientBody =
  | { name: string; taxNumber: string; paymentInstitutionId: string; isDefault?: boolean; account: { type: string; number: string; branch: string } }
  | { pixKey: string }
  | { smartAccountId: string }
export type RecipientUpdateBody = { name: string; taxNumber: string; isDefault?: boolean; account?: { type: string; number: string; branch: string } }
type Page = { limit: number; offset: number }

/** The institution smart accounts are held at (migration 065). */
export const SMART_ACCOUNT_INSTITUTION_ID = '0f3c1a52-7d0e-4c39-9a1e-000000000065'

/** The tax numbers a customer of `type` carries: a person's CPF; a company's CNPJ (and its representative's CPF, if given). */
function customerTaxNumbers(body: Partial<CustomerBody>, type: string, problems: FieldProblem[]): { cpf: string | null; cnpj: string | null } {
  const cpf = body.cpf ? checked(parseTaxNumber('cpf', body.cpf), problems) : undefined
  const cnpj = body.cnpj ? checked(parseTaxNumber('cnpj', body.cnpj), problems) : undefined
  if (cpf && cpf.type !== 'CPF') problems.push({ field: 'cpf', message: 'cpf must be a CPF (11 digits).' })
  if (cnpj && cnpj.type !== 'CNPJ') problems.push({ field: 'cnpj', message: 'cnpj must be a CNPJ (14 characters).' })
  if (type === 'INDIVIDUAL' && body.cpf === undefined && !cpf) problems.push({ field: 'cpf', message: 'An INDIVIDUAL customer needs a cpf.' })
  if (type === 'BUSINESS' && body.cnpj === undefined && !cnpj) problems.push({ field: 'cnpj', message: 'A BUSINESS customer needs a cnpj.' })
  return { cpf: cpf?.value ?? null, cnpj: cnpj?.value ?? null }
}

/**
 * Payment customers, recipients and institutions of the calling client (the parties of payments;
 * docs/payments.md). Bodies are checked with the payment domain's validators.
 */
export class PaymentPartyService {
  constructor(
    private readonly db: Pool,
    private readonly clock: Clock,
  ) {}

  institution = async (id: string): Promise<PaymentInstitutionRow> => {
    const found = await findPaymentInstitution(this.db, resourceId(id, 'PAYMENT_INSTITUTION_NOT_FOUND', 'Payment institution'))
    if (!found) throw new Refusal('not_found', 'PAYMENT_INSTITUTION_NOT_FOUND', `Payment institution ${id} does not exist; list them with GET /payments/recipients/institutions.`)
    return found
  }

  institutions = (filter: { name?: string } & Page) => listPaymentInstitutions(this.db, filter)

  async createCustomer(clientId: string, body: CustomerBody): Promise<PaymentCustomerRow> {
    const problems: FieldProblem[] = []
    const numbers = customerTaxNumbers(body, body.type, problems)
    if (problems.length > 0) refuseProblems(problems)
    return insertPaymentCustomer(this.db, { id: randomUUID(), clientId, name: body.name, email: body.email ?? null, ...numbers, type: body.type, at: this.clock.now() })
  }

  async customer(clientId: string, id: string): Promise<PaymentCustomerRow> {
    const found = await findPaymentCustomer(this.db, clientId, resourceId(id, 'PAYMENT_CUSTOMER_NOT_FOUND', 'Payment customer'))
    if (!found) throw new Refusal('not_found', 'PAYMENT_CUSTOMER_NOT_FOUND', `Payment customer ${id} does not exist for this client.`)
    return found
  }

  customers = (clientId: string, page: Page) => listPaymentCustomers(this.db, clientId, page)

  async updateCustomer(clientId: string, id: string, body: Partial<CustomerBody>): Promise<PaymentCustomerRow> {
    const current = await this.customer(clientId, id)
    const problems: FieldProblem[] = []
    const numbers = customerTaxNumbers({ cpf: current.cpf, cnpj: current.cnpj, ...body }, body.type ?? current.type, problems)
    if (problems.length > 0) refuseProblems(problems)
    const patch: Partial<CustomerFields> = {
      name: body.name,
      email: body.email,
      type: body.type,
      ...(body.cpf !== undefined ? { cpf: numbers.cpf } : {}),
      ...(body.cnpj !== undefined ? { cnpj: numbers.cnpj } : {}),
    }
    const updated = await updatePaymentCustomer(this.db, clientId, id, patch, this.clock.now())
    if (!updated) throw new Refusal('not_found', 'PAYMENT_CUSTOMER_NOT_FOUND', `Payment customer ${id} does not exist for this client.`)
    return updated
  }

  async deleteCustomer(clientId: string, id: string): Promise<void> {
    if (!(await deletePaymentCustomer(this.db, clientId, resourceId(id, 'PAYMENT_CUSTOMER_NOT_FOUND', 'Payment customer'))))
      throw new Refusal('not_found', 'PAYMENT_CUSTOMER_NOT_FOUND', `Payment customer ${id} does not exist for this client.`)
  }

  async createRecipient(clientId: string, body: RecipientBody): Promise<PaymentRecipientRow> {
    const fields =
      'smartAccountId' in body ? await this.recipientOfSmartAccount(clientId, body.smartAccountId) : 'pixKey' in body ? await this.recipientOfPixKey(body.pixKey) : await this.recipientOfAccount(body)
    return insertPaymentRecipient(this.db, { ...fields, id: randomUUID(), clientId, at: this.clock.now() })
  }

  async recipient(clientId: string, id: string): Promise<PaymentRecipientRow> {
    const found = await findPaymentRecipient(this.db, clientId, resourceId(id, 'PAYMENT_RECIPIENT_NOT_FOUND', 'Payment recipient'))
    if (!found) throw new Refusal('not_found', 'PAYMENT_RECIPIENT_NOT_FOUND', `Payment recipient ${id} does not exist for this client.`)
    return found
  }

  recipients = (clientId: string, page: Page) => listPaymentRecipients(this.db, clientId, page)

  async updateRecipient(clientId: string, id: string, body: RecipientUpdateBody): Promise<PaymentRecipientRow> {
    await this.recipient(clientId, id)
    const problems: FieldProblem[] = []
    const taxNumber = checked(parseTaxNumber('taxNumber', body.taxNumber), problems)
    const account = body.account ? checked(parseBankAccount('account', body.account), problems) : undefined
    if (problems.length > 0) refuseProblems(problems)
    const updated = await updatePaymentRecipient(this.db, clientId, id, { name: body.name, taxNumber: taxNumber!.value, isDefault: body.isDefault, account }, this.clock.now())
    if (!updated) throw new Refusal('not_found', 'PAYMENT_RECIPIENT_NOT_FOUND', `Payment recipient ${id} does not exist for this client.`)
    return updated
  }

  async deleteRecipient(clientId: string, id: string): Promise<void> {
    await this.recipient(clientId, id)
    if (!(await deletePaymentRecipient(this.db, clientId, id))) {
      throw new Refusal('conflict', 'PAYMENT_RECIPIENT_IN_USE', `Payment recipient ${id} is named by a payment request or a smart transfer; it cannot be deleted.`)
    }
  }

  private async recipientOfAccount(body: Extract<RecipientBody, { account: unknown }>): Promise<Omit<RecipientFields, never>> {
    const problems: FieldProblem[] = []
    const taxNumber = checked(parseTaxNumber('taxNumber', body.taxNumber), problems)
    const account = checked(parseBankAccount('account', body.account), problems)
    if (problems.length > 0) refuseProblems(problems)
    const institution = /^[0-9a-f-]{36}$/i.test(body.paymentInstitutionId) ? await findPaymentInstitution(this.db, body.paymentInstitutionId.toLowerCase()) : undefined
    if (!institution)
      refuseProblems([
        { field: 'paymentInstitutionId', message: `paymentInstitutionId ${body.paymentInstitutionId} is not a payment institution; list them with GET /payments/recipients/institutions.` },
      ])
    return { name: body.name, taxNumber: taxNumber!.value, isDefault: body.isDefault ?? false, paymentInstitutionId: institution.id, account: account!, pixKey: null, smartAccountId: null }
  }

  /**
   * A recipient by smart account: the client's own account held with Tributary, at the sandbox's
   * institution for smart accounts (migration 065), owned by the account's holder.
   */
  private async recipientOfSmartAccount(clientId: string, smartAccountId: string): Promise<RecipientFields> {
    const account = /^[0-9a-f-]{36}$/i.test(smartAccountId) ? await findSmartAccount(this.db, clientId, smartAccountId.toLowerCase()) : undefined
    if (!account) refuseProblems([{ field: 'smartAccountId', message: `smartAccountId ${smartAccountId} is not a smart account of this client; list them with GET /payments/smart-accounts.` }])
    return {
      name: account.name,
      taxNumber: account.taxNumber,
      isDefault: false,
      paymentInstitutionId: SMART_ACCOUNT_INSTITUTION_ID,
      account: { type: 'CHECKING_ACCOUNT', number: `${account.number}${account.verifyingDigit}`, branch: account.agency },
      pixKey: null,
      smartAccountId: account.id,
    }
  }

  /**
   * A recipient by Pix key, as the sandbox's Pix directory answers it: the key's owner is made up
   * from the key itself (the same key always names the same owner, account and institution), and
   * a CPF or CNPJ key is its owner's tax number.
   */
  private async recipientOfPixKey(text: string): Promise<RecipientFields> {
    const parsed = parsePixKey('pixKey', text)
    if (!parsed.ok) refuseProblems(parsed.problems)
    const key: PixKey = parsed.value
    const digest = createHash('sha256').update(`${key.type}:${key.value}`).digest()
    // Pix keys resolve to accounts at banks, never to the institution smart accounts are held at.
    const rows = (await this.institutions({ limit: 500, offset: 0 })).rows.filter((row) => row.id !== SMART_ACCOUNT_INSTITUTION_ID)
    const institution = rows[digest[0] % rows.length]
    const taxNumber = key.type === 'CPF' || key.type === 'CNPJ' ? key.value : sandboxCpf(digest)
    const number = String(digest.readUInt32BE(1) % 10_000_000).padStart(7, '0')
    return {
      name: `Recebedor Pix ${key.value.slice(0, 24)}`,
      taxNumber,
      isDefault: false,
      paymentInstitutionId: institution.id,
      account: { type: 'CHECKING_ACCOUNT', number, branch: String((digest[5] % 9000) + 1000) },
      pixKey: key,
      smartAccountId: null,
    }
  }
}

/** A valid CPF made from `seed` (check digits computed as the Receita Federal does). */
function sandboxCpf(seed: Buffer): string {
  const base = Array.from({ length: 9 }, (_, i) => seed[i + 6] % 10)
  const digit = (digits: number[]) => {
    const sum = digits.reduce((total, d, i) => total + d * (digits.length + 1 - i), 0)
    const rest = (sum * 10) % 11
    return rest === 10 ? 0 : rest
  }
  const first = digit(base)
  const second = digit([...base, first])
  return [...base, first, second].join('')
}
