import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ERROR_CODES } from '../src/domain/error-codes.ts'
import { ERROR_OUTCOMES, errorCodeOf } from '../src/domain/statuses.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const documented = readFileSync(path.join(ROOT, 'docs/errors.md'), 'utf8')

/** The rows of the table under a `## heading` of docs/errors.md: first cell (the code, unquoted) → second cell. */
function tableUnder(heading: string): Map<string, string> {
  const section = documented.split(/^## /m).find((part) => part.startsWith(heading))
  if (!section) throw new Error(`docs/errors.md has no section "${heading}"`)
  const rows = new Map<string, string>()
  for (const [, code, second] of section.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| ([^|]+) \|/gm)) rows.set(code, second.trim())
  return rows
}

describe('docs/errors.md', () => {
  it('lists every request error code of the registry, with the statuses the registry gives it, and no other', () => {
    const rows = tableUnder('Request errors')
    for (const { code, statuses } of ERROR_CODES) {
      expect(rows.get(code), `${code} in the request errors table`).toBe(statuses.join(' / '))
    }
    const registered = new Set<string>(ERROR_CODES.map((entry) => entry.code))
    expect(
      [...rows.keys()].filter((code) => !registered.has(code)),
      'documented codes the API never answers with',
    ).toEqual([])
  })

  it('lists every item error code an execution can end with', () => {
    const rows = tableUnder('Item errors')
    const missing = ERROR_OUTCOMES.map(errorCodeOf).filter((code) => !rows.has(code))
    expect(missing, `undocumented item error codes: ${missing.join(', ')}`).toEqual([])
  })
})
