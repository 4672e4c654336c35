import { createRequire } from 'node:module'
import pino from 'pino'

/** Log paths that may carry secrets; pino replaces them before anything is written. */
export const REDACTED_LOG_PATHS = [
  'parameters',
  '*.parameters',
  'credentials',
  '*.credentials',
  'password',
  '*.password',
  'clientSecret',
  '*.clientSecret',
  'req.headers["x-api-key"]',
  'req.headers.authorization',
]

/** pino-pretty is a development tool: an installed package without it logs JSON, in a terminal too. */
function prettyAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty')
    return true
  } catch {
    return false
  }
}

export function createLogger(level: string): pino.Logger {
  return pino({
    level,
    redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
    ...(process.stdout.isTTY && prettyAvailable() ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } } : {}),
  })
}
