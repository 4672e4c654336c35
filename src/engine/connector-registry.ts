import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { ConnectorContractError, defineConnector, type ConnectorDefinition } from '../connectors/sdk/index.ts'
import type { ConnectorTraits } from '../domain/auto-sync.ts'

/** What the lifecycle rules need to know of a connector. */
export function connectorTraits(connector: ConnectorDefinition): ConnectorTraits {
  return { hasOneStepMfa: connector.credentials.some((f) => f.mfa), hasMFA: connector.hasMFA, trustsDevice: Boolean(connector.trustsDevice), oauth: Boolean(connector.oauth) }
}

/** The connectors this engine runs, by id. */
export class ConnectorRegistry {
  private readonly byId = new Map<number, ConnectorDefinition>()

  constructor(connectors: readonly ConnectorDefinition[]) {
    for (const connector of connectors) {
      if (this.byId.has(connector.id)) {
        throw new ConnectorContractError(`${connector.name} (id ${connector.id})`, `id ${connector.id} is already used by ${this.byId.get(connector.id)?.name}`)
      }
      this.byId.set(connector.id, connector)
    }
  }

  get(id: number): ConnectorDefinition | undefined {
    return this.byId.get(id)
  }

  list(): ConnectorDefinition[] {
    return [...this.byId.values()].sort((a, b) => a.id - b.id)
  }
}

/**
 * Loads connectors from module paths (`TRIBUTARY_CONNECTORS`): each module default-exports a
 * connector or an array of connectors made with `defineConnector`.
 */
export async function loadConnectorModules(modulePaths: readonly string[]): Promise<ConnectorDefinition[]> {
  const loaded: ConnectorDefinition[] = []
  for (const modulePath of modulePaths) {
    const url = modulePath.startsWith('.') || path.isAbsolute(modulePath) ? pathToFileURL(path.resolve(modulePath)).href : modulePath
    let exported: unknown
    try {
      exported = (await import(url)).default
    } catch (error) {
      throw new ConnectorContractError(modulePath, `could not be loaded: ${(error as Error).message}`)
    }
    const definitions = Array.isArray(exported) ? exported : [exported]
    if (definitions.length === 0 || definitions.some((d) => typeof d !== 'object' || d === null)) {
      throw new ConnectorContractError(modulePath, 'must default-export a connector made with defineConnector, or an array of them')
    }
    loaded.push(...definitions.map((d) => defineConnector(d as ConnectorDefinition)))
  }
  return loaded
}
