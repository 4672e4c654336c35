/**
 * The deterministic categorizer: a transaction's category (an id of the reference's tree,
 * categories.ts) from what the institution said about it, when the institution gave none. The
 * same input always gives the same category, and the rules are few enough to read — see
 * docs/data.md, "Categories", which lists them in the order they are tried:
 *
 * 1. a card fee (`creditCardMetadata.feeType`);
 * 2. a transfer between two accounts of the holder (same document on both sides);
 * 3. the merchant category code (MCC) of a card transaction;
 * 4. the merchant's category, when it names one of the tree's categories;
 * 5. words of the description (salary, bill payment, taxes, utilities, …);
 * 6. the payment method or operation type (PIX, TED, boleto, …) and the direction;
 * 7. a purchase on a card: Shopping; anything else: Other.
 */
import { findCategory, findCategoryByDescription, type Category } from './categories.ts'

export interface CategorizerInput {
  description: string
  descriptionRaw?: string | null
  type: 'DEBIT' | 'CREDIT'
  accountType: 'BANK' | 'CREDIT'
  merchant?: { name?: string | null; category?: string | null } | null
  mcc?: number | null
  feeType?: string | null
  paymentMethod?: string | null
  operationType?: string | null
  /** Digits of the other side's document (the receiver of a debit, the payer of a credit). */
  counterpartDocument?: string | null
  /** Digits of the account holder's document. */
  holderDocument?: string | null
}

/** The rule that decided, for tests and for a user asking why. */
export type CategorizerRule = 'fee' | 'same-person' | 'mcc' | 'merchant' | 'description' | 'payment-method' | 'fallback'

/** Merchant category codes (ISO 18245) and the category each range falls in. */
const MCC_RANGES: readonly (readonly [from: number, to: number, categoryId: string])[] = [
  [3000, 3350, '12010000'], // airlines
  [3351, 3500, '19030000'], // car rental companies
  [3501, 3999, '12020000'], // hotels
  [4111, 4112, '19020000'], // commuter transport, passenger railways
  [4121, 4121, '19010000'], // taxis and limousines
  [4131, 4131, '12040000'], // bus lines
  [4511, 4511, '12010000'], // airlines
  [4582, 4582, '12010000'], // airports
  [4722, 4722, '12000000'], // travel agencies
  [4784, 4784, '19050003'], // tolls
  [4812, 4814, '07010002'], // telephone equipment and services
  [4816, 4816, '07010001'], // computer networks, internet
  [4899, 4899, '09020000'], // cable, satellite and streaming television
  [4900, 4900, '17020000'], // utilities
  [5045, 5045, '08020000'], // computers
  [5192, 5192, '08060000'], // books and periodicals
  [5300, 5311, '08000000'], // wholesale clubs, department stores
  [5411, 5411, '10000000'], // grocery stores, supermarkets
  [5422, 5499, '11000000'], // meat, candy, dairy, bakeries, misc. food stores
  [5532, 5533, '19050005'], // tyres, auto parts
  [5541, 5542, '19050001'], // service stations, fuel dispensers
  [5611, 5699, '08040000'], // clothing and shoes
  [5712, 5719, '17030000'], // furniture and home furnishings
  [5722, 5722, '17030000'], // household appliances
  [5732, 5734, '08020000'], // electronics, computers, software
  [5811, 5814, '11010000'], // caterers, restaurants, bars, fast food
  [5815, 5815, '09000000'], // digital goods: media
  [5816, 5816, '09010000'], // digital goods: games
  [5817, 5818, '09000000'], // digital goods: applications
  [5912, 5912, '18020000'], // drug stores and pharmacies
  [5941, 5941, '08070000'], // sporting goods
  [5942, 5942, '08060000'], // book stores
  [5943, 5943, '08080000'], // stationery, office supplies
  [5945, 5945, '08050000'], // toys and games
  [5964, 5969, '08010000'], // direct marketing, catalogue and online merchants
  [5995, 5995, '08030000'], // pet shops
  [6011, 6011, '05020000'], // ATM cash withdrawal
  [6300, 6300, '20000000'], // insurance
  [7011, 7011, '12020000'], // hotels and lodging
  [7512, 7512, '19030000'], // car rental
  [7523, 7523, '19050002'], // parking
  [7531, 7549, '19050005'], // automotive repair and services
  [7832, 7832, '07040003'], // cinemas
  [7922, 7922, '07040003'], // theatre, concert tickets
  [7941, 7941, '07040001'], // sports clubs, stadiums
  [7991, 7991, '07040002'], // tourist attractions, museums
  [7995, 7995, '14020000'], // betting
  [7997, 7997, '07030001'], // clubs, gyms
  [8011, 8011, '18040000'], // doctors
  [8021, 8021, '18010000'], // dentists
  [8042, 8043, '18030000'], // optometrists, opticians
  [8049, 8099, '18040000'], // health practitioners, hospitals, labs
  [8211, 8211, '07020003'], // schools
  [8220, 8220, '07020002'], // colleges and universities
  [8241, 8299, '07020001'], // correspondence and other schools, courses
  [8351, 8351, '07020004'], // child care
  [8398, 8398, '13000000'], // charities
  [9311, 9311, '15000000'], // tax payments
]

