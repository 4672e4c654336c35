/**
 * The dashboard's browser code (src/dashboard/app), bundled with esbuild as the Connect page's
 * is: the package's build writes it beside the compiled server (dashboard/assets/), which reads
 * it; run from the sources it is built in memory once per process. Every file gets a content hash
 * in its name so it can be cached for a year.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { browserBundleFiles, sharedOnce, writeBrowserBundle, type BrowserAsset, type BrowserBundleSource } from '../browser-bundle.ts'

export type DashboardAsset = BrowserAsset

export interface DashboardBundle {
  app: DashboardAsset
  css: DashboardAsset
  byName: ReadonlyMap<string, DashboardAsset>
}

const APP_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'app')
const SOURCE: BrowserBundleSource = {
  name: 'the dashboard bundle',
  entryPoints: { dashboard: path.join(APP_DIR, 'main.ts'), styles: path.join(APP_DIR, 'dashboard.css') },
  files: ['dashboard.js', 'styles.css'],
  appDir: APP_DIR,
  builtDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets'),
}

/** Writes the bundle for the compiled server (the package's build). */
export const writeDashboardBundle = (directory: string) => writeBrowserBundle(SOURCE, directory)

/** The bundle, built on first use and shared by every app in the process; a failed build is retried on the next call. */
export const dashboardBundle = sharedOnce(async (): Promise<DashboardBundle> => {
  const asset = await browserBundleFiles(SOURCE)
  const app = asset('dashboard', 'js')
  const css = asset('styles', 'css')
  return { app, css, byName: new Map([app, css].map((a) => [a.fileName, a])) }
})
