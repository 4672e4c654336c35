/**
 * The dashboard's sandbox controls (docs/sandbox.md): for the session's client, through the same
 * SandboxService as the API's /sandbox routes — force an item's next outcome, reset its login,
 * start an update, move the client's sandbox clock, put a sandbox institution in an outage or end
 * it. Every one is a change: the session's CSRF token is required (dashboard-routes.ts).
 */
import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import { OUTAGE_MODES } from '../domain/sandbox-control.ts'
import type { App, HttpServices } from '../http/http-types.ts'
import { presentForcedOutcome, presentSandboxControl } from '../http/sandbox-presenters.ts'
import { refusals } from '../http/schemas/error.ts'
import { Item } from '../http/schemas/item.ts'
import { AdvanceClockBody, ClockAdvanced, ForcedOutcome, ForcedOutcomeBody, SandboxItemControl } from '../http/schemas/sandbox.ts'
import { presentConnector, presentItem } from '../http/presenters.ts'
import { originOf } from '../http/connector-logos.ts'
import { resourceId } from '../services/resource-id.ts'
import { IdParams } from './dashboard-schemas.ts'

const ConnectorParams = z.object({ id: z.coerce.number().int().min(0).max(2_147_483_647) })
const OutageChange = z.strictObject({ mode: z.enum(OUTAGE_MODES).nullable(), delaySeconds: z.number().int().min(1).max(3600).optional() })
const OutageState = z.strictObject({ connectorId: z.number().int(), mode: z.enum(OUTAGE_MODES).nullable() })

const SESSION = { 401: ['DASHBOARD_SESSION_MISSING'], 403: ['DASHBOARD_CSRF_INVALID'] } as const
const ON_ITEM = { ...SESSION, 400: ['SANDBOX_CONNECTOR_REQUIRED'], 404: ['SANDBOX_CONTROL_DISABLED', 'ITEM_NOT_FOUND'] } as const
const ON_CONNECTOR = { ...SESSION, 400: ['SANDBOX_CONNECTOR_REQUIRED'], 404: ['SANDBOX_CONTROL_DISABLED', 'CONNECTOR_NOT_FOUND', 'SANDBOX_OUTAGE_NOT_FOUND'] } as const
/** What starting an update of an item may refuse (PATCH /items/{id} without a body). */
const UPDATE_REFUSALS = {
  ...SESSION,
  400: [
    'CONNECTOR_NOT_FOUND',
    'CONNECTOR_REQUIRED_PARAMETER_VALIDATION_ERROR',
    'PARAMETERS_NOT_PROVIDED',
    'TOO_MANY_CONSECUTIVE_LOGIN_FAILURES',
    'CONNECTOR_VALIDATION_ERROR',
    'MFA_PARAMERTER_WAS_ALREADY_USED_ERROR',
  ],
  404: ['ITEM_NOT_FOUND'],
  409: ['ITEM_ALREADY_UPDATING'],
  429: ['RATE_LIMIT_EXCEEDED'],
} as const

const clientOf = (request: FastifyRequest) => request.dashboardSession!.clientId
const hidden = { config: { access: 'public' as const } }

export function registerDashboardSandboxRoutes(app: App, services: HttpServices): void {
  const { sandbox } = services

  app.get('/dashboard/api/sandbox/items/:id', { ...hidden, schema: { hide: true, params: IdParams, response: { 200: SandboxItemControl, ...refusals(ON_ITEM) } } }, async (request) => {
    const { item, control } = await sandbox.control(clientOf(request), request.params.id)
    return presentSandboxControl(item, control, sandbox.isLoginReset(item, control))
  })

  app.post(
    '/dashboard/api/sandbox/items/:id/outcome',
    { ...hidden, schema: { hide: true, params: IdParams, body: ForcedOutcomeBody, response: { 200: ForcedOutcome, ...refusals({ ...ON_ITEM, 400: [...ON_ITEM[400], 'SANDBOX_OUTCOME_INVALID'] }) } } },
    async (request) => {
      const control = await sandbox.forceOutcome(clientOf(request), request.params.id, request.body)
      return presentForcedOutcome(control.itemId, control)
    },
  )

  app.post('/dashboard/api/sandbox/items/:id/reset-login', { ...hidden, schema: { hide: true, params: IdParams, response: { 200: SandboxItemControl, ...refusals(ON_ITEM) } } }, async (request) => {
    const clientId = clientOf(request)
    await sandbox.resetLogin(clientId, request.params.id)
    const { item, control } = await sandbox.control(clientId, request.params.id)
    return presentSandboxControl(item, control, sandbox.isLoginReset(item, control))
  })

  // What makes a forced outcome or a reset login show: a new execution, as PATCH /items/{id} starts one.
  app.post('/dashboard/api/items/:id/update', { ...hidden, schema: { hide: true, params: IdParams, response: { 200: Item, ...refusals(UPDATE_REFUSALS) } } }, async (request, reply) => {
    const actor = { clientId: clientOf(request), connectTokenId: null }
    const item = await services.items.get(actor, resourceId(request.params.id, 'ITEM_NOT_FOUND', 'Item'))
    await services.limits.itemUpdate.take(`${request.ip}|${item.id}`, reply, 'updates of this item from this address')
    const updated = await services.items.update(actor, item, {})
    const connector = services.connectors.get(updated.connectorId)
    return presentItem(updated, connector ? presentConnector(connector, services.startedAt, { status: await services.connectorHealth.status(connector.id) }, originOf(request)) : null)
  })

  app.post(
    '/dashboard/api/sandbox/clock',
    { ...hidden, schema: { hide: true, body: AdvanceClockBody, response: { 200: ClockAdvanced, ...refusals({ ...SESSION, 404: ['SANDBOX_CONTROL_DISABLED'] }) } } },
    async (request) => {
      const moved = await sandbox.advanceClock(clientOf(request), request.body.advanceSeconds)
      return { advancedSeconds: moved.advanced, movedItems: moved.movedItems, totalAdvanceSeconds: moved.totalAdvance, now: moved.sandboxNow.toISOString() }
    },
  )

  app.post(
    '/dashboard/api/sandbox/connectors/:id/outage',
    { ...hidden, schema: { hide: true, params: ConnectorParams, body: OutageChange, response: { 200: OutageState, ...refusals(ON_CONNECTOR) } } },
    async (request) => {
      const { mode, delaySeconds } = request.body
      if (mode === null) {
        await sandbox.endOutage(clientOf(request), request.params.id)
        return { connectorId: request.params.id, mode: null }
      }
      const outage = await sandbox.startOutage(clientOf(request), request.params.id, { mode, delaySeconds })
      return { connectorId: outage.connectorId, mode: outage.mode }
    },
  )
}
