/**
 * The Connect page's browser code (src/connect/app), bundled with esbuild. The package's build
 * writes the bundle beside the compiled server (connect/assets/), which then reads it; run from
 * the sources (`npm run dev`, tests), it is built in memory once per process. Every file gets a
 * content hash in its name, so it can be cached for a year; connect.js keeps its fixed name
 * (embedders link to it).
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export interface ConnectAsset {
  /** The name it is served under: `app.3f2a9c0d1e4b.js`. */
  fileName: string
  contentType: string
  body: Buffer
  /** Content hash (hex), also the ETag. */
  hash: string
}

export interface ConnectBundle {
  app: ConnectAsset
  demo: ConnectAsset
  embed: ConnectAsset
  css: ConnectAsset
  /** The hashed assets by file name (served under /connect/assets/). */
  byName: ReadonlyMap<string, ConnectAsset>
}

const APP_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'app')
/** Where the build writes the bundle: beside the compiled module. */
const BUILT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets')

const ENTRY_POINTS = {
  app: path.join(APP_DIR, 'main.ts'),
  demo: path.join(APP_DIR, 'demo.ts'),
  embed: path.join(APP_DIR, 'embed.ts'),
  connect: path.join(APP_DIR, 'connect.css'),
}

/** The bundled files by entry: `app.js`, `demo.js`, `embed.js`, `connect.css`. */
async function bundleFiles(): Promise<Map<string, Buffer>> {
  // Only when running from the sources: the compiled server reads the build's files instead.
  const { build } = await import('esbuild')
  const result = await build({
    entryPoints: ENTRY_POINTS,
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

const BUNDLE_FILES = ['app.js', 'demo.js', 'embed.js', 'connect.css']

/** Writes the bundle for the compiled server (the package's build). */
export async function writeConnectBundle(directory: string): Promise<void> {
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

async function buildBundle(): Promise<ConnectBundle> {
  const files = (await builtFiles()) ?? (await bundleFiles())
  const asset = (entry: keyof typeof ENTRY_POINTS, extension: 'js' | 'css'): ConnectAsset => {
    const body = files.get(`${entry}.${extension}`)
    if (!body) throw new Error(`the Connect bundle has no ${entry}.${extension}`)
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 16)
    return {
      fileName: `${entry}.${hash}.${extension}`,
      contentType: extension === 'js' ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
      body,
      hash,
    }
  }
  const app = asset('app', 'js')
  const demo = asset('demo', 'js')
  const embed = asset('embed', 'js')
  const css = asset('connect', 'css')
  return { app, demo, embed, css, byName: new Map([app, demo, css].map((a) => [a.fileName, a])) }
}

let pending: Promise<ConnectBundle> | null = null

/** The bundle, built on first use and then shared by every app in the process; a failed build is retried on the next call. */
export function connectBundle(): Promise<ConnectBundle> {
  if (!pending) {
    pending = buildBundle()
    pending.catch(() => {
      pending = null
    })
  }
  return pending
}
