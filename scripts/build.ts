/**
 * `npm run build`: compiles the server to dist/ so that `npm start`, `npx tributary` and the
 * package's exports run JavaScript, with no TypeScript compiler at run time.
 *
 * - every module of src/ (tests and the Connect page's browser code aside) is compiled on its own
 *   by esbuild, keeping the directory layout, with its relative imports renamed `.ts` → `.js`;
 * - the SQL migrations are copied beside the compiled store;
 * - the Connect page's and the dashboard's browser bundles are written beside their compiled routes;
 * - the embedded database's migrated snapshot is made (see src/store/embedded-snapshot.ts);
 * - type declarations for the package's exports are emitted by tsc.
 */
import { execFileSync } from 'node:child_process'
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'esbuild'
import { writeConnectBundle } from '../src/connect/connect-bundle.ts'
import { writeDashboardBundle } from '../src/dashboard/dashboard-bundle.ts'
import { openDatabase } from '../src/store/database.ts'
import { saveSnapshot } from '../src/store/embedded-snapshot.ts'
import { packDirectory } from '../src/store/snapshot-files.ts'
import { migrate } from '../src/store/migrate.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SRC = path.join(ROOT, 'src')
const DIST = path.join(ROOT, 'dist')

async function sources(directory: string): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name)
    if (entry.isDirectory()) {
      // The browser code is bundled for the browser (below), not compiled for Node.
      if (full !== path.join(SRC, 'connect', 'app') && full !== path.join(SRC, 'dashboard', 'app')) found.push(...(await sources(full)))
    } else if (entry.name.endsWith('.ts') && !/(\.test|-test-support|\.d)\.ts$/.test(entry.name)) {
      // Tests and the helpers only tests import (*-test-support.ts) stay out of the package.
      found.push(full)
    }
  }
  return found
}

async function declarations(directory: string): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(directory, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.d.ts')) found.push(path.join(entry.parentPath, entry.name))
  }
  return found
}

/** Leaves every import to Node at run time: packages as they are, our modules renamed to `.js`. */
const importsStayImports: Plugin = {
  name: 'imports-stay-imports',
  setup(builder) {
    builder.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined
      return { path: args.path.startsWith('.') ? args.path.replace(/\.ts$/, '.js') : args.path, external: true }
    })
  },
}

const started = performance.now()
await rm(DIST, { recursive: true, force: true })
await build({
  entryPoints: await sources(SRC),
  outdir: DIST,
  outbase: SRC,
  bundle: true,
  plugins: [importsStayImports],
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
})
await cp(path.join(SRC, 'store', 'migrations'), path.join(DIST, 'store', 'migrations'), { recursive: true })
await writeConnectBundle(path.join(DIST, 'connect', 'assets'))
await writeDashboardBundle(path.join(DIST, 'dashboard', 'assets'))

// The snapshot: a new embedded database on disk, migrated, shut down cleanly (so that a database
// opened from it replays no WAL), written out.
const scratch = await mkdtemp(path.join(os.tmpdir(), 'tributary-snapshot-'))
try {
  const db = await openDatabase({ databaseUrl: null, dataDir: scratch }, { poolSize: 2 })
  try {
    await migrate(db.pool, db.connectionString)
  } finally {
    await db.close()
  }
  await saveSnapshot(new Blob([await packDirectory(path.join(scratch, 'pgdata'), { gzip: false })]), path.join(DIST, 'store', 'embedded-database.tar'))
} finally {
  await rm(scratch, { recursive: true, force: true })
}

execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' })
// tsc keeps the sources' `.ts` specifiers in declarations; they name the `.js` modules beside them.
for (const file of await declarations(DIST)) {
  const text = await readFile(file, 'utf8')
  const renamed = text.replace(/((?:from\s+|import\()['"]\.{1,2}\/[^'"]+)\.ts(['"])/g, '$1.js$2')
  if (renamed !== text) await writeFile(file, renamed)
}
process.stderr.write(`built dist/ in ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
