import { z } from 'zod'
import { DateTime, NullableDateTime } from './date-time.ts'

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
    createdAt: DateTime,
    updatedAt: DateTime,
  })
  .describe('The identity collected for the item')
export type Identity = z.infer<typeof Identity>
