import type { ForcedOutcome as StoredOutcome } from '../domain/sandbox-control.ts'
import type { SandboxControlRow } from '../store/sandbox-controls.ts'
import type { ForcedOutcome, SandboxItemControl } from './schemas/sandbox.ts'

export function presentForcedOutcome(itemId: string, control: SandboxControlRow & { outcome: StoredOutcome }): ForcedOutcome {
  const { outcome } = control
  return {
    itemId,
    executionStatus: outcome.executionStatus,
    failingProducts: outcome.failingProducts,
    providerMessage: outcome.providerMessage,
    once: control.once,
    appliedToExecutionId: control.once ? control.takenBy : null,
    createdAt: (control.outcomeSetAt ?? new Date(0)).toISOString(),
  }
}

export function presentSandboxControl(item: { id: string; connectorId: number }, control: SandboxControlRow | undefined, loginReset: boolean): SandboxItemControl {
  return {
    itemId: item.id,
    connectorId: item.connectorId,
    outcome: control?.outcome ? presentForcedOutcome(item.id, control as SandboxControlRow & { outcome: StoredOutcome }) : null,
    loginReset,
    loginResetAt: loginReset && control?.loginResetAt ? control.loginResetAt.toISOString() : null,
  }
}
