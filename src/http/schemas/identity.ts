import { z } from 'zod'
import { DateTime, NullableDateTime } from './date-time.ts'

/** A nested group of the reference's identity type (Open Finance registration data), served as collected, dates as ISO instants. */
const NestedObject = z.record(z.string(), z.unknown())

/** Who holds the item's accounts, as the institution knows them (SPEC §3.4). */
export const Identity = z
  .strictObject({
    id: z.uuid(),
    itemId: z.uuid(),
    fullName: z.string(),
    document: z.string().nullable(),
    documentType: z.enum(['CPF', 'CNPJ']).nullable(),
    taxNumber: z.string().nullable(),
    birthDate: NullableDateTime,
    jobTitle: z.string().nullable(),
    companyName: z.string().nullable(),
    emails: z.array(z.object({ value: z.string(), type: z.enum(['Personal', 'Work']).nullable().optional() })),
    phoneNumbers: z.array(z.object({ value: z.string(), type: z.enum(['Personal', 'Work', 'Residencial']).nullable().optional() })),
    addresses: z.array(
      z.object({
        fullAddress: z.string().nullable().optional(),
        primaryAddress: z.string().nullable().optional(),
        city: z.string().nullable().optional(),
        postalCode: z.string().nullable().optional(),
        state: z.string().nullable().optional(),
        country: z.string().nullable().optional(),
        type: z.enum(['Personal', 'Work']).nullable().optional(),
      }),
    ),
    relations: z.array(z.object({ type: z.enum(['Mother', 'Father', 'Spouse']).nullable(), name: z.string().nullable(), document: z.string().nullable().optional() })),
    investorProfile: z.enum(['Conservative', 'Moderate', 'Aggressive']).nullable(),
    establishmentName: z.string().nullable(),
    establishmentCode: z.string().nullable(),
    financialRelationships: NestedObject.nullable(),
    qualifications: NestedObject.nullable(),
    socialName: z.string().nullable(),
    sex: z.string().nullable(),
    maritalStatus: NestedObject.nullable(),
    nationality: NestedObject.nullable(),
    otherDocuments: z.array(NestedObject).nullable(),
    passport: NestedObject.nullable(),
    incorporationDate: NullableDateTime,
    parties: z.array(NestedObject).nullable(),
    businessOtherDocuments: z.array(NestedObject).nullable(),
    companiesCnpj: z.array(z.string()).nullable(),
    createdAt: DateTime,
    updatedAt: DateTime,
  })
  .describe('The identity collected for the item')
export type Identity = z.infer<typeof Identity>
