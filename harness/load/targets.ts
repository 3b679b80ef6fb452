// The embedded targets: the mock slurmrestd and the reference exporter, each in its own child
// process (testbed/rig/child-process.ts) so they do not share the generator's event loop
// and so the target's memory (/proc/<pid>/status) is its own. This is the one file of
// harness/load that imports the testbed.
import { DEFAULT_JWT_KEY, mintToken, PRESETS, SUPPORTED_VERSIONS, spawnChildServer, type ChildServer, type PresetName } from '../../testbed/index.ts'
import { InputError } from '../../common/input-error.ts'

/** EXPORTER_PATH is where an exporter serves its metrics. */
export const EXPORTER_PATH = '/metrics'
/** TOKEN_LIFESPAN_SEC outlives the longest scenario (endurance, 60 min) with room to spare. */
const TOKEN_LIFESPAN_SEC = 24 * 3600
const SLURM_USER = 'root'

/** EmbeddedOptions says what to start. */
export interface EmbeddedOptions {
  /** Load the mock slurmrestd itself instead of the exporter. */
  readonly slurm: boolean
  readonly preset: string
  /** Node count; overrides the preset's. */
  readonly nodes: number | undefined
  /** The mock's fault defaults (`key=value;…`, see testbed/mock-slurm/faults.ts); `none` for none. */
  readonly mockFaults: string
  /** Exporter's cache TTL for collections (undefined: the exporter's default, 5 s; 0: every scrape collects). */
  readonly exporterCacheTtlMs: number | undefined
}

/** EmbeddedTargets are the started servers and what to load. */
export interface EmbeddedTargets {
  /** Base URL of the server under load. */
  readonly url: string
  /** Path loaded when the scenario and flags name none. */
  readonly defaultPath: string
  /** Headers each request needs (the mock's JWT when it is loaded directly). */
  readonly headers: Readonly<Record<string, string>>
  /** Process whose memory is measured. */
  readonly pid: number
  /** Cluster size, for picking the SLA profile. */
  readonly nodes: number
  readonly description: string
  close(): Promise<void>
}

/** presetNodes is the node count of a cluster preset, or undefined for an unknown name. */
export function presetNodes(preset: string): number | undefined {
  return Object.hasOwn(PRESETS, preset) ? PRESETS[preset as PresetName].nodes : undefined
}

/** PING_PATH is the mock's cheapest endpoint, the default for --slurm. */
export const PING_PATH = `/slurm/${SUPPORTED_VERSIONS[SUPPORTED_VERSIONS.length - 1]}/ping`

/** startEmbeddedTargets starts the mock (and the exporter unless `slurm`) in child processes. */
export async function startEmbeddedTargets(options: EmbeddedOptions): Promise<EmbeddedTargets> {
  if (!Object.hasOwn(PRESETS, options.preset))
    throw new InputError(`--preset: unknown cluster preset "${options.preset}"; expected one of ${Object.keys(PRESETS).join(', ')}`)
  const preset = PRESETS[options.preset as PresetName]
  const nodes = options.nodes ?? preset.nodes
  const faults = options.mockFaults === 'none' ? '' : options.mockFaults
  const mockOptions = { preset: options.preset, ...(options.nodes === undefined ? {} : { nodes: options.nodes }), faults, logLevel: 'error' }
  const started: ChildServer[] = []
  const closeAll = async (): Promise<void> => {
    for (const server of started.reverse()) await server.close().catch(() => undefined)
  }
  try {
    const mock = await spawnChildServer({ kind: 'mock', options: mockOptions })
    started.push(mock)
    const token = mintToken(DEFAULT_JWT_KEY, SLURM_USER, TOKEN_LIFESPAN_SEC)
    const slurmHeaders = { 'X-SLURM-USER-NAME': SLURM_USER, 'X-SLURM-USER-TOKEN': token }
    const mockText = `mock slurmrestd (${nodes} nodes, faults: ${faults === '' ? 'none' : faults})`
    if (options.slurm) {
      return { url: mock.url, defaultPath: PING_PATH, headers: slurmHeaders, pid: mock.pid, nodes, description: mockText, close: closeAll }
    }
    const exporter = await spawnChildServer({
      kind: 'exporter',
      options: {
        slurmUrl: mock.url,
        auth: { kind: 'user-token', user: SLURM_USER, token },
        ...(options.exporterCacheTtlMs === undefined ? {} : { cacheTtlMs: options.exporterCacheTtlMs }),
      },
    })
    started.push(exporter)
    return {
      url: exporter.url,
      defaultPath: EXPORTER_PATH,
      // As Prometheus scrapes: it always asks for gzip (scrape.go's acceptEncodingHeader).
      headers: { 'accept-encoding': 'gzip' },
      pid: exporter.pid,
      nodes,
      description: `reference exporter ← ${mockText}`,
      close: closeAll,
    }
  } catch (err) {
    await closeAll()
    throw err
  }
}
