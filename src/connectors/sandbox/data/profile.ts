/**
 * Who a sandbox user is: name, documents, family, contact details, employer (or, for a business,
 * the company), account numbers and the people they pay. Drawn once per user, and shared by
 * every product that names the user.
 */
import type { PaymentParticipant } from '../../sdk/index.ts'
import { cnpj, cpf, mobilePhone, streetAddress, type StreetAddress } from './brazilian-documents.ts'
import { dayOf } from './calendar.ts'
import {
  EMAIL_DOMAINS,
  EMPLOYERS,
  FEMALE_FIRST_NAMES,
  FIRST_NAMES,
  JOBS,
  LAST_NAMES,
  MALE_FIRST_NAMES,
  OTHER_BANKS,
  PLACES,
  SANDBOX_BANK_CODE,
  SANDBOX_BANK_ISPB,
  isFemaleName,
  type Employer,
} from './fixtures.ts'
import type { Rng } from './random-source.ts'

/** A personal customer, or a company (the business institution's customers). */
export type ProfileKind = 'personal' | 'business'

export interface Person {
  name: string
  cpf: string
}

export interface Company {
  legalName: string
  tradeName: string
  cnpj: string
  incorporationDay: number
  /** Main economic activity (CNAE, 7 digits). */
  cnae: string
}

export interface Profile {
  kind: ProfileKind
  /** The person, or the company's managing partner for a business. */
  fullName: string
  firstName: string
  lastName: string
  cpf: string
  sex: 'FEMALE' | 'MALE'
  rg: string
  birthDay: number
  email: string
  workEmail: string
  phone: string
  areaCode: string
  job: (typeof JOBS)[number]
  employer: Employer
  address: StreetAddress
  mother: Person
  father: Person
  /** The user's partner: the spouse when married, and the second holder of a joint account. */
  partner: Person
  married: boolean
  /** For a business profile: the company that holds the accounts. */
  company: Company | null
  branch: string
  checkingNumber: string
  savingsNumber: string
  cardLast4: string
  /** Day of the month the credit card's bill closes (1..25). */
  cardCloseDay: number
  /** People the user sends PIX to and receives PIX from. */
  contacts: PaymentParticipant[]
  /** The employer's account that pays the salary (a client's, for a business). */
  employerAccount: PaymentParticipant
  /** The holder's checking account as a payment participant. */
  self: PaymentParticipant
}

/** A user's profile. The order of the draws is part of the data: add new draws at the end. */
export function drawProfile(rng: Rng, kind: ProfileKind): Profile {
  const firstName = rng.pick(FIRST_NAMES)
  const lastName = rng.pick(LAST_NAMES)
  const middle = rng.pick(LAST_NAMES)
  const place = rng.pick(PLACES)
  const employer = rng.pick(EMPLOYERS)
  const login = `${firstName}.${lastName}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
  const fullName = `${firstName} ${middle} ${lastName}`
  const document = cpf(rng)
  const checkingNumber = `${rng.digits(5)}-${rng.int(0, 9)}`
  const savingsNumber = `${rng.digits(5)}-${rng.int(0, 9)}`
  const birthDay = dayOf(1960, 1, 1) + rng.int(0, 40 * 365)
  const mother = { name: `${rng.pick(FEMALE_FIRST_NAMES)} ${rng.pick(LAST_NAMES)} ${middle}`, cpf: cpf(rng) }
  const father = { name: `${rng.pick(MALE_FIRST_NAMES)} ${rng.pick(LAST_NAMES)} ${lastName}`, cpf: cpf(rng) }
  const female = isFemaleName(firstName)
  const partner = { name: `${rng.pick(female ? MALE_FIRST_NAMES : FEMALE_FIRST_NAMES)} ${rng.pick(LAST_NAMES)} ${lastName}`, cpf: cpf(rng) }
  const married = rng.chance(0.5)
  const companySurname = rng.pick(LAST_NAMES)
  const company: Company | null =
    kind === 'business'
      ? {
          legalName: `${lastName} & ${companySurname} Comércio de Eletrônicos Ltda`,
          tradeName: `${lastName} Eletrônicos`,
          cnpj: cnpj(rng),
          incorporationDay: dayOf(2008, 1, 2) + rng.int(0, 12 * 365),
          cnae: '4752100',
        }
      : cnpjDraws(rng)
  const holder = company ? { name: company.legalName, documentNumber: { type: 'CNPJ' as const, value: company.cnpj } } : { name: fullName, documentNumber: { type: 'CPF' as const, value: document } }
  return {
    kind,
    fullName,
    firstName,
    lastName,
    cpf: document,
    sex: female ? 'FEMALE' : 'MALE',
    rg: `${rng.digits(2)}.${rng.digits(3)}.${rng.digits(3)}`,
    birthDay,
    email: `${login}${rng.int(1, 99)}@${rng.pick(EMAIL_DOMAINS)}`,
    workEmail: `${login}@work.example.com`,
    phone: mobilePhone(rng, place.areaCode),
    areaCode: place.areaCode,
    job: rng.pick(JOBS),
    employer,
    address: streetAddress(rng, place),
    mother,
    father,
    partner,
    married,
    company,
    branch: '0001',
    checkingNumber,
    savingsNumber,
    cardLast4: rng.digits(4),
    cardCloseDay: rng.int(1, 25),
    contacts: Array.from({ length: 12 }, () => counterpart(rng)),
    self: { ...holder, accountNumber: checkingNumber, branchNumber: '0001', routingNumber: SANDBOX_BANK_CODE, routingNumberISPB: SANDBOX_BANK_ISPB },
    employerAccount: bankAccount(rng, { name: employer.name, documentNumber: { type: 'CNPJ', value: employer.cnpj } }),
  }
}

/** A personal profile draws the company's numbers too (and drops them), so both kinds draw alike afterwards. */
function cnpjDraws(rng: Rng): null {
  cnpj(rng)
  rng.int(0, 12 * 365)
  return null
}

/** A person at another bank. */
function counterpart(rng: Rng): PaymentParticipant {
  return bankAccount(rng, { name: `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`, documentNumber: { type: 'CPF', value: cpf(rng) } })
}

function bankAccount(rng: Rng, holder: Pick<PaymentParticipant, 'name' | 'documentNumber'>): PaymentParticipant {
  const bank = rng.pick(OTHER_BANKS)
  return { ...holder, accountNumber: `${rng.digits(6)}-${rng.int(0, 9)}`, branchNumber: rng.digits(4), routingNumber: bank.code, routingNumberISPB: bank.ispb }
}
