/**
 * Builds the dashboard's browser code (src/dashboard/app) with esbuild, in memory, once per
 * process, as the Connect page's is: `npm start` needs no build step, and every file gets a
 * content hash in its name so it can be cached for a year.
 */
import { createHash } from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

export interface DashboardAsset {
  fileName: string
  contentType: string
  body: Buffer
  hash: string
}

export interface DashboardBundle {
  app: DashboardAsset
  css: DashboardAsset
  byName: ReadonlyMap<string, DashboardAsset>
}

const APP_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'app')

async function buildBundle(): Promise<DashboardBundle> {
  const result = await build({
    entryPoints: { dashboard: path.join(APP_DIR, 'main.ts'), styles: path.join(APP_DIR, 'dashboard.css') },
    outdir: path.join(APP_DIR, 'out'),
    write: false,
    bundle: true,
    minify: true,
    target: 'es2020',
    format: 'iife',
    platform: 'browser',
    legalComments: 'none',
    logLevel: 'silent',
    charset: 'utf8',
  })
  const asset = (name: string, extension: 'js' | 'css'): DashboardAsset => {
    const file = result.outputFiles.find((f) => path.basename(f.path) === `${name}.${extension}`)
    if (!file) throw new Error(`esbuild produced no ${name}.${extension}`)
    const body = Buffer.from(file.contents)
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 16)
    return { fileName: `${name}.${hash}.${extension}`, contentType: extension === 'js' ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8', body, hash }
  }
  const app = asset('dashboard', 'js')
  const css = asset('styles', 'css')
  return { app, css, byName: new Map([app, css].map((a) => [a.fileName, a])) }
}

let pending: Promise<DashboardBundle> | null = null

/** The bundle, built on first use and shared by every app in the process; a failed build is retried on the next call. */
export function dashboardBundle(): Promise<DashboardBundle> {
  if (!pending) {
    pending = buildBundle()
    pending.catch(() => {
      pending = null
    })
  }
  return pending
}
