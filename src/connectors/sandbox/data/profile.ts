/**
 * Who a sandbox user is: name, documents, contact details, employer, account numbers and the
 * people they pay. Drawn once per user, and shared by every product that names the user.
 */
import type { PaymentParticipant } from '../../sdk/index.ts'
import { cpf, mobilePhone, streetAddress, type StreetAddress } from './brazilian-documents.ts'
import { dayOf } from './calendar.ts'
import { EMAIL_DOMAINS, EMPLOYERS, FIRST_NAMES, JOBS, LAST_NAMES, OTHER_BANK_CODES, PLACES, SANDBOX_BANK_CODE, type Employer } from './fixtures.ts'
import type { Rng } from './random-source.ts'

export interface Profile {
  fullName: string
  firstName: string
  lastName: string
  cpf: string
  birthDay: number
  email: string
  workEmail: string
  phone: string
  job: string
  employer: Employer
  address: StreetAddress
  branch: string
  checkingNumber: string
  savingsNumber: string
  cardLast4: string
  /** Day of the month the credit card's bill closes (1..25). */
  cardCloseDay: number
  /** People the user sends PIX to and receives PIX from. */
  contacts: PaymentParticipant[]
  /** The employer's account that pays the salary. */
  employerAccount: PaymentParticipant
  /** The user's checking account as a payment participant. */
  self: PaymentParticipant
}

/** A user's profile. The order of the draws is part of the data: add new draws at the end. */
export function drawProfile(rng: Rng): Profile {
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
  return {
    fullName,
    firstName,
    lastName,
    cpf: document,
    // Born between 1960 and 2000.
    birthDay: dayOf(1960, 1, 1) + rng.int(0, 40 * 365),
    email: `${login}${rng.int(1, 99)}@${rng.pick(EMAIL_DOMAINS)}`,
    workEmail: `${login}@work.example.com`,
    phone: mobilePhone(rng),
    job: rng.pick(JOBS),
    employer,
    address: streetAddress(rng, place),
    branch: '0001',
    checkingNumber,
    savingsNumber: `${rng.digits(5)}-${rng.int(0, 9)}`,
    cardLast4: rng.digits(4),
    cardCloseDay: rng.int(1, 25),
    contacts: Array.from({ length: 12 }, () => counterpart(rng)),
    self: {
      name: fullName,
      documentNumber: { type: 'CPF', value: document },
      accountNumber: checkingNumber,
      branchNumber: '0001',
      routingNumber: SANDBOX_BANK_CODE,
    },
    employerAccount: {
      name: employer.name,
      documentNumber: { type: 'CNPJ', value: employer.cnpj },
      accountNumber: `${rng.digits(6)}-${rng.int(0, 9)}`,
      branchNumber: rng.digits(4),
      routingNumber: rng.pick(OTHER_BANK_CODES),
    },
  }
}

/** A person at another bank. */
function counterpart(rng: Rng): PaymentParticipant {
  return {
    name: `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`,
    documentNumber: { type: 'CPF', value: cpf(rng) },
    accountNumber: `${rng.digits(6)}-${rng.int(0, 9)}`,
    branchNumber: rng.digits(4),
    routingNumber: rng.pick(OTHER_BANK_CODES),
  }
}
