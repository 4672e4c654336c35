import type { CollectedIdentity } from '../connectors/sdk/index.ts'
import type { Queryable } from './database.ts'
import { scopedRowsJson, type ItemScope } from './item-scope.ts'

export interface IdentityRow {
  id: string
  itemId: string
  fullName: string
  document: string | null
  documentType: string | null
  taxNumber: string | null
  birthDate: Date | null
  jobTitle: string | null
  companyName: string | null
  emails: NonNullable<CollectedIdentity['emails']>
  phoneNumbers: NonNullable<CollectedIdentity['phoneNumbers']>
  addresses: NonNullable<CollectedIdentity['addresses']>
  relations: NonNullable<CollectedIdentity['relations']>
  investorProfile: CollectedIdentity['investorProfile'] | null
  establishmentName: string | null
  establishmentCode: string | null
  financialRelationships: CollectedIdentity['financialRelationships'] | null
  qualifications: CollectedIdentity['qualifications'] | null
  socialName: string | null
  sex: CollectedIdentity['sex'] | null
  maritalStatus: CollectedIdentity['maritalStatus'] | null
  nationality: CollectedIdentity['nationality'] | null
  otherDocuments: CollectedIdentity['otherDocuments'] | null
  passport: CollectedIdentity['passport'] | null
  incorporationDate: Date | null
  parties: CollectedIdentity['parties'] | null
  businessOtherDocuments: CollectedIdentity['businessOtherDocuments'] | null
  companiesCnpj: string[] | null
  createdAt: Date
  updatedAt: Date
}

const COLUMNS = `
  d.id, d.item_id as "itemId", d.full_name as "fullName", d.document, d.document_type as "documentType",
  d.tax_number as "taxNumber", d.birth_date as "birthDate", d.job_title as "jobTitle", d.company_name as "companyName",
  d.emails, d.phone_numbers as "phoneNumbers", d.addresses, d.relations, d.investor_profile as "investorProfile",
  d.establishment_name as "establishmentName", d.establishment_code as "establishmentCode",
  d.financial_relationships as "financialRelationships", d.qualifications, d.social_name as "socialName", d.sex,
  d.marital_status as "maritalStatus", d.nationality, d.other_documents as "otherDocuments", d.passport,
  d.incorporation_date as "incorporationDate", d.parties, d.business_other_documents as "businessOtherDocuments",
  d.companies_cnpj as "companiesCnpj", d.created_at as "createdAt", d.updated_at as "updatedAt"`

/**
 * Inserts or updates the identities of one or more items (one per item, so it keeps its id); an
 * unchanged one is not touched. Returns, for each identity created or changed, its id, its item
 * and whether it was created.
 */
