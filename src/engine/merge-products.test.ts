import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CollectedAccount, CollectedCreditCardBill, CollectedLoan, CollectedTransaction } from '../connectors/sdk/index.ts'
import { PRODUCTS, type Product } from '../domain/statuses.ts'
import { findAccountStatement, findAccountStatementPdf, listAccountStatements } from '../store/account-statements.ts'
import { findCreditCardBill, listCreditCardBills } from '../store/credit-card-bills.ts'
import { openDatabase, withTransaction, type Database } from '../store/database.ts'
import { findIdentityOfItem } from '../store/identity.ts'
import { listInvestmentTransactions, listInvestments } from '../store/investments.ts'
import { findLoan, listLoans } from '../store/loans.ts'
import { migrate } from '../store/migrate.ts'
import { findTransaction, listTransactions, listTransactionsAfter, setTransactionCategory } from '../store/transactions.ts'
import { mergeCollected, type CollectedData } from './merge.ts'

// The merge of the products beyond the seed's (bills, loans, statements), of categories and of
// every field of the reference's types, against a real (embedded) database, one item per test.

const CLIENT = 'merge-products'
let db: Database
beforeAll(async () => {
  db = await openDatabase({ databaseUrl: null, dataDir: ':memory:' })
  await migrate(db.pool, db.connectionString)
  await db.pool.query(`insert into clients (id, secret_enc) values ($1, 'unused'), ('someone-else', 'unused')`, [CLIENT])
})
afterAll(() => db?.close())

const T0 = Date.UTC(2026, 2, 20, 12)

async function newItem(): Promise<string> {
  const id = randomUUID()
  await db.pool.query(
    `insert into items (id, client_id, connector_id, status, execution_status, credentials_enc, credentials_hash, created_at, updated_at)
     values ($1, $2, 0, 'UPDATING', 'MERGING', 'x', 'x', now(), now())`,
    [id, CLIENT],
  )
  return id
}

const CHECKING: CollectedAccount = {
  providerId: 'acc-1',
  type: 'BANK',
  subtype: 'CHECKING_ACCOUNT',
  number: '0001/123-4',
  name: 'Checking',
  balance: 100,
  currencyCode: 'BRL',
  taxNumber: '529.982.247-25',
}
const bill = (providerId: string, extra: Partial<CollectedCreditCardBill> = {}): CollectedCreditCardBill => ({
  providerId,
  dueDate: '2026-03-10',
  billClosingDate: '2026-03-03',
  totalAmount: 420.5,
  totalAmountCurrencyCode: 'BRL',
  minimumPaymentAmount: 63.08,
  allowsInstallments: true,
  financeCharges: [{ type: 'IOF', amount: 3.5, currencyCode: 'BRL' }],
  payments: [{ providerId: 'pay-1', valueType: 'FULL_PAYMENT', paymentDate: '2026-03-10', paymentMode: 'DEBIT_ACCOUNT', amount: 420.5, currencyCode: 'BRL' }],
  ...extra,
})
const card = (bills: CollectedCreditCardBill[]): CollectedAccount => ({
  providerId: 'card-1',
  type: 'CREDIT',
  subtype: 'CREDIT_CARD',
  number: 'xxxx1234',
  name: 'Card',
  balance: 420.5,
  currencyCode: 'BRL',
  creditData: { balanceCloseDate: '2026-04-03', balanceDueDate: '2026-04-10', creditLimit: 5000 },
  bills,
})
const purchase = (providerId: string, billId: string | null, extra: Partial<CollectedTransaction> = {}): CollectedTransaction => ({
  providerId,
  accountProviderId: 'card-1',
  date: '2026-02-20',
  description: 'MERCADO BOM PRECO',
  currencyCode: 'BRL',
  amount: 120,
  status: 'POSTED',
  type: 'DEBIT',
  creditCardMetadata: { payeeMCC: 5411, ...(billId ? { billId } : {}) },
  ...extra,
})

function data(extra: Partial<CollectedData> = {}): CollectedData {
  return {
    accounts: [CHECKING],
    creditCards: [card([bill('b-2026-03')])],
    transactions: [],
    investments: [],
    investmentTransactions: [],
    paymentData: [],
    identity: { fullName: 'Ana Lima' },
    opportunities: [],
    loans: [],
    accountStatements: [],
    ...extra,
  }
}

