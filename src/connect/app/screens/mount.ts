/** From a screen description to its module, and whether a new description is the same screen updated. */
import type { Screen } from '../flow/state.ts'
import { mountAuthorization } from './authorization.ts'
import { mountCredentials } from './credentials.ts'
import { mountError } from './error.ts'
import { mountFatal } from './fatal.ts'
import { mountInstitutions } from './institutions.ts'
import { mountLoading } from './loading.ts'
import { mountMfa } from './mfa.ts'
import { mountProgress } from './progress.ts'
import type { ScreenContext, ScreenView } from './screen.ts'
import { mountSuccess } from './success.ts'

/** Two descriptions with one key are one screen: the mounted one is updated, keeping what the user typed. */
export function screenKey(screen: Screen): string {
  switch (screen.name) {
    case 'credentials':
      return `credentials|${screen.connector.id}|${screen.mode}`
    case 'mfa':
      return `mfa|${screen.parameter.name}|${screen.parameter.expiresAt ?? ''}`
    default:
      return screen.name
  }
}

export function mountScreen(screen: Screen, context: ScreenContext): ScreenView<any> {
  switch (screen.name) {
    case 'loading':
      return mountLoading(screen, context)
    case 'fatal':
      return mountFatal(screen, context)
    case 'institutions':
      return mountInstitutions(screen, context)
    case 'credentials':
      return mountCredentials(screen, context)
    case 'progress':
      return mountProgress(screen, context)
    case 'mfa':
      return mountMfa(screen, context)
    case 'authorization':
      return mountAuthorization(screen, context)
    case 'success':
      return mountSuccess(screen, context)
    case 'error':
      return mountError(screen, context)
    default:
      throw new Error(`unexpected screen ${JSON.stringify(screen satisfies never)}`)
  }
}
