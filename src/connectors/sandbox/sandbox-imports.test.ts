import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

/** The sandbox is a connector like any other: it sees the SDK, never the store or the engine. */
const SANDBOX = dirname(fileURLToPath(import.meta.url))
const SDK = resolve(SANDBOX, '../sdk')

const IMPORT = /(?:^|\s)(?:import|export)\s(?:[^'"]*?\sfrom\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : []
  })
}

function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => m[1] ?? m[2])
}

function allowed(file: string, specifier: string): boolean {
  if (specifier.startsWith('node:')) return true
  if (!specifier.startsWith('.')) return false
  const target = resolve(dirname(file), specifier)
  return [SANDBOX, SDK].some((root) => !relative(root, target).startsWith('..'))
}

describe('sandbox imports', () => {
  it('finds the imports it checks', () => {
    const connectors = importsOf(join(SANDBOX, 'sandbox-connectors.ts'))
    expect(connectors).toContain('../sdk/index.ts')
    expect(allowed(join(SANDBOX, 'data/calendar.ts'), '../../../store/items.ts')).toBe(false)
    expect(allowed(join(SANDBOX, 'sandbox-data.ts'), '../../engine/merge.ts')).toBe(false)
    expect(allowed(join(SANDBOX, 'sandbox-data.ts'), 'pg')).toBe(false)
  })

  it('reach only the sandbox itself, the connector SDK and Node built-ins', () => {
    const files = sourceFiles(SANDBOX)
    expect(files.length).toBeGreaterThan(10)
    const outside = files.flatMap((file) =>
      importsOf(file)
        .filter((s) => !allowed(file, s))
        .map((s) => `${relative(SANDBOX, file)}: ${s}`),
    )
    expect(outside).toEqual([])
  })
})
