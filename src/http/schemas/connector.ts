import { z } from 'zod'
import { CONNECTOR_TYPES } from '../../connectors/sdk/types.ts'
import { CONNECTOR_HEALTH_STATUSES } from '../../domain/connector-health.ts'
import { PRODUCTS } from '../../domain/statuses.ts'
import { DateTime } from './date-time.ts'
import { pageOf } from './page.ts'

export const SelectOption = z.object({ value: z.string(), label: z.string() })

/** A credential field the connector asks for (as its definition declares it). */
export const CredentialField = z.object({
  name: z.string(),
  label: z.string(),
  type: z.enum(['text', 'password', 'number', 'image', 'select']),
  placeholder: z.string().optional(),
  validation: z.string().optional().describe('A regular expression the value must match'),
  validationMessage: z.string().optional(),
  assistiveText: z.string().optional(),
  optional: z.boolean().optional(),
  mfa: z.boolean().optional().describe('A 1-step MFA field: sent anew with every update'),
  options: z.array(SelectOption).optional(),
})

export const ConnectorHealth = z.strictObject({
  status: z.enum(CONNECTOR_HEALTH_STATUSES),
  stage: z.null(),
  details: z
    .strictObject({ connectionRateLast6Hours: z.number().nullable(), connectionsLast6Hours: z.number().int() })
    .optional()
    .describe('With healthDetails=true: the caller’s own connections of the last six hours'),
})

export const Connector = z.strictObject({
  id: z.number().int(),
  name: z.string(),
  institutionUrl: z.string().nullable(),
  imageUrl: z.string().nullable(),
  primaryColor: z.string().nullable(),
  type: z.enum(CONNECTOR_TYPES),
  country: z.string(),
  credentials: z.array(CredentialField),
  hasMFA: z.boolean().describe('2-step MFA: the execution asks for a value after login'),
  health: ConnectorHealth,
  products: z.array(z.enum(PRODUCTS)),
  isSandbox: z.boolean(),
  oauth: z.boolean(),
  isOpenFinance: z.boolean(),
  supportsPaymentInitiation: z.boolean(),
  supportsScheduledPayments: z.boolean(),
  supportsSmartTransfers: z.boolean(),
  supportsBoletoManagement: z.boolean(),
  supportsAutomaticPix: z.boolean(),
  createdAt: DateTime,
  updatedAt: DateTime,
})
export type Connector = z.infer<typeof Connector>

export const ConnectorPage = pageOf(Connector).describe('The connectors that match the filters, in one page')

export const ParameterValidation = z
  .strictObject({
    parameters: z.record(z.string(), z.unknown()).describe('The known fields as they would be stored; passwords masked'),
    errors: z.array(z.strictObject({ code: z.enum(['001', '002']).describe('001: missing, 002: invalid'), message: z.string(), parameter: z.string() })),
  })
  .describe('The parameters checked against the connector’s credential fields')
