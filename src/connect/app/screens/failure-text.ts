/** An API refusal in the user's words. */
import type { ApiFailure } from '../flow/state.ts'
import type { Language, Translate } from '../i18n.ts'

export function describeFailure(failure: ApiFailure, t: Translate, language: Language): string {
  switch (failure.code) {
    case 'NETWORK_ERROR':
      return t('api.NETWORK_ERROR')
    case 'API_KEY_EXPIRED':
    case 'API_KEY_INVALID':
    case 'API_KEY_MISSING':
      return t('api.SESSION_EXPIRED')
    case 'FORBIDDEN_FOR_CONNECT_TOKEN':
      return t('api.FORBIDDEN')
    case 'ITEM_USER_ALREADY_EXISTS':
    case 'RATE_LIMIT_EXCEEDED':
    case 'MFA_PARAMERTER_WAS_ALREADY_USED_ERROR':
    case 'ITEM_NOT_FOUND':
    case 'CONNECTOR_NOT_FOUND':
      return t(`api.${failure.code}`)
    case 'TOO_MANY_CONSECUTIVE_LOGIN_FAILURES': {
      const after = typeof failure.data.canRetryAfterDate === 'string' ? new Date(failure.data.canRetryAfterDate) : null
      const time = after && !Number.isNaN(after.getTime()) ? after.toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' }) : '—'
      return t('api.TOO_MANY_CONSECUTIVE_LOGIN_FAILURES', { time })
    }
    case 'CONNECTOR_VALIDATION_ERROR':
    case 'CONNECTOR_REQUIRED_PARAMETER_VALIDATION_ERROR':
    case 'VALIDATION_ERROR':
      return t('credentials.fixErrors')
    default:
      return language === 'en' && failure.message ? failure.message : t('api.unknown', { code: failure.code })
  }
}
