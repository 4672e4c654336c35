/**
 * The dashboard's browser code (src/dashboard/app), bundled with esbuild as the Connect page's
 * is: the package's build writes it beside the compiled server (dashboard/assets/), which reads
 * it; run from the sources it is built in memory once per process. Every file gets a content hash
 * in its name so it can be cached for a year.
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

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
/** Where the build writes the bundle: beside the compiled module. */
const BUILT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets')
const BUNDLE_FILES = ['dashboard.js', 'styles.css']

async function bundleFiles(): Promise<Map<string, Buffer>> {
  // Only when running from the sources: the compiled server reads the build's files instead.
  const { build } = await import('esbuild')
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
  return new Map(result.outputFiles.map((file) => [path.basename(file.path), Buffer.from(file.contents)]))
}

/** Writes the bundle for the compiled server (the package's build). */
export async function writeDashboardBundle(directory: string): Promise<void> {
  const files = await bundleFiles()
  await mkdir(directory, { recursive: true })
  for (const name of BUNDLE_FILES) await writeFile(path.join(directory, name), files.get(name)!)
}

async function builtFiles(): Promise<Map<string, Buffer> | undefined> {
  try {
    return new Map(await Promise.all(BUNDLE_FILES.map(async (name) => [name, await readFile(path.join(BUILT_DIR, name))] as const)))
  } catch {
    return undefined
  }
}

async function buildBundle(): Promise<DashboardBundle> {
  const files = (await builtFiles()) ?? (await bundleFiles())
  const asset = (name: string, extension: 'js' | 'css'): DashboardAsset => {
    const body = files.get(`${name}.${extension}`)
    if (!body) throw new Error(`the dashboard bundle has no ${name}.${extension}`)
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
