/**
 * The account holder as the institution registers them (IDENTITY). Field names and meanings follow
 * the reference API's IdentityResponse; nested dates are ISO strings (a date or an instant).
 */

export interface IdentityAddress {
  fullAddress?: string | null
  primaryAddress?: string | null
  city?: string | null
  postalCode?: string | null
  state?: string | null
  country?: string | null
  type?: 'Personal' | 'Work' | null
  /** Complement: apartment, block, … */
  additionalInfo?: string | null
  district?: string | null
  /** IBGE municipality code (7 digits). */
  ibgeTownCode?: string | null
  /** ISO-3166 alpha-3, e.g. BRA. */
  countryCode?: string | null
  geographicCoordinates?: { latitude: number; longitude: number } | null
}

export interface IdentityPhoneNumber {
  value: string
  type?: 'Personal' | 'Work' | 'Residencial' | null
  /** DDI, given when it is not 55. */
  countryCallingCode?: string | null
  /** DDD. */
  areaCode?: string | null
  extension?: string | null
  additionalInfo?: string | null
}

export interface IdentityRelation {
  type: 'Mother' | 'Father' | 'Spouse' | null
  name: string | null
  document?: string | null
}

export interface NationalityDocument {
  type: string
  number: string
  country?: string
  issueDate?: string
  expirationDate?: string
  additionalInfo?: string
}

export interface IdentityOtherDocument {
  type: 'CNH' | 'RG' | 'NIF' | 'RNE' | 'OTHER'
  typeAdditionalInfo?: string
  number: string
  checkDigit?: string
  /** E.g. the issuing authority, `SSP/SP`. */
  additionalInfo?: string
  expirationDate?: string
}

export interface BusinessParty {
  type: 'PARTNER' | 'ADMINISTRATOR'
  personType: 'NATURAL_PERSON' | 'LEGAL_ENTITY'
  documentType: 'CPF' | 'CNPJ' | 'PASSPORT' | 'OTHER_TRAVEL_DOCUMENT'
  documentNumber: string
  documentCountry?: string
  documentExpirationDate?: string
  documentIssueDate?: string
  documentAdditionalInfo?: string
  civilName?: string
  socialName?: string
  companyName?: string
  tradeName?: string
  startDate?: string
  /** Fraction between 0 and 1. */
  shareholding?: number
}

export interface FinancialRelationships {
  startDate: string
  productsServicesType: string[]
  productsServicesTypeAdditionalInfo?: string
  procurators: {
    type: 'REPRESENTANTE_LEGAL' | 'PROCURADOR'
    cpfNumber: string
    documentNumber?: string
    documentType?: 'CPF' | 'CNPJ'
    civilName: string
    socialName?: string
  }[]
  accounts?: {
    compeCode: string
    branchCode: string
    number: string
    checkDigit: string
    type: 'CONTA_DEPOSITO_A_VISTA' | 'CONTA_POUPANCA' | 'CONTA_PAGAMENTO_PRE_PAGA'
    subtype: 'INDIVIDUAL' | 'CONJUNTA_SIMPLES' | 'CONJUNTA_SOLIDARIA'
  }[]
  portabilitiesReceived?: { employerName: string; employerDocument: string; paycheckBankDetainerCnpj: string; paycheckBankDetainerIspb: string; portabilityApprovalDate: string }[]
  paychecksBankLink?: { employerName: string; employerDocument: string; paycheckBankCnpj: string; paycheckBankIspb: string; accountOpeningDate: string }[]
}

export interface Qualifications {
  companyCnpj: string
  occupationCode?: 'RECEITA_FEDERAL' | 'CBO' | 'OUTRO'
  occupationDescription?: string
  informedIncome?: { frequency: 'DIARIA' | 'SEMANAL' | 'QUINZENAL' | 'MENSAL' | 'BIMESTRAL' | 'TRIMESTRAL' | 'SEMESTRAL' | 'ANUAL' | 'OUTROS'; amount: number; date: string }
  informedPatrimony?: { amount: number; year: number; date?: string }
  economicActivities?: { code: string; isMain: boolean }[]
  informedRevenue?: {
    amount: number
    frequency?: 'DAILY' | 'WEEKLY' | 'BIWEEKLY' | 'MONTHLY' | 'BIMONTHLY' | 'QUARTERLY' | 'SEMIANNUAL' | 'ANNUAL' | 'OTHER'
    frequencyAdditionalInfo?: string
    year?: number
  }
}

export interface CollectedIdentity {
  fullName: string
  /** The person's document (CPF), or a business's CNPJ. */
  document?: string | null
  documentType?: 'CPF' | 'CNPJ' | null
  /** A business's tax number (CNPJ); null for a person, whose CPF is the document. */
  taxNumber?: string | null
  birthDate?: string | null
  jobTitle?: string | null
  companyName?: string | null
  emails?: { value: string; type?: 'Personal' | 'Work' | null }[]
  phoneNumbers?: IdentityPhoneNumber[]
  addresses?: IdentityAddress[]
  relations?: IdentityRelation[]
  investorProfile?: 'Conservative' | 'Moderate' | 'Aggressive' | null
  establishmentName?: string | null
  establishmentCode?: string | null
  financialRelationships?: FinancialRelationships | null
  qualifications?: Qualifications | null
  /** Natural persons only. */
  socialName?: string | null
  sex?: 'FEMALE' | 'MALE' | 'OTHER' | null
  maritalStatus?: { code: 'SINGLE' | 'MARRIED' | 'WIDOWED' | 'JUDICIALLY_SEPARATED' | 'DIVORCED' | 'STABLE_UNION' | 'OTHER'; additionalInfo?: string } | null
  nationality?: { hasBrazilianNationality: boolean; otherNationalities?: { countryCode: string; documents: NationalityDocument[] }[] } | null
  otherDocuments?: IdentityOtherDocument[] | null
  passport?: { number: string; country: string; issueDate?: string; expirationDate?: string } | null
  /** Businesses only. */
  incorporationDate?: string | null
  parties?: BusinessParty[] | null
  businessOtherDocuments?: { type: string; number: string; country: string; expirationDate?: string }[] | null
  /** CNPJs (digits only) of the institutions keeping the holder's registration. */
  companiesCnpj?: string[] | null
}
