import { Command, CommanderError } from 'commander'
import { ConfigError, loadConfig, type Config } from '../config.ts'
import { listenEarly, listensEarlyOn, recentAnswers, type EarlyListener } from '../http/early-listener.ts'
import { createLogger } from '../logger.ts'
import { openDatabase } from '../store/database.ts'
import { findSnapshot } from '../store/embedded-snapshot.ts'
import { registerAdminCommands } from './admin-commands.ts'
import { registerDemoCommand } from './demo.ts'
import { CliExit, type CliIo } from './io.ts'

function banner(url: string | null, client: { clientId: string; clientSecret: string } | null, config: Readonly<Config>): string {
  const lines = [
    '',
    '  Tributary is running',
    url ? `  API            ${url}` : '  API            (not served: TRIBUTARY_ROLE=worker)',
    url ? `  API docs       ${url}/docs  (OpenAPI: ${url}/openapi.json)` : '',
    url && config.nodeEnv !== 'production' ? `  Connect demo   ${url}/connect/demo  (connect a sandbox bank in your browser)` : '',
    `  Database       ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded, in ${config.dataDir}`}`,
    `  Role           ${config.role}`,
    client ? `  Client id      ${client.clientId}` : '',
    client ? `  Client secret  ${client.clientSecret}` : '',
    client && url ? `  Try it         curl -s -X POST ${url}/auth -H 'content-type: application/json' -d '{"clientId":"${client.clientId}","clientSecret":"${client.clientSecret}"}'` : '',
    '  Sandbox banks  connectors 0–8 (GET /connectors?sandbox=true); user "user-ok", password "password-ok", MFA code 123456',
    '',
  ]
  return lines.filter((l) => l !== '').join('\n') + '\n\n'
}

/** How long `serve`'s early /health trusts the database's last answer (early-listener.ts). */
const HEALTH_ANSWER_WINDOW_MS = 1_000

/**
 * The `tributary` command and its subcommands, reading and writing through `io`. A command ends
 * by returning, or by throwing CliExit with its exit code; none calls process.exit itself except
 * `serve`, which runs until a signal stops the process.
 */
export function buildProgram(io: CliIo): Command {
  const configOrExit = () => {
    try {
      return loadConfig(io.env)
    } catch (error) {
      if (error instanceof ConfigError) {
        io.err(`tributary: invalid configuration: ${error.message}\n`)
        throw new CliExit(78)
      }
      throw error
    }
  }

  const serve = async (): Promise<void> => {
    const config = configOrExit()
    const logger = createLogger(config.logLevel)
    // A dependency that lets a promise fail unobserved (graphile-worker does when the database
    // restarts) must not take the whole process down: log it; leases and sweeps recover the work.
    process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection (the process goes on)'))
    // The database first, then the socket (GET /health is true from then on: it answers at once),
    // then the migrations, the engine's modules, API and workers; requests other than /health wait
    // for the API.
    const snapshot = !config.databaseUrl && config.embeddedSnapshot
    const db = await openDatabase(config, { snapshot: snapshot ? await findSnapshot() : undefined })
    let listener: EarlyListener | undefined
    try {
      if (config.role !== 'worker' && listensEarlyOn(config.host)) {
        const databaseAnswers = recentAnswers(
          () =>
            db.pool.query('select 1').then(
              () => true,
              () => false,
            ),
          HEALTH_ANSWER_WINDOW_MS,
        )
        // Asked once here, before the migrations take the connection: a probe during the start
        // is answered from this (or a later) answer, not queued behind them.
        await databaseAnswers()
        listener = await listenEarly({ port: config.port, host: config.host, databaseAnswers })
      }
      // Said at once: the address answers /health now, and the rest follows in a moment.
      if (listener) io.out(`\n  Tributary is starting on port ${listener.port}: /health answers; the API, its keys and the workers follow…\n\n`)
      // Loaded once the socket is open: the migrations bring graphile-worker's modules.
      const { migrateOpened } = await import('../store/open-migrated.ts')
      await migrateOpened(db, { snapshot })
    } catch (error) {
      await listener?.close()
      await db.close().catch(() => {})
      throw error
    }
    const { startTributary } = await import('../main.ts')
    const tributary = await startTributary(config, { logger, database: async () => db, listener })
    io.out(banner(tributary.url, tributary.bootstrapClient, config))
    let stopping = false
    const shutdown = async (signal: string) => {
      if (stopping) return
      stopping = true
      logger.info({ signal }, 'stopping')
      await tributary.stop()
      process.exit(0)
    }
    process.on('SIGINT', () => void shutdown('SIGINT'))
    process.on('SIGTERM', () => void shutdown('SIGTERM'))
  }

  const program = new Command('tributary').description('Self-hosted open-finance aggregation engine').showHelpAfterError()
  // Set before the subcommands are added, which copy them: commander throws instead of exiting, and writes through io.
  program.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err })

  program.command('serve', { isDefault: true }).description('run the server (API, workers and scheduler, as TRIBUTARY_ROLE says)').action(serve)

  program
    .command('worker')
    .description('run only workers (same as TRIBUTARY_ROLE=worker serve)')
    .action(async () => {
      io.env.TRIBUTARY_ROLE = 'worker'
      await serve()
    })

  program
    .command('migrate')
    .description('apply database migrations and exit')
    .action(async () => {
      const config = configOrExit()
      const db = await openDatabase(config)
      try {
        const { migrate } = await import('../store/migrate.ts')
        const applied = await migrate(db.pool, db.connectionString)
        io.out(applied.length ? `applied ${applied.join(', ')}\n` : 'the database is up to date\n')
      } finally {
        await db.close()
      }
    })

  registerAdminCommands(program, io, configOrExit)
  registerDemoCommand(program, io)

  const keys = program.command('keys').description('manage the encryption key of secrets at rest')
  keys
    .command('rotate')
    .description('re-encrypt every stored secret with a new key (embedded: generated into the data dir; PostgreSQL: TRIBUTARY_ENCRYPTION_KEY new, TRIBUTARY_ENCRYPTION_KEY_PREVIOUS old)')
    .action(async () => {
      const config = configOrExit()
      try {
        const { rotateEncryptionKey } = await import('../admin.ts')
        const result = await rotateEncryptionKey(config)
        io.out(`re-encrypted ${result.items} item credentials and ${result.clients} client secrets with key ${result.keyId}\n`)
        io.out('API keys issued before the rotation are no longer valid; clients get new ones with POST /auth.\n')
      } catch (error) {
        if (error instanceof ConfigError) {
          io.err(`tributary: ${error.message}\n`)
          throw new CliExit(78)
        }
        throw error
      }
    })
  return program
}

/**
 * Runs `tributary <args>` and answers its exit code: 0, 2 for arguments it refuses, 78 for an
 * invalid configuration, 1 for anything else that failed (written to `io.err`).
 */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync(args, { from: 'user' })
    return 0
  } catch (error) {
    if (error instanceof CliExit) return error.code
    // --help and --version end with 0; a refused option or argument has been explained already.
    if (error instanceof CommanderError) return error.exitCode
    io.err(`tributary: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}