/** Words of a description and the category they mean; the first pattern that matches decides. */
const DESCRIPTION_RULES: readonly (readonly [RegExp, string])[] = [
  [/\b(PAGAMENTO|PAGTO|PGTO) (DE )?(FATURA|CARTAO)|PAGAMENTO RECEBIDO\b/, '05100000'],
  [/\bIOF\b/, '15030000'],
  [/\b(IRPF|IMPOSTO DE RENDA|DARF)\b/, '15010000'],
  [/\bIPTU\b/, '17040000'],
  [/\b(IPVA|LICENCIAMENTO|DETRAN)\b/, '19050004'],
  [/\bMULTA (DE )?TRANSITO\b/, '19050006'],
  [/\b(SALARIO|FOLHA DE PAGAMENTO|PAGTO SALARIO|PROVENTOS)\b/, '01010000'],
  [/\b(APOSENTADORIA|BENEFICIO INSS)\b/, '01020000'],
  [/\b(BOLSA FAMILIA|AUXILIO)\b/, '01040000'],
  [/\b(RENDIMENTO|REND POUP|JUROS POUP|DIVIDENDO|JCP)\b/, '03060000'],
  [/\b(APLICACAO AUTOMATICA|APLIC AUTOMATICA)\b/, '03010000'],
  [/\b(CDB|LCI|LCA|TESOURO)\b/, '03020000'],
  [/\b(ANUIDADE|TARIFA CARTAO)\b/, '16030000'],
  [/\bTARIFA (TED|DOC|PIX|SAQUE)\b/, '16020000'],
  [/\b(TARIFA|CESTA DE SERVICOS|PACOTE DE SERVICOS)\b/, '16010000'],
  [/\b(CHEQUE ESPECIAL|JUROS DE MORA|ENCARGOS)\b/, '02010000'],
  [/\bFINANC(IAMENTO)? IMOB/, '02030001'],
  [/\bFINANC(IAMENTO)? (VEICULO|AUTO)/, '02030002'],
  [/\bFIES\b/, '02030003'],
  [/\bFINANCIAMENTO\b/, '02030000'],
  [/\b(EMPRESTIMO|EMPREST|CREDITO PESSOAL|CONSIGNADO)\b/, '02040000'],
  [/\bALUGUEL\b/, '17010000'],
  [/\b(ENERGIA|ELETRICIDADE)\b/, '17020002'],
  [/\b(AGUA|SANEAMENTO)\b/, '17020001'],
  [/\bGAS (ENCANADO|NATURAL)\b/, '17020003'],
  [/\b(INTERNET|BANDA LARGA|FIBRA)\b/, '07010001'],
  [/\b(CELULAR|RECARGA)\b/, '07010002'],
  [/\b(NETFLIX|STREAMING|PRIME VIDEO|DISNEY)\b/, '09020000'],
  [/\b(SPOTIFY|DEEZER)\b/, '09030000'],
  [/\b(IFOOD|RAPPI|DELIVERY)\b/, '11020000'],
  [/\b(UBER|99 ?POP|TAXI)\b/, '19010000'],
  [/\b(POSTO|COMBUSTIVEL|GASOLINA|ETANOL)\b/, '19050001'],
  [/\bESTACIONAMENTO\b/, '19050002'],
  [/\b(PEDAGIO|SEM PARAR|CONECTCAR)\b/, '19050003'],
  [/\b(FARMACIA|DROGARIA)\b/, '18020000'],
  [/\b(SUPERMERCADO|MERCADO|HORTIFRUTI|ATACADAO)\b/, '10000000'],
  [/\b(RESTAURANTE|REST|PADARIA|LANCHONETE|BAR|CAFE)\b/, '11010000'],
  [/\bSEGURO (AUTO|VEICULO)\b/, '20040000'],
  [/\bSEGURO (DE )?VIDA\b/, '20010000'],
  [/\bSEGURO\b/, '20000000'],
  [/\b(SAQUE|SAQ)\b/, '05020000'],
  [/\bCASHBACK\b/, '08090000'],
  [/\bDOACAO\b/, '13000000'],
  [/\b(LOTERIA|MEGA SENA|LOTOFACIL)\b/, '14010000'],
  [/\b(APOSTA|BET)\b/, '14020000'],
]

