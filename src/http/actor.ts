import type { Actor } from '../engine/item-service.ts'
import type { Principal } from './auth.ts'

/** Who acts on items for ItemService: the client, and the connect token when one is used. */
export function actorOf(principal: Principal): Actor {
  return { clientId: principal.clientId, connectTokenId: principal.kind === 'connect' ? principal.tokenId : null }
}
