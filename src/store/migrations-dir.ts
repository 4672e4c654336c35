import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The numbered SQL migrations (copied beside the compiled store by the build). */
export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')
