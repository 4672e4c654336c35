import { Refusal } from '../engine/refusal.ts'
import type { Principal } from './auth.ts'

/**
 * Refuses a connect token that does not reach the item: a token reaches only the item it names, or
 * the items it created (SPEC §4a.5); an API key reaches every item of its client. `what` ends the
 * refusal's sentence.
 */
export function assertReaches(principal: Principal, item: { id: string; createdByToken: string | null }, what = 'act on this item'): void {
  if (principal.kind !== 'connect') return
  const reaches = principal.itemId ? principal.itemId === item.id : item.createdByToken === principal.tokenId
  if (!reaches) throw new Refusal('forbidden', 'FORBIDDEN_FOR_CONNECT_TOKEN', `This connect token cannot ${what}.`)
}
