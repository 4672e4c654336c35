/**
 * What the Connect page and the dashboard share about their browser code: bundled with esbuild
 * (only when running from the sources), written by the package's build beside the compiled
 * server and read from there, each file served under a name with its content hash so that it can
 * be cached for a year.
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'

export interface BrowserAsset {
  /** The name it is served under: `app.3f2a9c0d1e4b.js`. */
  fileName: string
  contentType: string
  body: Buffer
  /** Content hash (hex), also the ETag. */
  hash: string
}

/** One page's browser code: its entry points (output name → source) and the files they give. */
export interface BrowserBundleSource {
  /** For error messages: "the Connect bundle". */
  name: string
  entryPoints: Record<string, string>
  /** The output files, `<entry>.js` / `<entry>.css`. */
  files: readonly string[]
  /** The sources' folder (esbuild's outdir is taken beside it, nothing is written there). */
  appDir: string
  /** Where the build writes the files, beside the compiled module. */
  builtDir: string
}

async function bundleSources(source: BrowserBundleSource): Promise<Map<string, Buffer>> {
  const { build } = await import('esbuild')
  const result = await build({
    entryPoints: source.entryPoints,
    outdir: path.join(source.appDir, 'out'),
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
export async function writeBrowserBundle(source: BrowserBundleSource, directory: string): Promise<void> {
  const files = await bundleSources(source)
  await mkdir(directory, { recursive: true })
  for (const name of source.files) await writeFile(path.join(directory, name), files.get(name)!)
}

async function builtFiles(source: BrowserBundleSource): Promise<Map<string, Buffer> | undefined> {
  try {
    return new Map(await Promise.all(source.files.map(async (name) => [name, await readFile(path.join(source.builtDir, name))] as const)))
  } catch {
    return undefined
  }
}

/** The bundle's files: the build's when there is one, else built from the sources. */
export async function browserBundleFiles(source: BrowserBundleSource): Promise<(entry: string, extension: 'js' | 'css') => BrowserAsset> {
  const files = (await builtFiles(source)) ?? (await bundleSources(source))
  return (entry, extension) => {
    const body = files.get(`${entry}.${extension}`)
    if (!body) throw new Error(`${source.name} has no ${entry}.${extension}`)
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 16)
    return { fileName: `${entry}.${hash}.${extension}`, contentType: extension === 'js' ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8', body, hash }
  }
}

/** `build`, run on first use and then shared by every caller in the process; a failure is retried on the next call. */
export function sharedOnce<T>(build: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null
  return () => {
    if (!pending) {
      pending = build()
      pending.catch(() => {
        pending = null
      })
    }
    return pending
  }
}
