import { Refusal } from '../engine/refusal.ts'
import { findConsent, listConsents, type ConsentRow } from '../store/consents.ts'

export type { ConsentRow }
import type { Queryable } from '../store/database.ts'
import { ownedItem } from './owned-item.ts'
import { resourceId } from './resource-id.ts'

/** The consents institutions granted for a client's items (GET /consents, SPEC §7.4). */
export class ConsentService {
  constructor(private readonly db: Queryable) {}

  async list(clientId: string, rawItemId: string, page: { limit: number; offset: number }): Promise<{ rows: ConsentRow[]; total: number }> {
    const item = await ownedItem(this.db, clientId, rawItemId)
    return listConsents(this.db, clientId, item.id, page)
  }

  async get(clientId: string, rawId: string): Promise<ConsentRow> {
    const consent = await findConsent(this.db, clientId, resourceId(rawId, 'CONSENT_NOT_FOUND', 'Consent'))
    if (!consent) throw new Refusal('not_found', 'CONSENT_NOT_FOUND', `Consent ${rawId} was not found; list an item's consents with GET /consents?itemId=.`)
    return consent
  }
}
