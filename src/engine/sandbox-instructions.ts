import { createHash } from 'node:crypto'
import { instructionsFor, type SandboxInstructions } from '../domain/sandbox-control.ts'
import type { CustomSandboxUser } from '../domain/sandbox-user-document.ts'
import type { Cipher } from '../store/cipher.ts'
import type { Queryable } from '../store/database.ts'
import { takeSandboxControl } from '../store/sandbox-controls.ts'

/**
 * Which credentials a login reset is for: a digest of their ciphertext, which every update with
 * parameters replaces (the cipher draws a fresh IV), so the reset lasts exactly until the item is
 * given credentials again. A digest of ciphertext says nothing about the credentials.
 */
export function credentialsFingerprint(credentialsEnc: string): string {
  return createHash('sha256').update(credentialsEnc).digest('base64url')
}

/**
 * What the sandbox control API asked of this execution of a sandbox institution's item, read (and a
 * `once` outcome taken) when the execution starts.
 */
export async function readSandboxInstructions(
  db: Queryable,
  item: { id: string; credentialsEnc: string },
  executionId: string,
  users: { cipher: Cipher; fromFile: ReadonlyMap<string, CustomSandboxUser> },
): Promise<SandboxInstructions | null> {
  // The user name picks a custom sandbox user: the client's own first, then the file's.
  const userName = String((JSON.parse(users.cipher.decrypt(item.credentialsEnc)) as Record<string, unknown>).user ?? '')
  const { control, transactionEdits, clockAdvances, outage, customUser } = await takeSandboxControl(db, item.id, executionId, userName)
  const user = customUser ?? users.fromFile.get(userName) ?? null
  return instructionsFor(control ?? null, executionId, credentialsFingerprint(item.credentialsEnc), transactionEdits, clockAdvances, outage, user)
}
