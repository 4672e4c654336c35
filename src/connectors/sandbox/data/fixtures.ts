/**
 * The fictional people, places, companies and merchants the sandbox draws from. Order matters:
 * a record picks an entry by position, so reordering or inserting entries changes the data of
 * every user (append instead, and expect the fingerprints to change).
 */
import type { Merchant } from '../../sdk/index.ts'

export const FIRST_NAMES = ['Ana', 'Bruno', 'Camila', 'Diego', 'Eduarda', 'Felipe', 'Gabriela', 'Henrique', 'Isabela', 'João', 'Larissa', 'Marcos', 'Natália', 'Otávio', 'Paula', 'Rafael', 'Sofia', 'Tiago', 'Vitória', 'Lucas']
export const LAST_NAMES = ['Silva', 'Santos', 'Oliveira', 'Souza', 'Rodrigues', 'Ferreira', 'Almeida', 'Pereira', 'Lima', 'Gomes', 'Costa', 'Ribeiro', 'Martins', 'Carvalho', 'Araújo', 'Barbosa']
export const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net']
export const JOBS = ['Analista de Sistemas', 'Professora', 'Engenheiro Civil', 'Designer', 'Médica', 'Contador']

/** A street in a city, with the first five digits of its CEP. */
export interface Place {
  city: string
  state: string
  street: string
  cep: string
}

export const PLACES: readonly Place[] = [
  { city: 'São Paulo', state: 'SP', street: 'Rua Augusta', cep: '01305' },
  { city: 'Rio de Janeiro', state: 'RJ', street: 'Rua Voluntários da Pátria', cep: '22270' },
  { city: 'Belo Horizonte', state: 'MG', street: 'Avenida Afonso Pena', cep: '30130' },
  { city: 'Curitiba', state: 'PR', street: 'Rua XV de Novembro', cep: '80020' },
  { city: 'Porto Alegre', state: 'RS', street: 'Avenida Ipiranga', cep: '90160' },
  { city: 'Recife', state: 'PE', street: 'Avenida Boa Viagem', cep: '51011' },
]

export interface Employer {
  name: string
  cnpj: string
}

export const EMPLOYERS: readonly Employer[] = [
  { name: 'Empresa Exemplo Ltda', cnpj: '11.222.333/0001-81' },
  { name: 'Comércio Modelo S.A.', cnpj: '44.555.666/0001-03' },
  { name: 'Serviços Fictícios Ltda', cnpj: '77.888.999/0001-21' },
]

/** A merchant: the record transactions name (shared by all of them, never mutated) and how it shows on a statement. */
export interface MerchantFixture {
  record: Merchant
  mcc: number
  description: string
}

function merchant(name: string, businessName: string, cnpj: string, category: string, mcc: number, description: string): MerchantFixture {
  return { record: { name, businessName, cnpj, category }, mcc, description }
}

export const MERCHANTS: readonly MerchantFixture[] = [
  merchant('Mercado Bom Preço', 'Mercado Bom Preço Ltda', '12.345.678/0001-95', 'Groceries', 5411, 'MERCADO BOM PRECO'),
  merchant('Padaria Pão Quente', 'Pão Quente Panificadora Ltda', '23.456.789/0001-06', 'Eating out', 5462, 'PADARIA PAO QUENTE'),
  merchant('Posto Estrada Boa', 'Auto Posto Estrada Boa Ltda', '34.567.890/0001-17', 'Gas stations', 5541, 'POSTO ESTRADA BOA'),
  merchant('Farmácia Saúde Já', 'Drogaria Saúde Já S.A.', '45.678.901/0001-28', 'Pharmacy', 5912, 'FARMACIA SAUDE JA'),
  merchant('Livraria Capítulo Um', 'Capítulo Um Comércio de Livros Ltda', '56.789.012/0001-39', 'Bookstore', 5942, 'LIVRARIA CAPITULO UM'),
  merchant('Loja Eletro Casa', 'Eletro Casa Varejo S.A.', '67.890.123/0001-40', 'Electronics', 5732, 'ELETRO CASA ONLINE'),
  merchant('Restaurante Sabor da Terra', 'Sabor da Terra Alimentos Ltda', '78.901.234/0001-51', 'Eating out', 5812, 'REST SABOR DA TERRA'),
  merchant('Streamflix', 'Streamflix Entretenimento Ltda', '89.012.345/0001-62', 'Video streaming', 4899, 'STREAMFLIX ASSINATURA'),
  merchant('Viação Rápida', 'Viação Rápida Transportes Ltda', '90.123.456/0001-73', 'Transportation', 4131, 'VIACAO RAPIDA'),
]

/** Utilities the user pays by boleto. */
export const BILLERS = [
  { name: 'Companhia de Energia Exemplo', category: 'Electricity', description: 'PAGAMENTO BOLETO ENERGIA', cnpj: '01.234.567/0001-84' },
  { name: 'Saneamento Exemplo S.A.', category: 'Water', description: 'PAGAMENTO BOLETO AGUA', cnpj: '02.345.678/0001-95' },
  { name: 'Operadora Conecta Telecom', category: 'Internet', description: 'PAGAMENTO BOLETO INTERNET', cnpj: '03.456.789/0001-06' },
] as const

export const PIX_REASONS = ['Aluguel', 'Divisão da conta', 'Presente', 'Reembolso', null, null]

/** The sandbox bank's own institution code and ISPB (fictional). */
export const SANDBOX_BANK_CODE = '999'
export const SANDBOX_BANK_ISPB = '99999999'
/** Codes of real banks the user's contacts and employer hold accounts at. */
export const OTHER_BANK_CODES = ['001', '033', '104', '237', '341', '260', '077']
