import { z } from 'zod'
import { DateTime } from './date-time.ts'
import { pageOf } from './page.ts'

/** A credit offer the institution made to the user (SPEC §3.4). */
export const Opportunity = z.strictObject({
  id: z.uuid(),
  itemId: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  type: z.enum(['CREDIT_CARD', 'PERSONAL_LOAN', 'BUSINESS_LOAN', 'MORTGAGE', 'VEHICLE_LOAN', 'OVERDRAFT', 'OTHER']),
  interestRate: z.number().nullable(),
  rateType: z.enum(['MONTHLY', 'YEARLY']).nullable(),
  totalLimit: z.number().nullable(),
  availableLimit: z.number().nullable(),
  date: DateTime,
})
export type Opportunity = z.infer<typeof Opportunity>

export const OpportunityPage = pageOf(Opportunity).describe('A page of the item’s credit offers')
