/**
 * Sums coverage/coverage-summary.json (written by `npm run coverage`) per top-level folder of src/,
 * least covered first, as the Markdown table docs/coverage.md shows:
 *
 *   npx tsx scripts/coverage-by-folder.ts
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'

interface Counts {
  total: number
  covered: number
}
type Metric = 'lines' | 'statements' | 'functions' | 'branches'
const METRICS: Metric[] = ['lines', 'branches', 'functions']

const summary = JSON.parse(readFileSync(path.join('coverage', 'coverage-summary.json'), 'utf8')) as Record<string, Record<Metric, Counts>>
const src = path.resolve('src')
const folders = new Map<string, { files: number } & Record<Metric, Counts>>()
for (const [file, counts] of Object.entries(summary)) {
  if (file === 'total') continue
  const relative = path.relative(src, file)
  const folder = relative.includes(path.sep) ? `${relative.split(path.sep)[0]}/` : '(src/ itself)'
  const entry = folders.get(folder) ?? { files: 0, lines: { total: 0, covered: 0 }, statements: { total: 0, covered: 0 }, functions: { total: 0, covered: 0 }, branches: { total: 0, covered: 0 } }
  entry.files++
  for (const metric of [...METRICS, 'statements' as const]) {
    entry[metric].total += counts[metric].total
    entry[metric].covered += counts[metric].covered
  }
  folders.set(folder, entry)
}

const percent = (c: Counts) => (c.total === 0 ? '–' : `${((100 * c.covered) / c.total).toFixed(1)}%`)
const rows = [...folders].sort(([, a], [, b]) => a.lines.covered / (a.lines.total || 1) - b.lines.covered / (b.lines.total || 1))
console.log('| folder | files | lines | branches | functions |')
console.log('|---|---:|---:|---:|---:|')
for (const [folder, entry] of rows) console.log(`| \`${folder}\` | ${entry.files} | ${percent(entry.lines)} | ${percent(entry.branches)} | ${percent(entry.functions)} |`)
const total = summary.total
console.log(`| **all of src/** | ${Object.keys(summary).length - 1} | ${percent(total.lines)} | ${percent(total.branches)} | ${percent(total.functions)} |`)
