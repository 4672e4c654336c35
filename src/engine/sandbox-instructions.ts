import { createHash } from 'node:crypto'
import { instructionsFor, type SandboxInstructions } from '../domain/sandbox-control.ts'
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
export async function readSandboxInstructions(db: Queryable, item: { id: string; credentialsEnc: string }, executionId: string): Promise<SandboxInstructions | null> {
  const { control, transactionEdits, clockAdvances, outage } = await takeSandboxControl(db, item.id, executionId)
  return instructionsFor(control ?? null, executionId, credentialsFingerprint(item.credentialsEnc), transactionEdits, clockAdvances, outage)
}
