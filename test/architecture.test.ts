import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXECUTION_STATUSES, ITEM_STATUSES } from '../src/domain/statuses.ts'

// The shape of the code (GUIDE.md §2): rooms of one job, layers that only look down, and every
// lifecycle rule in src/domain.

const SRC = path.resolve(import.meta.dirname, '../src')

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    return statSync(full).isDirectory() ? files(full) : [full]
  })
}

const sourcesAndTests = files(SRC).filter((f) => /\.(ts|css|sql)$/.test(f))
const sources = sourcesAndTests.filter((f) => !f.endsWith('.test.ts'))
const modules = sources.filter((f) => f.endsWith('.ts'))
const rel = (file: string) => path.relative(SRC, file)

/** The project modules a file imports (type-only imports and re-exports included). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/g), ...text.matchAll(/import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1])
  return specifiers.filter((s) => s.startsWith('.')).map((s) => path.resolve(path.dirname(file), s))
}

const graph = new Map(modules.map((f) => [f, importsOf(f).filter((target) => modules.includes(target))]))

/** Strongly connected components with more than one module (or a module importing itself). */
function cycles(): string[][] {
  let index = 0
  const indices = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (v: string) => {
    indices.set(v, index)
    low.set(v, index++)
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!))
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(rel(w))
      } while (w !== v)
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort())
    }
  }
  for (const v of graph.keys()) if (!indices.has(v)) visit(v)
  return found
}

describe('architecture', () => {
  it('no source file under src/, tests included, is over 400 lines', () => {
    const long = sourcesAndTests.map((f) => [rel(f), readFileSync(f, 'utf8').split('\n').length] as const).filter(([, lines]) => lines > 400)
    expect(long).toEqual([])
  })

  it('no import cycle, type-only imports included', () => {
    expect(cycles()).toEqual([])
  })

  it('src/domain imports nothing of the project outside itself', () => {
    const domain = path.join(SRC, 'domain')
    const outside = modules
      .filter((f) => f.startsWith(domain))
      .flatMap((f) =>
        importsOf(f)
          .filter((t) => !t.startsWith(domain))
          .map((t) => `${rel(f)} → ${rel(t)}`),
      )
    expect(outside).toEqual([])
  })

  it('layers only look down: events/ and store/ never import the engine or the HTTP layer', () => {
    const upward = modules
      .filter((f) => /^(events|store)\//.test(rel(f)))
      .flatMap((f) =>
        importsOf(f)
          .filter((t) => /^(engine|http|connect|cli)\//.test(rel(t)))
          .map((t) => `${rel(f)} → ${rel(t)}`),
      )
    expect(upward).toEqual([])
  })

  it('routes go through services: a route module imports neither store/, nor another route module, nor http/app.ts; services/ never imports the HTTP layer', () => {
    const crossing = modules.flatMap((f) => {
      const from = rel(f)
      const forbidden = from.startsWith('http/routes/')
        ? (to: string) => to.startsWith('store/') || to.startsWith('http/routes/') || to === 'http/app.ts'
        : from.startsWith('services/')
          ? (to: string) => /^(http|connect|cli)\//.test(to)
          : () => false
      return importsOf(f)
        .map(rel)
        .filter(forbidden)
        .map((to) => `${from} → ${to}`)
    })
    expect(crossing).toEqual([])
  })

  it('no item or execution status is named outside src/domain, except where the Connect page and the CLI display them', () => {
    const statuses = new Set<string>([...ITEM_STATUSES, ...EXECUTION_STATUSES])
    // The connector SDK's typed errors name the outcome each one ends an execution with (its
    // public vocabulary), and the connector test kit asserts outcomes as a connector's tests do.
    const allowed = /^(domain|connect|cli|testing)\/|^connectors\/sdk\/errors\.ts$/
    const named = sources.filter((f) => !allowed.test(rel(f))).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/'([A-Z_]+)'/g)].filter((m) => statuses.has(m[1])).map((m) => `${rel(f)}: ${m[1]}`))
    expect(named).toEqual([])
  })
})