/** Payment methods and Open Finance operation types: [method, category of a debit, of a credit]. */
const METHOD_RULES: Readonly<Record<string, readonly [string, string]>> = {
  PIX: ['05090004', '05070000'],
  TED: ['05090005', '05080000'],
  DOC: ['05090003', '05040000'],
  BOLETO: ['05010000', '05010000'],
  TEF: ['05060000', '05060000'],
  TEV: ['05060000', '05060000'],
  TRANSFERENCIA_MESMA_INSTITUICAO: ['05060000', '05060000'],
  TRANSFERENCIA_OUTRA_INSTITUICAO: ['05090000', '05000000'],
  SAQUE: ['05020000', '05020000'],
  DEPOSITO: ['05020000', '05020000'],
  CONVENIO_ARRECADACAO: ['05010000', '05010000'],
  PACOTE_TARIFA_SERVICOS: ['16010000', '16010000'],
  TARIFA_SERVICOS_AVULSOS: ['16010000', '16010000'],
  FOLHA_PAGAMENTO: ['01010000', '01010000'],
  OPERACAO_CREDITO: ['02040000', '02040000'],
}

const ATM_FEES = new Set(['ATM_WITHDRAWAL_DOMESTIC', 'ATM_WITHDRAWAL_INTERNATIONAL'])

/** A transaction's category by the rules above, and the rule that decided. */
export function categorize(input: CategorizerInput): { category: Category; rule: CategorizerRule } {
  const decided = decide(input)
  return { category: findCategory(decided[0])!, rule: decided[1] }
}

function decide(t: CategorizerInput): [string, CategorizerRule] {
  if (t.feeType) return [ATM_FEES.has(t.feeType) ? '16020000' : '16030000', 'fee']
  const method = (t.paymentMethod ?? t.operationType ?? '').toUpperCase()
  if (t.counterpartDocument && t.holderDocument && t.counterpartDocument === t.holderDocument) {
    return [method === 'PIX' ? '04020000' : method === 'TED' || method === 'DOC' ? '04030000' : '04000000', 'same-person']
  }
  if (t.mcc != null) {
    const range = MCC_RANGES.find(([from, to]) => t.mcc! >= from && t.mcc! <= to)
    if (range) return [range[2], 'mcc']
  }
  const byMerchant = t.merchant?.category ? findCategoryByDescription(t.merchant.category) : undefined
  if (byMerchant) return [byMerchant.id, 'merchant']
  const text = normalise(`${t.description} ${t.descriptionRaw ?? ''} ${t.merchant?.name ?? ''}`)
  for (const [pattern, categoryId] of DESCRIPTION_RULES) if (pattern.test(text)) return [categoryId, 'description']
  const byMethod = METHOD_RULES[method] ?? METHOD_RULES[(t.operationType ?? '').toUpperCase()]
  if (byMethod) return [byMethod[t.type === 'DEBIT' ? 0 : 1], 'payment-method']
  return [t.accountType === 'CREDIT' && t.type === 'DEBIT' ? '08000000' : '99999999', 'fallback']
}

/** Every category id the rules can answer (the tree must have each: tested). */
export const CATEGORIZER_CATEGORY_IDS: readonly string[] = [
  ...new Set([
    '16020000',
    '16030000',
    '04000000',
    '04020000',
    '04030000',
    '08000000',
    '99999999',
    ...MCC_RANGES.map((r) => r[2]),
    ...DESCRIPTION_RULES.map((r) => r[1]),
    ...Object.values(METHOD_RULES).flat(),
  ]),
]

/** Upper case, accents and punctuation removed, spaces collapsed: what the description rules read. */
function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim()
}