async function merge(itemId: string, collected: CollectedData, options: { at?: number; products?: Product[] } = {}) {
  const scope = {
    itemId,
    clientId: CLIENT,
    at: new Date(options.at ?? T0),
    products: options.products ?? [...PRODUCTS],
    failedProducts: [],
    triggeredBy: 'SYNC' as const,
    clientUserId: null,
    webhookUrl: null,
  }
  return withTransaction(db.pool, (client) => mergeCollected(client, scope, collected))
}

async function accountId(itemId: string, providerId: string): Promise<string> {
  const { rows } = await db.pool.query<{ id: string }>(`select id from accounts where item_id = $1 and provider_id = $2`, [itemId, providerId])
  return rows[0].id
}

describe('credit-card bills', () => {
  it('keep their ids and their charges’ and payments’ ids across executions; re-running changes nothing', async () => {
    const item = await newItem()
    const first = await merge(item, data())
    expect(first.bills).toEqual({ created: 1, updated: 0 })
    const {
      rows: [stored],
    } = await listCreditCardBills(db.pool, CLIENT, { accountId: await accountId(item, 'card-1'), limit: 10, offset: 0 })
    expect(stored).toMatchObject({ totalAmount: 420.5, totalAmountCurrencyCode: 'BRL', minimumPaymentAmount: 63.08, allowsInstallments: true })
    expect(stored.dueDate.toISOString()).toBe('2026-03-10T00:00:00.000Z')
    expect(stored.billClosingDate?.toISOString()).toBe('2026-03-03T00:00:00.000Z')
    expect(stored.financeCharges).toEqual([{ id: expect.stringMatching(/^[0-9a-f-]{36}$/), type: 'IOF', amount: 3.5, currencyCode: 'BRL', additionalInfo: null }])
    expect(stored.payments).toEqual([{ id: expect.any(String), valueType: 'FULL_PAYMENT', paymentDate: '2026-03-10T00:00:00.000Z', paymentMode: 'DEBIT_ACCOUNT', amount: 420.5, currencyCode: 'BRL' }])

    expect((await merge(item, data(), { at: T0 + 1000 })).bills).toEqual({ created: 0, updated: 0 })
    const changed = await merge(item, data({ creditCards: [card([bill('b-2026-03', { totalAmount: 421 }), bill('b-2026-04', { dueDate: '2026-04-10' })])] }), { at: T0 + 2000 })
    expect(changed.bills).toEqual({ created: 1, updated: 1 })
    const again = await findCreditCardBill(db.pool, CLIENT, stored.id)
    expect(again).toMatchObject({ id: stored.id, totalAmount: 421, financeCharges: stored.financeCharges, payments: stored.payments })
    expect(await findCreditCardBill(db.pool, 'someone-else', stored.id)).toBeUndefined()
  })

  it('a card transaction names its bill by the institution’s id and reads the bill’s Tributary id; billId filters', async () => {
    const item = await newItem()
    await merge(item, data({ transactions: [purchase('t1', 'b-2026-03'), purchase('t2', 'no-such-bill'), purchase('t3', null, { status: 'PENDING', date: '2026-03-15' })] }))
    const cardId = await accountId(item, 'card-1')
    const {
      rows: [stored],
    } = await listCreditCardBills(db.pool, CLIENT, { accountId: cardId, limit: 10, offset: 0 })
    const { rows } = await listTransactions(db.pool, CLIENT, { accountId: cardId, limit: 10, offset: 0 })
    const byProvider = new Map(rows.map((r) => [r.providerId, r]))
    expect(byProvider.get('t1')).toMatchObject({ billId: stored.id, creditCardMetadata: { payeeMCC: 5411, billId: stored.id } })
    // A bill the store does not have is never served as an id nobody can read.
    expect(byProvider.get('t2')?.creditCardMetadata).toEqual({ payeeMCC: 5411 })
    expect(byProvider.get('t2')?.billId).toBeNull()
    const onBill = await listTransactions(db.pool, CLIENT, { accountId: cardId, billId: stored.id, limit: 10, offset: 0 })
    expect(onBill.rows.map((r) => r.providerId)).toEqual(['t1'])
  })

  it('a transaction stored before its bill is linked when the bill arrives, and reported updated', async () => {
    const item = await newItem()
    await merge(item, data({ creditCards: [card([])], transactions: [purchase('t1', 'b-2026-03')] }))
    const result = await merge(item, data({ transactions: [purchase('t1', 'b-2026-03')] }), { at: T0 + 1000 })
    expect(result.bills.created).toBe(1)
    expect(result.transactions).toEqual({ created: 0, updated: 1, deleted: 0 })
    expect(result.events.map((e) => e.type)).toEqual(['transactions/updated'])
    const { rows } = await listTransactions(db.pool, CLIENT, { accountId: await accountId(item, 'card-1'), limit: 10, offset: 0 })
    expect(rows[0].billId).toEqual(expect.any(String))
  })
})

