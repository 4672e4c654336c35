/**
 * The fictional people, places, companies and merchants the sandbox draws from. Order matters:
 * a record picks an entry by position, so reordering or inserting entries changes the data of
 * every user (append instead, and expect the fingerprints to change). Every CNPJ here has valid
 * check digits; bank codes and ISPBs are the real ones of those banks.
 */
import type { Merchant } from '../../sdk/index.ts'

export const FIRST_NAMES = [
  'Ana',
  'Bruno',
  'Camila',
  'Diego',
  'Eduarda',
  'Felipe',
  'Gabriela',
  'Henrique',
  'Isabela',
  'João',
  'Larissa',
  'Marcos',
  'Natália',
  'Otávio',
  'Paula',
  'Rafael',
  'Sofia',
  'Tiago',
  'Vitória',
  'Lucas',
]
/** FIRST_NAMES[i] is a woman's name when FEMALE[i]. */
const FEMALE = [true, false, true, false, true, false, true, false, true, false, true, false, true, false, true, false, true, false, true, false]
export const FEMALE_FIRST_NAMES = FIRST_NAMES.filter((_, i) => FEMALE[i])
export const MALE_FIRST_NAMES = FIRST_NAMES.filter((_, i) => !FEMALE[i])
export function isFemaleName(firstName: string): boolean {
  return FEMALE[FIRST_NAMES.indexOf(firstName)] ?? false
}
export const LAST_NAMES = ['Silva', 'Santos', 'Oliveira', 'Souza', 'Rodrigues', 'Ferreira', 'Almeida', 'Pereira', 'Lima', 'Gomes', 'Costa', 'Ribeiro', 'Martins', 'Carvalho', 'Araújo', 'Barbosa']
export const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net']
/** Occupations with their CBO (Classificação Brasileira de Ocupações) codes. */
export const JOBS = [
  { title: 'Analista de Sistemas', cbo: '212405' },
  { title: 'Professora', cbo: '231210' },
  { title: 'Engenheiro Civil', cbo: '214205' },
  { title: 'Designer', cbo: '262405' },
  { title: 'Médica', cbo: '225125' },
  { title: 'Contador', cbo: '252210' },
] as const

/** A street in a city: the first five digits of its CEP, its district, the city's area code (DDD) and IBGE code, and where it is. */
export interface Place {
  city: string
  state: string
  street: string
  district: string
  cep: string
  areaCode: string
  ibgeTownCode: string
  latitude: number
  longitude: number
}

export const PLACES: readonly Place[] = [
  { city: 'São Paulo', state: 'SP', street: 'Rua Augusta', district: 'Consolação', cep: '01305', areaCode: '11', ibgeTownCode: '3550308', latitude: -23.5534, longitude: -46.6544 },
  { city: 'Rio de Janeiro', state: 'RJ', street: 'Rua Voluntários da Pátria', district: 'Botafogo', cep: '22270', areaCode: '21', ibgeTownCode: '3304557', latitude: -22.9519, longitude: -43.1865 },
  { city: 'Belo Horizonte', state: 'MG', street: 'Avenida Afonso Pena', district: 'Centro', cep: '30130', areaCode: '31', ibgeTownCode: '3106200', latitude: -19.9227, longitude: -43.9451 },
  { city: 'Curitiba', state: 'PR', street: 'Rua XV de Novembro', district: 'Centro', cep: '80020', areaCode: '41', ibgeTownCode: '4106902', latitude: -25.4296, longitude: -49.2713 },
  { city: 'Porto Alegre', state: 'RS', street: 'Avenida Ipiranga', district: 'Partenon', cep: '90160', areaCode: '51', ibgeTownCode: '4314902', latitude: -30.0533, longitude: -51.1876 },
  { city: 'Recife', state: 'PE', street: 'Avenida Boa Viagem', district: 'Boa Viagem', cep: '51011', areaCode: '81', ibgeTownCode: '2611606', latitude: -8.1224, longitude: -34.8999 },
]

export interface Employer {
  name: string
  cnpj: string
}

export const EMPLOYERS: readonly Employer[] = [
  { name: 'Empresa Exemplo Ltda', cnpj: '11.222.333/0001-81' },
  { name: 'Comércio Modelo S.A.', cnpj: '44.555.666/0001-81' },
  { name: 'Serviços Fictícios Ltda', cnpj: '77.888.999/0001-81' },
]

