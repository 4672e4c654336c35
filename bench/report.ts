import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** One benchmark figure; `ratio` compares it with a baseline measured in the same run. */
export interface BenchRow {
  name: string
  value: number
  unit: string
  baseline?: number
  ratio?: number
  goal?: string
  pass?: boolean
}

export function row(name: string, value: number, unit: string, extra: Omit<BenchRow, 'name' | 'value' | 'unit'> = {}): BenchRow {
  return {
    name,
    value: round(value),
    unit,
    ...extra,
    ...(extra.baseline !== undefined ? { baseline: round(extra.baseline) } : {}),
    ...(extra.ratio !== undefined ? { ratio: round(extra.ratio, 3) } : {}),
  }
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

export function printTable(rows: BenchRow[]): void {
  const header = ['benchmark', 'value', 'unit', 'baseline', 'ratio', 'goal', 'pass']
  const lines = rows.map((r) => [
    r.name,
    String(r.value),
    r.unit,
    r.baseline === undefined ? '' : String(r.baseline),
    r.ratio === undefined ? '' : String(r.ratio),
    r.goal ?? '',
    r.pass === undefined ? '' : r.pass ? 'PASS' : 'FAIL',
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)))
  const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ')
  console.log(format(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const line of lines) console.log(format(line))
}

export async function writeResults(rows: BenchRow[]): Promise<string> {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results.json')
  await writeFile(file, JSON.stringify(rows, null, 2) + '\n')
  return file
}