describe('categories', () => {
  const pix = (providerId: string, extra: Partial<CollectedTransaction> = {}): CollectedTransaction => ({
    providerId,
    accountProviderId: 'acc-1',
    date: '2026-03-01',
    description: 'PIX ENVIADO JOAO',
    currencyCode: 'BRL',
    amount: -50,
    status: 'POSTED',
    type: 'DEBIT',
    paymentData: { paymentMethod: 'PIX', receiver: { name: 'João', documentNumber: { type: 'CPF', value: '111.444.777-35' } } },
    ...extra,
  })

  it('the connector’s category when it gives one, else the categorizer’s; a user’s choice survives later merges', async () => {
    const item = await newItem()
    const salary: CollectedTransaction = { ...pix('s1'), description: 'TED RECEBIDA', amount: 3000, type: 'CREDIT', categoryId: '01010000', paymentData: null }
    const toSelf = pix('self', { paymentData: { paymentMethod: 'PIX', receiver: { documentNumber: { type: 'CPF', value: '52998224725' } } } })
    await merge(item, data({ transactions: [pix('p1'), salary, toSelf, purchase('c1', null)] }))
    const read = async (providerId: string) =>
      (await listTransactions(db.pool, CLIENT, { accountId: await accountId(item, providerId === 'c1' ? 'card-1' : 'acc-1'), limit: 50, offset: 0 })).rows.find((r) => r.providerId === providerId)!
    expect(await read('p1')).toMatchObject({ categoryId: '05090004', category: 'Third party transfer - PIX' })
    expect(await read('s1')).toMatchObject({ categoryId: '01010000', category: 'Salary' })
    expect(await read('self')).toMatchObject({ categoryId: '04020000', category: 'Same person transfer - PIX' })
    expect(await read('c1')).toMatchObject({ categoryId: '10000000', category: 'Groceries' })

    const p1 = await read('p1')
    const chosen = await setTransactionCategory(db.pool, CLIENT, p1.id, { id: '17010000', description: 'Rent' }, new Date(T0 + 500))
    expect(chosen).toMatchObject({ id: p1.id, categoryId: '17010000', category: 'Rent' })
    expect(await setTransactionCategory(db.pool, 'someone-else', p1.id, { id: '17010000', description: 'Rent' }, new Date(T0 + 500))).toBeUndefined()
    // The institution changes the transaction: the merge updates it, and the user's choice stays.
    const later = await merge(item, data({ transactions: [pix('p1', { description: 'PIX ENVIADO JOAO SILVA' }), salary, toSelf, purchase('c1', null)] }), { at: T0 + 1000 })
    expect(later.transactions.updated).toBe(1)
    expect(await findTransaction(db.pool, CLIENT, p1.id)).toMatchObject({ description: 'PIX ENVIADO JOAO SILVA', categoryId: '17010000', category: 'Rent' })
    // Cleared: back to the automatic category.
    expect(await setTransactionCategory(db.pool, CLIENT, p1.id, null, new Date(T0 + 2000))).toMatchObject({ categoryId: '05090004' })
  })

  it('ids filter both lists', async () => {
    const item = await newItem()
    await merge(item, data({ transactions: [pix('a'), pix('b', { date: '2026-03-02' }), pix('c', { date: '2026-03-03' })] }))
    const checking = await accountId(item, 'acc-1')
    const all = (await listTransactions(db.pool, CLIENT, { accountId: checking, limit: 50, offset: 0 })).rows
    const ids = all.filter((r) => r.providerId !== 'b').map((r) => r.id)
    expect((await listTransactions(db.pool, CLIENT, { accountId: checking, ids, limit: 50, offset: 0 })).total).toBe(2)
    const after = await listTransactionsAfter(db.pool, CLIENT, { accountId: checking, afterSeq: 0, dateFrom: null, dateTo: null, createdAtFrom: null, ids, limit: 50 })
    expect(after.map((r) => r.providerId).sort()).toEqual(['a', 'c'])
  })
})

