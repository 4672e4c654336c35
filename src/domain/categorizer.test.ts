import { describe, expect, it } from 'vitest'
import { CATEGORIES, findCategory, findCategoryByDescription, listCategories } from './categories.ts'
import { CATEGORIZER_CATEGORY_IDS, categorize, type CategorizerInput } from './categorizer.ts'

const base: CategorizerInput = { description: '', type: 'DEBIT', accountType: 'BANK' }
const categoryOf = (input: Partial<CategorizerInput>) => {
  const { category, rule } = categorize({ ...base, ...input })
  return `${category.id} ${category.description} (${rule})`
}

describe('the category tree', () => {
  it('has the reference’s 130 categories, unique ids, every parent present', () => {
    expect(CATEGORIES).toHaveLength(130)
    expect(new Set(CATEGORIES.map((c) => c.id)).size).toBe(130)
    for (const c of CATEGORIES) if (c.parentId) expect(findCategory(c.parentId), c.id).toBeDefined()
    expect(findCategory('05080000')).toEqual({ id: '05080000', description: 'Transfer - TED', descriptionTranslated: 'Transferência - TED', parentId: '05000000', parentDescription: 'Transfers' })
    expect(findCategory('01000000')).toEqual({ id: '01000000', description: 'Income', descriptionTranslated: 'Renda' })
    expect(findCategory('nope')).toBeUndefined()
  })

  it('keeps the reference’s parent description of the financing subcategories as served', () => {
    expect(findCategory('02030002')).toMatchObject({ parentId: '02000000', parentDescription: 'Financing' })
  })

  it('lists all, or a parent’s direct children; finds by English description', () => {
    expect(listCategories()).toHaveLength(130)
    expect(listCategories({ parentId: '07010000' }).map((c) => c.id)).toEqual(['07010001', '07010002', '07010003'])
    expect(findCategoryByDescription(' groceries ')?.id).toBe('10000000')
  })

  it('every category the categorizer can answer is in the tree', () => {
    for (const id of CATEGORIZER_CATEGORY_IDS) expect(findCategory(id), id).toBeDefined()
  })
})

describe('categorize, rule by rule in order', () => {
  it.each<[string, Partial<CategorizerInput>, string]>([
    ['a card fee', { feeType: 'ANNUAL_FEE', mcc: 5411, accountType: 'CREDIT' }, '16030000 Credit card fees (fee)'],
    ['an ATM fee', { feeType: 'ATM_WITHDRAWAL_DOMESTIC' }, '16020000 Wire transfer fees and ATM fees (fee)'],
    ['a PIX to oneself', { paymentMethod: 'PIX', counterpartDocument: '12345678909', holderDocument: '12345678909', description: 'PIX ENVIADO' }, '04020000 Same person transfer - PIX (same-person)'],
    ['a TED to oneself', { paymentMethod: 'TED', counterpartDocument: '1', holderDocument: '1' }, '04030000 Same person transfer - TED (same-person)'],
    ['a supermarket by MCC', { mcc: 5411, description: 'PIX XYZ' }, '10000000 Groceries (mcc)'],
    ['an airline by MCC range', { mcc: 3012 }, '12010000 Airport and airlines (mcc)'],
    ['a fuel dispenser', { mcc: 5542 }, '19050001 Gas stations (mcc)'],
    ['the merchant’s category', { merchant: { name: 'Livraria X', category: 'Bookstore' } }, '08060000 Bookstore (merchant)'],
    ['an unknown MCC falls through to the description', { mcc: 1, description: 'FARMACIA CENTRAL' }, '18020000 Pharmacy (description)'],
    ['the card bill payment', { description: 'PAGAMENTO FATURA CARTAO' }, '05100000 Credit card payment (description)'],
    ['the payment received on the card', { description: 'Pagamento recebido', type: 'CREDIT', accountType: 'CREDIT' }, '05100000 Credit card payment (description)'],
    ['salary, accents and case ignored', { description: 'Crédito de Salário', type: 'CREDIT' }, '01010000 Salary (description)'],
    ['IOF', { description: 'IOF COMPRA INTERNACIONAL', accountType: 'CREDIT' }, '15030000 Tax on financial operations (description)'],
    ['a loan installment', { description: 'PARCELA EMPRESTIMO 3/24' }, '02040000 Loans (description)'],
    ['savings interest', { description: 'RENDIMENTO POUPANCA', type: 'CREDIT' }, '03060000 Proceeds interests and dividends (description)'],
    ['electricity by boleto', { description: 'PAGAMENTO BOLETO ENERGIA', paymentMethod: 'BOLETO' }, '17020002 Electricity (description)'],
    ['the raw description counts too', { description: 'PAGAMENTO', descriptionRaw: 'PAGTO ALUGUEL APTO 12' }, '17010000 Rent (description)'],
    ['a PIX sent to someone', { description: 'PIX ENVIADO JOAO SILVA', paymentMethod: 'PIX' }, '05090004 Third party transfer - PIX (payment-method)'],
    ['a PIX received', { description: 'PIX RECEBIDO MARIA', paymentMethod: 'PIX', type: 'CREDIT' }, '05070000 Transfer - PIX (payment-method)'],
    ['a TED received', { description: 'TED RECEBIDA', paymentMethod: 'TED', type: 'CREDIT' }, '05080000 Transfer - TED (payment-method)'],
    ['a boleto to a company', { description: 'PAGAMENTO TITULO', paymentMethod: 'BOLETO' }, '05010000 Transfer - Bank Slip (payment-method)'],
    ['an Open Finance operation type', { description: 'LANCAMENTO', operationType: 'TARIFA_SERVICOS_AVULSOS' }, '16010000 Account fees (payment-method)'],
    ['an unexplained card purchase', { description: 'LOJA 123', accountType: 'CREDIT' }, '08000000 Shopping (fallback)'],
    ['anything else', { description: 'LANCAMENTO 123', type: 'CREDIT' }, '99999999 Other (fallback)'],
  ])('%s', (_name, input, expected) => {
    expect(categoryOf(input)).toBe(expected)
  })

  it('is deterministic: the same input, the same answer', () => {
    const input = { ...base, description: 'PIX ENVIADO ANA', paymentMethod: 'PIX' }
    expect(categorize(input)).toEqual(categorize({ ...input }))
  })
})
