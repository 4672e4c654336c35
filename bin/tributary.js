#!/usr/bin/env node
// Runs the compiled CLI (dist/, written by `npm run build`, which `npm ci` runs through `prepare`).
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const main = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'main.js')
if (!existsSync(main)) {
  process.stderr.write('tributary: dist/ is missing; run `npm run build` first (or `npm run dev` to run the sources)\n')
  process.exit(1)
}
await import(pathToFileURL(main).href)