describe('loans', () => {
  const loan: CollectedLoan = {
    providerId: 'loan-1',
    contractNumber: '123',
    productName: 'Crédito pessoal',
    type: 'CREDITO_PESSOAL_SEM_CONSIGNACAO',
    kind: 'LOAN',
    contractDate: '2025-09-01',
    disbursementDates: ['2025-09-02'],
    contractAmount: 12000,
    currencyCode: 'BRL',
    installmentPeriodicity: 'MONTHLY',
    CET: 0.42,
    amortizationScheduled: 'PRICE',
    interestRates: [{ taxType: 'EFFECTIVE', interestRateType: 'COMPOUND', taxPeriodicity: 'YEARLY', calculation: '21/252', preFixedRate: 0.35 }],
    installments: { totalNumberOfInstallments: 24, paidInstallments: 6, dueInstallments: 18, pastDueInstallments: 0 },
    payments: { contractOutstandingBalance: 9300.5, releases: [{ isOverParcelPayment: false, installmentId: '6', paidDate: '2026-03-01', currencyCode: 'BRL', paidAmount: 640.2 }] },
  }

  it('keep their ids, dates become instants, re-running changes nothing, a change updates; never deleted', async () => {
    const item = await newItem()
    expect((await merge(item, data({ loans: [loan] }))).loans).toEqual({ created: 1, updated: 0 })
    const {
      rows: [stored],
      total,
    } = await listLoans(db.pool, CLIENT, { itemId: item, limit: 10, offset: 0 })
    expect(total).toBe(1)
    expect(stored).toMatchObject({
      productName: 'Crédito pessoal',
      kind: 'LOAN',
      CET: 0.42,
      contractAmount: 12000,
      disbursementDates: ['2025-09-02T00:00:00.000Z'],
      installments: loan.installments,
      payments: loan.payments,
    })
    expect(stored.contractDate?.toISOString()).toBe('2025-09-01T00:00:00.000Z')
    expect((await merge(item, data({ loans: [loan] }), { at: T0 + 1000 })).loans).toEqual({ created: 0, updated: 0 })
    expect((await merge(item, data({ loans: [{ ...loan, installments: { ...loan.installments, paidInstallments: 7 } }] }), { at: T0 + 2000 })).loans).toEqual({ created: 0, updated: 1 })
    await merge(item, data({ loans: [] }), { at: T0 + 3000 })
    expect(await findLoan(db.pool, CLIENT, stored.id)).toMatchObject({ id: stored.id, installments: { paidInstallments: 7 } })
    expect(await findLoan(db.pool, 'someone-else', stored.id)).toBeUndefined()
  })
})

