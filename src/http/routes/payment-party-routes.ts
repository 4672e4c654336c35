import { z } from 'zod'
import type { PaymentCustomerRow } from '../../services/payments/payment-party-service.ts'
import { originOf } from '../connector-logos.ts'
import type { App, HttpServices } from '../http-types.ts'
import { PageQuery, page, pageWindow } from '../paging.ts'
import { presentCustomerWithConnector } from '../payment-customer-presenter.ts'
import { presentPaymentInstitution, presentPaymentRecipient } from '../payment-presenters.ts'
import { refusals } from '../schemas/error.ts'
import {
  CreatePaymentCustomerBody,
  CreatePaymentRecipientBody,
  PaymentCustomer,
  PaymentCustomerPage,
  PaymentInstitution,
  PaymentInstitutionPage,
  PaymentRecipient,
  PaymentRecipientPage,
  UpdatePaymentCustomerBody,
  UpdatePaymentRecipientBody,
} from '../schemas/payment-party.ts'

const IdParams = z.object({ id: z.string().max(100) })
const InstitutionQuery = PageQuery.extend({ name: z.string().max(200).optional() })
// pluggy-sdk takes any answer but 200 to a DELETE as a failure: a delete answers 200 with an empty object.
const Emptied = z.strictObject({}).describe('Deleted')
const customerNotFound = refusals({ 404: ['PAYMENT_CUSTOMER_NOT_FOUND'] })
const recipientNotFound = refusals({ 404: ['PAYMENT_RECIPIENT_NOT_FOUND'] })
const tags = ['payments']

/** Payment customers, recipients and institutions (docs/payments.md, methods 8–19). */
export function registerPaymentPartyRoutes(app: App, services: HttpServices): void {
  const parties = services.paymentParties
  const customer = (row: PaymentCustomerRow, origin: string) => presentCustomerWithConnector(services, row, origin)

  app.get(
    '/payments/recipients/institutions',
    { schema: { tags, querystring: InstitutionQuery, response: { 200: PaymentInstitutionPage.describe('Payment institutions, by name') } } },
    async (request) => {
      const { rows, total } = await parties.institutions({ name: request.query.name, ...pageWindow(request.query) })
      return page(rows.map(presentPaymentInstitution), total, request.query.page, request.query.pageSize)
    },
  )
  app.get(
    '/payments/recipients/institutions/:id',
    { schema: { tags, params: IdParams, response: { 200: PaymentInstitution.describe('The payment institution'), ...refusals({ 404: ['PAYMENT_INSTITUTION_NOT_FOUND'] }) } } },
    async (request) => presentPaymentInstitution(await parties.institution(request.params.id)),
  )

  app.post(
    '/payments/customers',
    { config: { idempotent: true }, schema: { tags, body: CreatePaymentCustomerBody, response: { 200: PaymentCustomer.describe('The customer created') } } },
    async (request) => customer(await parties.createCustomer(request.principal!.clientId, request.body), originOf(request)),
  )
  app.get('/payments/customers', { schema: { tags, querystring: PageQuery, response: { 200: PaymentCustomerPage.describe('The client’s payment customers') } } }, async (request) => {
    const { rows, total } = await parties.customers(request.principal!.clientId, pageWindow(request.query))
    return page(await Promise.all(rows.map((row) => customer(row, originOf(request)))), total, request.query.page, request.query.pageSize)
  })
  app.get('/payments/customers/:id', { schema: { tags, params: IdParams, response: { 200: PaymentCustomer.describe('The customer'), ...customerNotFound } } }, async (request) =>
    customer(await parties.customer(request.principal!.clientId, request.params.id), originOf(request)),
  )
  app.patch(
    '/payments/customers/:id',
    { config: { idempotent: true }, schema: { tags, params: IdParams, body: UpdatePaymentCustomerBody, response: { 200: PaymentCustomer.describe('The customer changed'), ...customerNotFound } } },
    async (request) => customer(await parties.updateCustomer(request.principal!.clientId, request.params.id, request.body), originOf(request)),
  )
  app.delete('/payments/customers/:id', { schema: { tags, params: IdParams, response: { 200: Emptied, ...customerNotFound } } }, async (request) => {
    await parties.deleteCustomer(request.principal!.clientId, request.params.id)
    return {}
  })

  app.post(
    '/payments/recipients',
    { config: { idempotent: true }, schema: { tags, body: CreatePaymentRecipientBody, response: { 200: PaymentRecipient.describe('The recipient created') } } },
    async (request) => presentPaymentRecipient(await parties.createRecipient(request.principal!.clientId, request.body)),
  )
  app.get('/payments/recipients', { schema: { tags, querystring: PageQuery, response: { 200: PaymentRecipientPage.describe('The client’s payment recipients') } } }, async (request) => {
    const { rows, total } = await parties.recipients(request.principal!.clientId, pageWindow(request.query))
    return page(rows.map(presentPaymentRecipient), total, request.query.page, request.query.pageSize)
  })
  app.get('/payments/recipients/:id', { schema: { tags, params: IdParams, response: { 200: PaymentRecipient.describe('The recipient'), ...recipientNotFound } } }, async (request) =>
    presentPaymentRecipient(await parties.recipient(request.principal!.clientId, request.params.id)),
  )
  app.patch(
    '/payments/recipients/:id',
    { config: { idempotent: true }, schema: { tags, params: IdParams, body: UpdatePaymentRecipientBody, response: { 200: PaymentRecipient.describe('The recipient changed'), ...recipientNotFound } } },
    async (request) => presentPaymentRecipient(await parties.updateRecipient(request.principal!.clientId, request.params.id, request.body)),
  )
  app.delete(
    '/payments/recipients/:id',
    { schema: { tags, params: IdParams, response: { 200: Emptied, ...recipientNotFound, ...refusals({ 409: ['PAYMENT_RECIPIENT_IN_USE'] }) } } },
    async (request) => {
      await parties.deleteRecipient(request.principal!.clientId, request.params.id)
      return {}
    },
  )
}
