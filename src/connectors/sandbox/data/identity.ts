/**
 * The IDENTITY product: the holder as the institution registers them, with every field of the
 * reference's IdentityResponse — a person (CPF) or, on the business institution, a company (CNPJ)
 * with its partners. Fields that apply only to the other kind of holder are null.
 */
import type { CollectedIdentity } from '../../sdk/index.ts'
import { accountOpening } from './ledger.ts'
import { SANDBOX_BANK_CNPJ } from './fixtures.ts'
import type { SandboxUser } from './sandbox-user.ts'

const digits = (value: string) => value.replace(/\D/g, '')

export function generateIdentity(user: SandboxUser): CollectedIdentity {
  const p = user.profile
  const rng = user.rng('identity')
  const opened = accountOpening(user).day
  const a = p.address
  const company = p.company
  const [number, checkDigit] = p.checkingNumber.split('-')
  const [savingsNumber, savingsCheckDigit] = p.savingsNumber.split('-')
  const accountSubtype = user.joint ? 'CONJUNTA_SIMPLES' : 'INDIVIDUAL'
  const common: CollectedIdentity = {
    fullName: company?.legalName ?? p.fullName,
    emails: [
      { value: p.email, type: 'Personal' },
      { value: p.workEmail, type: 'Work' },
    ],
    phoneNumbers: [{ value: p.phone, type: 'Personal', areaCode: p.areaCode }],
    addresses: [
      {
        fullAddress: `${a.primaryAddress}, ${a.additionalInfo}, ${a.district}, ${a.city} - ${a.state}, ${a.postalCode}, Brasil`,
        primaryAddress: a.primaryAddress,
        additionalInfo: a.additionalInfo,
        district: a.district,
        city: a.city,
        postalCode: a.postalCode,
        state: a.state,
        country: 'Brasil',
        countryCode: 'BRA',
        ibgeTownCode: a.place.ibgeTownCode,
        geographicCoordinates: { latitude: a.place.latitude, longitude: a.place.longitude },
        type: company ? 'Work' : 'Personal',
      },
    ],
    investorProfile: rng.pick(['Conservative', 'Moderate', 'Aggressive'] as const),
    establishmentName: `Agência ${p.branch} - Sandbox ${a.city}`,
    establishmentCode: p.branch,
    financialRelationships: {
      startDate: user.iso(opened),
      productsServicesType: ['CONTA_DEPOSITO_A_VISTA', 'CONTA_POUPANCA', 'CARTAO_CREDITO', 'OPERACAO_CREDITO', 'INVESTIMENTOS'],
      procurators: [],
      accounts: [
        { compeCode: '999', branchCode: p.branch, number, checkDigit, type: 'CONTA_DEPOSITO_A_VISTA', subtype: accountSubtype },
        { compeCode: '999', branchCode: p.branch, number: savingsNumber, checkDigit: savingsCheckDigit, type: 'CONTA_POUPANCA', subtype: accountSubtype },
      ],
    },
    companiesCnpj: [digits(SANDBOX_BANK_CNPJ)],
  }
  if (company) {
    return {
      ...common,
      document: company.cnpj,
      documentType: 'CNPJ',
      taxNumber: company.cnpj,
      birthDate: null,
      jobTitle: null,
      companyName: company.legalName,
      relations: [],
      qualifications: {
        companyCnpj: digits(company.cnpj),
        economicActivities: [{ code: company.cnae, isMain: true }],
        informedRevenue: { amount: rng.int(30, 400) * 10_000, frequency: 'ANNUAL', year: new Date(user.today * 86_400_000).getUTCFullYear() - 1 },
        informedPatrimony: { amount: rng.int(5, 80) * 10_000, year: new Date(user.today * 86_400_000).getUTCFullYear() - 1 },
      },
      socialName: null,
      sex: null,
      maritalStatus: null,
      nationality: null,
      otherDocuments: null,
      passport: null,
      incorporationDate: user.iso(company.incorporationDay),
      parties: [
        { type: 'PARTNER', personType: 'NATURAL_PERSON', documentType: 'CPF', documentNumber: digits(p.cpf), civilName: p.fullName, shareholding: 0.6, startDate: user.iso(company.incorporationDay) },
        {
          type: 'PARTNER',
          personType: 'NATURAL_PERSON',
          documentType: 'CPF',
          documentNumber: digits(p.partner.cpf),
          civilName: p.partner.name,
          shareholding: 0.4,
          startDate: user.iso(company.incorporationDay),
        },
        { type: 'ADMINISTRATOR', personType: 'NATURAL_PERSON', documentType: 'CPF', documentNumber: digits(p.cpf), civilName: p.fullName, startDate: user.iso(company.incorporationDay) },
      ],
      businessOtherDocuments: null,
    }
  }
  return {
    ...common,
    document: p.cpf,
    documentType: 'CPF',
    // A person's tax number is their CPF, already the document; the reference keeps this for a CNPJ.
    taxNumber: null,
    birthDate: user.iso(p.birthDay),
    jobTitle: p.job.title,
    companyName: p.employer.name,
    relations: [
      { type: 'Mother', name: p.mother.name, document: p.mother.cpf },
      { type: 'Father', name: p.father.name, document: p.father.cpf },
      ...(p.married ? [{ type: 'Spouse' as const, name: p.partner.name, document: p.partner.cpf }] : []),
    ],
    qualifications: {
      companyCnpj: digits(p.employer.cnpj),
      occupationCode: 'CBO',
      occupationDescription: p.job.cbo,
      informedIncome: { frequency: 'MENSAL', amount: rng.int(25, 120) * 100, date: user.iso(opened) },
      informedPatrimony: { amount: rng.int(2, 60) * 10_000, year: new Date(opened * 86_400_000).getUTCFullYear() },
    },
    socialName: null,
    sex: p.sex,
    maritalStatus: { code: p.married ? 'MARRIED' : 'SINGLE' },
    nationality: { hasBrazilianNationality: true },
    otherDocuments: [{ type: 'RG', number: p.rg, checkDigit: String(rng.int(0, 9)), additionalInfo: `SSP/${a.state}` }],
    passport: null,
    incorporationDate: null,
    parties: null,
    businessOtherDocuments: null,
  }
}