export async function upsertIdentities(db: Queryable, identities: readonly { scope: ItemScope; identity: CollectedIdentity }[]): Promise<{ id: string; itemId: string; created: boolean }[]> {
  if (identities.length === 0) return []
  const { rows } = await db.query<{ id: string; itemId: string; created: boolean }>(
    `insert into identities as t (item_id, client_id, full_name, document, document_type, tax_number, birth_date, job_title,
       company_name, emails, phone_numbers, addresses, relations, investor_profile, establishment_name, establishment_code,
       financial_relationships, qualifications, social_name, sex, marital_status, nationality, other_documents, passport,
       incorporation_date, parties, business_other_documents, companies_cnpj, created_at, updated_at)
     select d.item_id, d.client_id, d."fullName", d.document, d."documentType", d."taxNumber", d."birthDate", d."jobTitle", d."companyName",
       coalesce(d.emails, '[]'), coalesce(d."phoneNumbers", '[]'), coalesce(d.addresses, '[]'), coalesce(d.relations, '[]'),
       d."investorProfile", d."establishmentName", d."establishmentCode", d."financialRelationships", d.qualifications,
       d."socialName", d.sex, d."maritalStatus", d.nationality, d."otherDocuments", d.passport, d."incorporationDate",
       d.parties, d."businessOtherDocuments", d."companiesCnpj", d.at, d.at
     from jsonb_to_recordset($1::jsonb) as d(item_id uuid, client_id text, at timestamptz, "fullName" text, document text, "documentType" text, "taxNumber" text,
       "birthDate" timestamptz, "jobTitle" text, "companyName" text, emails jsonb, "phoneNumbers" jsonb, addresses jsonb, relations jsonb,
       "investorProfile" text, "establishmentName" text, "establishmentCode" text, "financialRelationships" jsonb,
       qualifications jsonb, "socialName" text, sex text, "maritalStatus" jsonb, nationality jsonb, "otherDocuments" jsonb,
       passport jsonb, "incorporationDate" timestamptz, parties jsonb, "businessOtherDocuments" jsonb, "companiesCnpj" jsonb)
     on conflict (item_id) do update set full_name = excluded.full_name, document = excluded.document,
       document_type = excluded.document_type, tax_number = excluded.tax_number, birth_date = excluded.birth_date,
       job_title = excluded.job_title, company_name = excluded.company_name, emails = excluded.emails,
       phone_numbers = excluded.phone_numbers, addresses = excluded.addresses, relations = excluded.relations,
       investor_profile = excluded.investor_profile, establishment_name = excluded.establishment_name,
       establishment_code = excluded.establishment_code, financial_relationships = excluded.financial_relationships,
       qualifications = excluded.qualifications, social_name = excluded.social_name, sex = excluded.sex,
       marital_status = excluded.marital_status, nationality = excluded.nationality, other_documents = excluded.other_documents,
       passport = excluded.passport, incorporation_date = excluded.incorporation_date, parties = excluded.parties,
       business_other_documents = excluded.business_other_documents, companies_cnpj = excluded.companies_cnpj,
       updated_at = excluded.updated_at
     where (t.full_name, t.document, t.document_type, t.tax_number, t.birth_date, t.job_title, t.company_name, t.emails,
            t.phone_numbers, t.addresses, t.relations, t.investor_profile, t.establishment_name, t.establishment_code,
            t.financial_relationships, t.qualifications, t.social_name, t.sex, t.marital_status, t.nationality,
            t.other_documents, t.passport, t.incorporation_date, t.parties, t.business_other_documents, t.companies_cnpj)
       is distinct from (excluded.full_name, excluded.document, excluded.document_type, excluded.tax_number,
            excluded.birth_date, excluded.job_title, excluded.company_name, excluded.emails, excluded.phone_numbers,
            excluded.addresses, excluded.relations, excluded.investor_profile, excluded.establishment_name,
            excluded.establishment_code, excluded.financial_relationships, excluded.qualifications, excluded.social_name,
            excluded.sex, excluded.marital_status, excluded.nationality, excluded.other_documents, excluded.passport,
            excluded.incorporation_date, excluded.parties, excluded.business_other_documents, excluded.companies_cnpj)
     returning t.id, t.item_id as "itemId", (t.xmax = '0') as created`,
    [scopedRowsJson(identities.map(({ scope, identity }) => ({ scope, rows: [identity] })))],
  )
  return rows
}

/** A client's identity by its id; another client's is indistinguishable from a missing one. */
export async function findIdentity(db: Queryable, clientId: string, id: string): Promise<IdentityRow | undefined> {
  const { rows } = await db.query<IdentityRow>(`select ${COLUMNS} from identities d where d.id = $1 and d.client_id = $2`, [id, clientId])
  return rows[0]
}

/** The identity collected for one of the client's items, if any. */
export async function findIdentityOfItem(db: Queryable, clientId: string, itemId: string): Promise<IdentityRow | undefined> {
  const { rows } = await db.query<IdentityRow>(`select ${COLUMNS} from identities d where d.item_id = $1 and d.client_id = $2`, [itemId, clientId])
  return rows[0]
}
