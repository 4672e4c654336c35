/**
 * Builds the Connect page's browser code (src/connect/app) with esbuild, in memory, once per
 * process: `npm start` needs no separate build step. Every file gets a content hash in its name, so
 * it can be cached for a year; connect.js keeps its fixed name (embedders link to it).
 */
import { createHash } from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

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

const ENTRY_POINTS = {
  app: path.join(APP_DIR, 'main.ts'),
  demo: path.join(APP_DIR, 'demo.ts'),
  embed: path.join(APP_DIR, 'embed.ts'),
  connect: path.join(APP_DIR, 'connect.css'),
}

async function buildBundle(): Promise<ConnectBundle> {
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
  const asset = (entry: keyof typeof ENTRY_POINTS, extension: 'js' | 'css'): ConnectAsset => {
    const file = result.outputFiles.find((f) => path.basename(f.path) === `${entry}.${extension}`)
    if (!file) throw new Error(`esbuild produced no ${entry}.${extension}`)
    const body = Buffer.from(file.contents)
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
