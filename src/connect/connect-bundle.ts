/**
 * The Connect page's browser code (src/connect/app), bundled with esbuild. The package's build
 * writes the bundle beside the compiled server (connect/assets/), which then reads it; run from
 * the sources (`npm run dev`, tests), it is built in memory once per process. Every file gets a
 * content hash in its name, so it can be cached for a year; connect.js keeps its fixed name
 * (embedders link to it).
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { browserBundleFiles, sharedOnce, writeBrowserBundle, type BrowserAsset, type BrowserBundleSource } from '../browser-bundle.ts'

export type ConnectAsset = BrowserAsset

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

const SOURCE: BrowserBundleSource = {
  name: 'the Connect bundle',
  entryPoints: ENTRY_POINTS,
  files: ['app.js', 'demo.js', 'embed.js', 'connect.css'],
  appDir: APP_DIR,
  builtDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets'),
}

/** Writes the bundle for the compiled server (the package's build). */
export const writeConnectBundle = (directory: string) => writeBrowserBundle(SOURCE, directory)

/** The bundle, built on first use and then shared by every app in the process; a failed build is retried on the next call. */
export const connectBundle = sharedOnce(async (): Promise<ConnectBundle> => {
  const asset = await browserBundleFiles(SOURCE)
  const app = asset('app', 'js')
  const demo = asset('demo', 'js')
  const embed = asset('embed', 'js')
  const css = asset('connect', 'css')
  return { app, demo, embed, css, byName: new Map([app, demo, css].map((a) => [a.fileName, a])) }
})
