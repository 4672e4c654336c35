/** Renders rows as an aligned text table (the human form of every `--json` output). */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  const cell = (value: unknown) => (value === null || value === undefined ? '-' : value instanceof Date ? value.toISOString() : String(value))
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd()
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n') + '\n'
}

/** Writes `value` to `out`: as JSON with --json, else in its human form. */
export function print(out: (text: string) => void, value: unknown, json: boolean, human: () => string): void {
  out(json ? JSON.stringify(value, null, 2) + '\n' : human())
}

/** Seconds between two instants, for timelines. */
export function seconds(from: string | Date, to: string | Date | null): string {
  if (!to) return 'running'
  return `${((new Date(to).getTime() - new Date(from).getTime()) / 1000).toFixed(2)} s`
}
