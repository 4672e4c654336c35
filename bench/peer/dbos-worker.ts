/**
 * A process of the peer: DBOS Transact running the execution workflow from the queue the bench
 * filled (bench/peer/dbos-peer.ts), until it is killed. Configured by the environment:
 * PEER_DATABASE_URL (the peer's database: DBOS's system tables and the execution's own).
 */
import { DBOS } from '@dbos-inc/dbos-sdk'
import { openDatabase } from '../../src/store/database.ts'
import { PEER_APPLICATION, PEER_SERIALIZER, PEER_STARTED, PEER_VERSION, POOL_SIZE, registerPeerWorkflow } from './peer-workflow.ts'

const databaseUrl = process.env.PEER_DATABASE_URL
if (!databaseUrl) throw new Error('PEER_DATABASE_URL is not set')
// The execution's own writes go through the pool Tributary uses (prepared statements, one write per query).
const db = await openDatabase({ databaseUrl, dataDir: ':memory:' }, { poolSize: POOL_SIZE })
registerPeerWorkflow(db.pool)
DBOS.setConfig({ name: PEER_APPLICATION, systemDatabaseUrl: databaseUrl, systemDatabasePoolSize: POOL_SIZE, applicationVersion: PEER_VERSION, serializer: PEER_SERIALIZER, logLevel: 'warn' })
await DBOS.launch()
console.log(PEER_STARTED)