describe('account statements', () => {
  it('one per account and month, kept across executions; the institution’s PDF is stored and replaced by digest', async () => {
    const item = await newItem()
    const statements = [
      { accountProviderId: 'acc-1', month: '2026-01' },
      { accountProviderId: 'acc-1', month: '2026-02', pdf: new TextEncoder().encode('%PDF-1.7 first') },
      { accountProviderId: 'not-collected', month: '2026-02' },
    ]
    expect((await merge(item, data({ accountStatements: statements }))).accountStatements).toEqual({ created: 2, updated: 0 })
    const checking = await accountId(item, 'acc-1')
    const { rows } = await listAccountStatements(db.pool, CLIENT, { accountId: checking, limit: 10, offset: 0 })
    expect(rows.map((r) => [r.month, r.hasInstitutionPdf])).toEqual([
      ['2026-02', true],
      ['2026-01', false],
    ])
    expect(Buffer.from((await findAccountStatementPdf(db.pool, CLIENT, rows[0].id))!).toString()).toBe('%PDF-1.7 first')
    expect(await findAccountStatementPdf(db.pool, CLIENT, rows[1].id)).toBeNull()
    expect((await merge(item, data({ accountStatements: statements }), { at: T0 + 1000 })).accountStatements).toEqual({ created: 0, updated: 0 })
    const replaced = [statements[0], { ...statements[1], pdf: new TextEncoder().encode('%PDF-1.7 second') }]
    expect((await merge(item, data({ accountStatements: replaced }), { at: T0 + 2000 })).accountStatements).toEqual({ created: 0, updated: 1 })
    expect(await findAccountStatement(db.pool, CLIENT, rows[0].id)).toMatchObject({ id: rows[0].id, month: '2026-02' })
    await expect(merge(item, data({ accountStatements: [{ accountProviderId: 'acc-1', month: '2026-1' }] }), { at: T0 + 3000 })).rejects.toThrow(/not YYYY-MM/)
  })
})

describe('every field of the reference’s types', () => {
  it('investments, their movements and the identity keep the fields the reference declares', async () => {
    const item = await newItem()
    const investment = {
      providerId: 'inv-1',
      name: 'CDB',
      type: 'FIXED_INCOME' as const,
      balance: 1050,
      amount: 1060,
      amountOriginal: 1000,
      amountProfit: 60,
      amountWithdrawal: 1050,
      taxes: 10,
      taxes2: 0,
      currencyCode: 'BRL',
      date: '2026-03-19',
      issueDate: '2025-01-02',
      purchaseDate: '2025-01-02',
      issuerCNPJ: '11.222.333/0001-81',
      number: 'CDB-1',
      fixedAnnualRate: 12.5,
      lastMonthRate: 0.9,
      annualRate: 11.8,
      lastTwelveMonthsRate: 12.1,
      owner: 'Ana Lima',
      institution: { name: 'Banco', number: '11222333000181' },
      metadata: null,
    }
    const movement = {
      investmentProviderId: 'inv-1',
      type: 'BUY' as const,
      amount: 1000,
      date: '2025-01-02',
      brokerageNumber: 'N-77',
      expenses: { brokerageFee: 1.5, incomeTax: null },
      agreedRate: 12.5,
    }
    const identity = {
      fullName: 'Ana Lima',
      document: '529.982.247-25',
      documentType: 'CPF' as const,
      taxNumber: null,
      investorProfile: 'Moderate' as const,
      sex: 'FEMALE' as const,
      maritalStatus: { code: 'SINGLE' as const },
      nationality: { hasBrazilianNationality: true },
      companiesCnpj: ['11222333000181'],
      incorporationDate: null,
    }
    await merge(item, data({ investments: [investment], investmentTransactions: [movement], identity }))
    const {
      rows: [inv],
    } = await listInvestments(db.pool, CLIENT, { itemId: item, type: null, limit: 10, offset: 0 })
    expect(inv).toMatchObject({
      amountOriginal: 1000,
      amountProfit: 60,
      amountWithdrawal: 1050,
      taxes: 10,
      taxes2: 0,
      issuerCNPJ: '11.222.333/0001-81',
      number: 'CDB-1',
      fixedAnnualRate: 12.5,
      lastTwelveMonthsRate: 12.1,
      owner: 'Ana Lima',
      institution: { name: 'Banco', number: '11222333000181' },
    })
    expect(inv.issueDate?.toISOString()).toBe('2025-01-02T00:00:00.000Z')
    const {
      rows: [m],
    } = await listInvestmentTransactions(db.pool, CLIENT, { investmentId: inv.id, limit: 10, offset: 0 })
    expect(m).toMatchObject({ brokerageNumber: 'N-77', expenses: { brokerageFee: 1.5, incomeTax: null }, agreedRate: 12.5 })
    expect(await findIdentityOfItem(db.pool, CLIENT, item)).toMatchObject({
      investorProfile: 'Moderate',
      sex: 'FEMALE',
      maritalStatus: { code: 'SINGLE' },
      nationality: { hasBrazilianNationality: true },
      companiesCnpj: ['11222333000181'],
      taxNumber: null,
    })
  })
})