/** A merchant: the record transactions name (shared by all of them, never mutated), its MCC and how it shows on a statement. */
export interface MerchantFixture {
  record: Merchant
  mcc: number
  description: string
}

function merchant(name: string, businessName: string, cnpj: string, cnae: string, category: string, mcc: number, description: string): MerchantFixture {
  return { record: { name, businessName, cnpj, cnae, category }, mcc, description }
}

export const MERCHANTS: readonly MerchantFixture[] = [
  merchant('Mercado Bom Preço', 'Mercado Bom Preço Ltda', '12.345.678/0001-95', '4711302', 'Groceries', 5411, 'MERCADO BOM PRECO'),
  merchant('Padaria Pão Quente', 'Pão Quente Panificadora Ltda', '23.456.789/0001-95', '1091102', 'Eating out', 5462, 'PADARIA PAO QUENTE'),
  merchant('Posto Estrada Boa', 'Auto Posto Estrada Boa Ltda', '34.567.890/0001-30', '4731800', 'Gas stations', 5541, 'POSTO ESTRADA BOA'),
  merchant('Farmácia Saúde Já', 'Drogaria Saúde Já S.A.', '45.678.901/0001-75', '4771701', 'Pharmacy', 5912, 'FARMACIA SAUDE JA'),
  merchant('Livraria Capítulo Um', 'Capítulo Um Comércio de Livros Ltda', '56.789.012/0001-00', '4761001', 'Bookstore', 5942, 'LIVRARIA CAPITULO UM'),
  merchant('Loja Eletro Casa', 'Eletro Casa Varejo S.A.', '67.890.123/0001-16', '4753900', 'Electronics', 5732, 'ELETRO CASA ONLINE'),
  merchant('Restaurante Sabor da Terra', 'Sabor da Terra Alimentos Ltda', '78.901.234/0001-05', '5611201', 'Eating out', 5812, 'REST SABOR DA TERRA'),
  merchant('Streamflix', 'Streamflix Entretenimento Ltda', '89.012.345/0001-79', '6319400', 'Video streaming', 4899, 'STREAMFLIX ASSINATURA'),
  merchant('Viação Rápida', 'Viação Rápida Transportes Ltda', '90.123.456/0001-31', '4922101', 'Bus tickets', 4131, 'VIACAO RAPIDA'),
]

/** Purchases abroad (in dollars): the card converts them, and the bill charges IOF on them. */
export const FOREIGN_MERCHANTS = [
  { description: 'STEAMGAMES.COM 4259522', mcc: 5816 },
  { description: 'AMAZON WEB SERVICES AWS.AMAZON.CO', mcc: 5734 },
  { description: 'UBER *TRIP HELP.UBER.COM', mcc: 4121 },
] as const
/** Reais per dollar the sandbox card converts at (fictional, fixed). */
export const USD_BRL = 5.42
/** IOF on card purchases abroad, as a fraction of the amount in reais. */
export const FOREIGN_PURCHASE_IOF = 0.035

/** Utilities the user pays by boleto: the slip's issuing bank, the company and its CNPJ. */
export const BILLERS = [
  { name: 'Companhia de Energia Exemplo', description: 'PAGAMENTO BOLETO ENERGIA', cnpj: '01.234.567/0001-95', bankCode: '001' },
  { name: 'Saneamento Exemplo S.A.', description: 'PAGAMENTO BOLETO AGUA', cnpj: '02.345.678/0001-31', bankCode: '237' },
  { name: 'Operadora Conecta Telecom', description: 'PAGAMENTO BOLETO INTERNET', cnpj: '03.456.789/0001-88', bankCode: '341' },
] as const

export const PIX_REASONS = ['Aluguel', 'Divisão da conta', 'Presente', 'Reembolso']

/** The sandbox bank's own institution code and ISPB (fictional), and its CNPJ. */
export const SANDBOX_BANK_CODE = '999'
export const SANDBOX_BANK_ISPB = '99999999'
export const SANDBOX_BANK_CNPJ = '99.999.999/0001-91'
export const SANDBOX_BANK_NAME = 'Sandbox Bank S.A.'

/** Banks the user's contacts and employer hold accounts at: COMPE code and ISPB. */
export const OTHER_BANKS = [
  { code: '001', ispb: '00000000' },
  { code: '033', ispb: '90400888' },
  { code: '104', ispb: '00360305' },
  { code: '237', ispb: '60746948' },
  { code: '341', ispb: '60701190' },
  { code: '260', ispb: '18236120' },
  { code: '077', ispb: '00416968' },
] as const
