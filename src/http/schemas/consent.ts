import { z } from 'zod'
import { PRODUCTS } from '../../domain/statuses.ts'
import { DateTime, NullableDateTime } from './date-time.ts'
import { pageOf } from './page.ts'

/** A consent an institution granted for an item (the reference's `Consent`). */
export const Consent = z.strictObject({
  id: z.uuid(),
  itemId: z.uuid(),
  products: z.array(z.enum(PRODUCTS)).describe('The products the consent covers'),
  openFinancePermissionsGranted: z.array(z.string()).describe('The Open Finance permissions the user granted at the institution'),
  createdAt: DateTime,
  expiresAt: NullableDateTime.describe('null: the consent does not expire'),
  revokedAt: NullableDateTime.describe('When the user revoked it at the institution'),
})
export type Consent = z.infer<typeof Consent>

export const ConsentPage = pageOf(Consent).describe('The item’s consents, newest first')
