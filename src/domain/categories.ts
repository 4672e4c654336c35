/**
 * The reference's transaction category tree: the ids, English descriptions, Portuguese
 * translations and parents its `GET /categories` answers (130 categories, two or three levels).
 * A transaction's `categoryId` is one of these ids and its `category` the English description.
 *
 * Data, not logic: copied as the reference serves it, including its one oddity — the three
 * financing subcategories (02030001–02030003) name 02000000 as `parentId` but "Financing" (the
 * description of 02030000) as `parentDescription`. Clients group by either; both are kept as served.
 */

export interface Category {
  id: string
  description: string
  descriptionTranslated: string
  parentId?: string
  parentDescription?: string
}

// [id, description, descriptionTranslated, parentId?, parentDescription when it is not the parent's description]
type Row = readonly [string, string, string, string?, string?]

const ROWS: readonly Row[] = [
  ['01000000', 'Income', 'Renda'],
  ['01010000', 'Salary', 'Salário', '01000000'],
  ['01020000', 'Retirement', 'Aposentadoria', '01000000'],
  ['01030000', 'Entrepreneurial activities', 'Atividades de empreendedorismo', '01000000'],
  ['01040000', 'Government aid', 'Auxílio do governo', '01000000'],
  ['01050000', 'Non-recurring income', 'Renda não-recorrente', '01000000'],
  ['02000000', 'Loans and financing', 'Empréstimos e financiamento'],
  ['02010000', 'Late payment and overdraft costs', 'Atraso no pagamento e custos de cheque especial', '02000000'],
  ['02020000', 'Interests charged', 'Juros cobrados', '02000000'],
  ['02030000', 'Financing', 'Financiamento', '02000000'],
  ['02030001', 'Real estate financing', 'Financiamento imobiliário', '02000000', 'Financing'],
  ['02030002', 'Vehicle financing', 'Financiamento de veículos', '02000000', 'Financing'],
  ['02030003', 'Student loan', 'Empréstimo estudantil', '02000000', 'Financing'],
  ['02040000', 'Loans', 'Empréstimos', '02000000'],
  ['03000000', 'Investments', 'Investimentos'],
  ['03010000', 'Automatic investment', 'Investimento automático', '03000000'],
  ['03020000', 'Fixed income', 'Renda fixa', '03000000'],
  ['03030000', 'Mutual funds', 'Fundos multimercado', '03000000'],
  ['03040000', 'Variable income', 'Renda variável', '03000000'],
  ['03050000', 'Margin', 'Ajuste de margem', '03000000'],
  ['03060000', 'Proceeds interests and dividends', 'Dividendos e Rendimentos', '03000000'],
  ['03070000', 'Pension', 'Pensão', '03000000'],
  ['04000000', 'Same person transfer', 'Transferência mesma titularidade'],
  ['04010000', 'Same person transfer - CASH', 'Transferência mesma titularidade - Dinheiro', '04000000'],
  ['04020000', 'Same person transfer - PIX', 'Transferência mesma titularidade - PIX', '04000000'],
  ['04030000', 'Same person transfer - TED', 'Transferência mesma titularidade - TED', '04000000'],
  ['05000000', 'Transfers', 'Transferências'],
  ['05010000', 'Transfer - Bank Slip', 'Transferência - Boleto bancário', '05000000'],
  ['05020000', 'Transfer - Cash', 'Transferência - Dinheiro', '05000000'],
  ['05030000', 'Transfer - Check', 'Transferência - Cheque', '05000000'],
  ['05040000', 'Transfer - DOC', 'Transferência - DOC', '05000000'],
  ['05050000', 'Transfer - Foreign Exchange', 'Transferência - Câmbio', '05000000'],
  ['05060000', 'Transfer - Internal', 'Transferência - Mesma instituição', '05000000'],
  ['05070000', 'Transfer - PIX', 'Transferência - PIX', '05000000'],
  ['05080000', 'Transfer - TED', 'Transferência - TED', '05000000'],
  ['05090000', 'Third party transfers', 'Transferências para terceiros', '05000000'],
  ['05090001', 'Third party transfer - Bank Slip', 'Transferência para terceiros - Boleto bancário', '05090000'],
  ['05090002', 'Third party transfer - Debit Card', 'Transferência para terceiros - Débito', '05090000'],
  ['05090003', 'Third party transfer - DOC', 'Transferência para terceiros - DOC', '05090000'],
  ['05090004', 'Third party transfer - PIX', 'Transferência para terceiros - PIX', '05090000'],
  ['05090005', 'Third party transfer - TED', 'Transferência para terceiros - TED', '05090000'],
  ['05100000', 'Credit card payment', 'Pagamento de cartão de crédito', '05000000'],
  ['06000000', 'Legal obligations', 'Obrigações legais'],
  ['06010000', 'Blocked balances', 'Saldo bloqueado', '06000000'],
  ['06020000', 'Alimony', 'Pensão alimentícia', '06000000'],
  ['07000000', 'Services', 'Serviços'],
  ['07010000', 'Telecommunications', 'Telecomunicação', '07000000'],
  ['07010001', 'Internet', 'Internet', '07010000'],
  ['07010002', 'Mobile', 'Celular', '07010000'],
  ['07010003', 'TV', 'TV', '07010000'],
  ['07020000', 'Education', 'Educação', '07000000'],
  ['07020001', 'Online Courses', 'Cursos online', '07020000'],
  ['07020002', 'University', 'Universidade', '07020000'],
  ['07020003', 'School', 'Escola', '07020000'],
  ['07020004', 'Kindergarten', 'Creche', '07020000'],
  ['07030000', 'Wellness and fitness', 'Saúde e bem-estar', '07000000'],
  ['07030001', 'Gyms and fitness centers', 'Academia e centros de lazer', '07030000'],
  ['07030002', 'Sports practice', 'Prática de esportes', '07030000'],
  ['07030003', 'Wellness', 'Bem-estar', '07030000'],
  ['07040000', 'Tickets', 'Bilhetes', '07000000'],
  ['07040001', 'Stadiums and arenas', 'Estádios e arenas', '07040000'],
  ['07040002', 'Landmarks and museums', 'Museus e pontos turísticos', '07040000'],
  ['07040003', 'Cinema, theater and concerts', 'Cinema, Teatro e Concertos', '07040000'],
  ['08000000', 'Shopping', 'Compras'],
  ['08010000', 'Online shopping', 'Compras online', '08000000'],
  ['08020000', 'Electronics', 'Eletrônicos', '08000000'],
  ['08030000', 'Pet supplies and vet', 'Pet Shops e veterinários', '08000000'],
  ['08040000', 'Clothing', 'Roupas', '08000000'],
  ['08050000', 'Kids and toys', 'Artigos infantis', '08000000'],
  ['08060000', 'Bookstore', 'Livraria', '08000000'],
  ['08070000', 'Sports goods', 'Artigos esportivos', '08000000'],
  ['08080000', 'Office supplies', 'Papelaria', '08000000'],
  ['08090000', 'Cashback', 'Cashback', '08000000'],
  ['09000000', 'Digital services', 'Serviços digitais'],
  ['09010000', 'Gaming', 'Jogos e videogames', '09000000'],
  ['09020000', 'Video streaming', 'Streaming de vídeo', '09000000'],
  ['09030000', 'Music streaming', 'Streaming de música', '09000000'],
  ['10000000', 'Groceries', 'Supermercado'],
  ['11000000', 'Food and drinks', 'Alimentos e bebidas'],
  ['11010000', 'Eating out', 'Restaurantes, bares e lanchonetes', '11000000'],
  ['11020000', 'Food delivery', 'Delivery de alimentos', '11000000'],
  ['12000000', 'Travel', 'Viagens'],
  ['12010000', 'Airport and airlines', 'Aeroportos e cias. aéreas', '12000000'],
  ['12020000', 'Accomodation', 'Hospedagem', '12000000'],
  ['12030000', 'Mileage programs', 'Programas de milhagem', '12000000'],
  ['12040000', 'Bus tickets', 'Passagem de ônibus', '12000000'],
  ['13000000', 'Donations', 'Doações'],
  ['14000000', 'Gambling', 'Apostas'],
  ['14010000', 'Lottery', 'Loteria', '14000000'],
  ['14020000', 'Online bet', 'Apostas online', '14000000'],
  ['15000000', 'Taxes', 'Impostos'],
  ['15010000', 'Income taxes', 'Imposto de renda', '15000000'],
  ['15020000', 'Taxes on investments', 'Imposto sobre investimentos', '15000000'],
  ['15030000', 'Tax on financial operations', 'Impostos sobre operações financeiras', '15000000'],
  ['16000000', 'Bank fees', 'Taxas bancárias'],
  ['16010000', 'Account fees', 'Taxas de conta corrente', '16000000'],
  ['16020000', 'Wire transfer fees and ATM fees', 'Taxas sobre transferências e caixa eletrônico', '16000000'],
  ['16030000', 'Credit card fees', 'Taxas de cartão de crédito', '16000000'],
  ['17000000', 'Housing', 'Moradia'],
  ['17010000', 'Rent', 'Aluguel', '17000000'],
  ['17020000', 'Utilities', 'Serviços de utilidade pública', '17000000'],
  ['17020001', 'Water', 'Água', '17020000'],
  ['17020002', 'Electricity', 'Eletricidade', '17020000'],
  ['17020003', 'Gas', 'Gás', '17020000'],
  ['17030000', 'Houseware', 'Utensílios para casa', '17000000'],
  ['17040000', 'Urban land and building tax', 'Impostos sobre moradia', '17000000'],
  ['18000000', 'Healthcare', 'Saúde'],
  ['18010000', 'Dentist', 'Dentista', '18000000'],
  ['18020000', 'Pharmacy', 'Farmácia', '18000000'],
  ['18030000', 'Optometry', 'Ótica', '18000000'],
  ['18040000', 'Hospital clinics and labs', 'Hospitais, clínicas e laboratórios', '18000000'],
  ['19000000', 'Transportation', 'Transporte'],
  ['19010000', 'Taxi and ride-hailing', 'Táxi e transporte privado urbano', '19000000'],
  ['19020000', 'Public transportation', 'Transporte público', '19000000'],
  ['19030000', 'Car rental', 'Aluguel de veículos', '19000000'],
  ['19040000', 'Bicycle', 'Aluguel de bicicletas', '19000000'],
  ['19050000', 'Automotive', 'Serviços automotivos', '19000000'],
  ['19050001', 'Gas stations', 'Postos de gasolina', '19050000'],
  ['19050002', 'Parking', 'Estacionamentos', '19050000'],
  ['19050003', 'Tolls and in vehicle payment', 'Pedágios e pagamentos no veículo', '19050000'],
  ['19050004', 'Vehicle ownership taxes and fees', 'Taxas e impostos sobre veículos', '19050000'],
  ['19050005', 'Vehicle maintenance', 'Manutenção de veículos', '19050000'],
  ['19050006', 'Traffic tickets', 'Multas de trânsito', '19050000'],
  ['20000000', 'Insurance', 'Seguros'],
  ['20010000', 'Life insurance', 'Seguro de vida', '20000000'],
  ['20020000', 'Home insurance', 'Seguro residencial', '20000000'],
  ['20030000', 'Health insurance', 'Seguro saúde', '20000000'],
  ['20040000', 'Vehicle insurance', 'Seguro de veículos', '20000000'],
  ['21000000', 'Leisure', 'Lazer'],
  ['99999999', 'Other', 'Outros'],
]

