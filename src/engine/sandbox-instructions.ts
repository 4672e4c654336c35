import { createHash } from 'node:crypto'
import { instructionsFor, type SandboxInstructions } from '../domain/sandbox-control.ts'
import type { CustomSandboxUser } from '../domain/sandbox-user-document.ts'
import type { Cipher } from '../store/cipher.ts'
import type { Queryable } from '../store/database.ts'
import { takeSandboxControls } from '../store/sandbox-controls.ts'
import { BatchWriter, type BatchWriterOptions } from './batch-writer.ts'
import { DEFAULT_OUTAGE_WINDOW_MS } from './step-writer.ts'

/**
 * Which credentials a login reset is for: a digest of their ciphertext, which every update with
 * parameters replaces (the cipher draws a fresh IV), so the reset lasts exactly until the item is
 * given credentials again. A digest of ciphertext says nothing about the credentials.
 */
export function credentialsFingerprint(credentialsEnc: string): string {
  return createHash('sha256').update(credentialsEnc).digest('base64url')
}

interface SandboxInstructionsAsk {
  item: { id: string; credentialsEnc: string }
  executionId: string
}

/**
 * What the sandbox control API asked of each starting execution of a sandbox institution's item,
 * read (and a `once` outcome taken) when the execution starts: the executions that start together
 * read theirs in one statement. Read again after a lost answer, a `once` outcome is found taken by
 * the same execution.
 */
export class SandboxInstructionsReader extends BatchWriter<SandboxInstructionsAsk, SandboxInstructions | null> {
  constructor(
    private readonly deps: { db: Queryable; cipher: Cipher; fileUsers: ReadonlyMap<string, CustomSandboxUser> },
    options: Partial<BatchWriterOptions> = {},
  ) {
    super({ maxInFlight: 2, maxBatch: 500, outageWindowMs: DEFAULT_OUTAGE_WINDOW_MS, ...options })
  }

  protected async write(asks: SandboxInstructionsAsk[]): Promise<(SandboxInstructions | null)[]> {
    const { db, cipher, fileUsers } = this.deps
    // The user name picks a custom sandbox user: the client's own first, then the file's.
    const userNames = asks.map(({ item }) => String((JSON.parse(cipher.decrypt(item.credentialsEnc)) as Record<string, unknown>).user ?? ''))
    const taken = await takeSandboxControls(
      db,
      asks.map(({ item, executionId }, i) => ({ itemId: item.id, executionId, userName: userNames[i] })),
    )
    return asks.map(({ item, executionId }, i) => {
      const { control, transactionEdits, clockAdvances, outage, customUser } = taken[i]
      const user = customUser ?? fileUsers.get(userNames[i]) ?? null
      return instructionsFor(control ?? null, executionId, credentialsFingerprint(item.credentialsEnc), transactionEdits, clockAdvances, outage, user)
    })
  }
}
