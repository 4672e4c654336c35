import { z } from 'zod'
import { EXECUTION_STATUSES, ITEM_STATUSES, PRODUCTS, PRODUCT_DETAIL_KEY } from '../../domain/statuses.ts'
import { Connector, SelectOption } from './connector.ts'
import { DateTime, NullableDateTime } from './date-time.ts'
import { pageOf } from './page.ts'

export const ItemError = z
  .object({ code: z.string(), message: z.string(), providerMessage: z.string().optional().describe('The institution’s own words, when known') })
  .describe('Why the last execution failed (docs/errors.md)')

/** The value a 2-step MFA execution waits for (SPEC §2.3). */
export const MfaParameter = z
  .object({
    name: z.string().describe('The key to send the value under (POST /items/{id}/mfa)'),
    label: z.string(),
    type: z.enum(['text', 'password', 'number', 'image', 'select']),
    placeholder: z.string().optional(),
    validation: z.string().optional(),
    validationMessage: z.string().optional(),
    assistiveText: z.string().optional(),
    options: z.array(SelectOption).optional(),
    data: z.string().optional().describe('For an image or QR challenge: a data URL or text to show'),
    expiresAt: DateTime,
  })
  .describe('The value the execution waits for, while WAITING_USER_INPUT')
export type MfaParameter = z.infer<typeof MfaParameter>

export const UserAction = z
  .object({
    type: z.string(),
    instructions: z.string(),
    expiresAt: z.string().nullable(),
    attributes: z.record(z.string(), z.string()).optional().describe('Open Finance: `url` is the institution’s authorization page to open'),
  })
  .describe('What the user must do outside the application: approve on a device, or authorize at the institution’s page (WAITING_USER_ACTION)')

export const ProductWarning = z.object({ code: z.string(), message: z.string(), providerMessage: z.string().optional() })

export const ProductStatus = z.object({ isUpdated: z.boolean(), lastUpdatedAt: NullableDateTime, warnings: z.array(ProductWarning) })
export type ProductStatus = z.infer<typeof ProductStatus>

const statusDetailKeys = Object.values(PRODUCT_DETAIL_KEY)
/** One entry per product: null when it was not requested (or the connector lacks it). */
export const StatusDetail = z.strictObject(
  Object.fromEntries(statusDetailKeys.map((key) => [key, ProductStatus.nullable()])) as Record<(typeof statusDetailKeys)[number], z.ZodNullable<typeof ProductStatus>>,
)

export const Item = z.strictObject({
  id: z.uuid(),
  connector: Connector.nullable().describe('null when the connector is no longer loaded'),
  status: z.enum(ITEM_STATUSES),
  executionStatus: z.enum(EXECUTION_STATUSES),
  error: ItemError.nullable(),
  statusDetail: StatusDetail.nullable(),
  parameter: MfaParameter.nullable(),
  userAction: UserAction.nullable(),
  createdAt: DateTime,
  updatedAt: DateTime,
  lastUpdatedAt: NullableDateTime,
  webhookUrl: z.string().nullable(),
  clientUserId: z.string().nullable(),
  products: z.array(z.enum(PRODUCTS)).describe('What the item collects: the products it asked for, else all its connector’s'),
  consecutiveFailedLoginAttempts: z.number().int().min(0),
  autoSyncDisabled: z.boolean(),
  nextAutoSyncAt: NullableDateTime,
  consentExpiresAt: NullableDateTime.describe('Open Finance: when the consent the institution granted expires'),
  oauthRedirectUri: z.string().nullable().describe('Open Finance: where the user is sent back to after the institution’s page'),
})
export type Item = z.infer<typeof Item>

export const ItemPage = pageOf(Item).describe('A page of the client’s items')