const DESCRIPTIONS = new Map(ROWS.map(([id, description]) => [id, description]))

/** Every category, in id order (parents before their children). */
export const CATEGORIES: readonly Category[] = Object.freeze(
  ROWS.map(([id, description, descriptionTranslated, parentId, parentDescription]) =>
    Object.freeze(parentId ? { id, description, descriptionTranslated, parentId, parentDescription: parentDescription ?? DESCRIPTIONS.get(parentId)! } : { id, description, descriptionTranslated }),
  ),
)

const BY_ID = new Map(CATEGORIES.map((c) => [c.id, c]))
const BY_DESCRIPTION = new Map(CATEGORIES.map((c) => [c.description.toLowerCase(), c]))

/** The category of an id, if it is one of the tree's. */
export function findCategory(id: string): Category | undefined {
  return BY_ID.get(id)
}

/** The category whose English description this is (case-insensitive), if any. */
export function findCategoryByDescription(description: string): Category | undefined {
  return BY_DESCRIPTION.get(description.trim().toLowerCase())
}

/** The categories, all or only the direct children of `parentId`. */
export function listCategories(filter: { parentId?: string } = {}): Category[] {
  return filter.parentId === undefined ? [...CATEGORIES] : CATEGORIES.filter((c) => c.parentId === filter.parentId)
}
