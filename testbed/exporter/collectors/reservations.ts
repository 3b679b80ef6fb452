// Reservations: nodes and cores held, time window, and whether each is active now.

import type { CollectContext, Collector } from '../collector.ts'
import type { SeriesSink } from '../series-policy.ts'
import { listOf, noVal } from '../slurm-values.ts'

/** SlurmReservation is the part of slurmrestd's `reservation_info` the exporter reads. */
export interface SlurmReservation {
  readonly name?: string
  readonly partition?: string
  readonly node_count?: number
  readonly core_count?: number
  readonly start_time?: unknown
  readonly end_time?: unknown
}

/** writeReservations writes the reservation families; `nowS` decides which are active. */
export function writeReservations(reservations: readonly SlurmReservation[], nowS: number, sink: SeriesSink): void {
  const info = sink.family('slurm_reservation_info', 'One series per reservation (value is always 1).', 'gauge', ['reservation', 'partition'])
  const nodes = sink.family('slurm_reservation_nodes', 'Nodes in the reservation.', 'gauge', ['reservation'])
  const cores = sink.family('slurm_reservation_cores', 'Cores in the reservation.', 'gauge', ['reservation'])
  const start = sink.family('slurm_reservation_start_time_seconds', 'Start of the reservation, seconds since the epoch.', 'gauge', ['reservation'])
  const end = sink.family('slurm_reservation_end_time_seconds', 'End of the reservation, seconds since the epoch.', 'gauge', ['reservation'])
  const active = sink.family('slurm_reservation_active', 'Whether the reservation is active now (1) or not (0).', 'gauge', ['reservation'])
  for (const r of reservations) {
    const name = r.name ?? ''
    info?.add([name, r.partition ?? ''], 1)
    if (r.node_count !== undefined) nodes?.add([name], r.node_count)
    if (r.core_count !== undefined) cores?.add([name], r.core_count)
    const startS = noVal(r.start_time)
    const endS = noVal(r.end_time)
    if (startS !== undefined) start?.add([name], startS)
    if (endS !== undefined) end?.add([name], endS)
    active?.add([name], startS !== undefined && startS <= nowS && (endS === undefined || nowS < endS) ? 1 : 0)
  }
}

/** reservationsCollector reads GET /slurm/<version>/reservations. */
export const reservationsCollector: Collector = {
  name: 'reservations',
  async collect({ client, signal, sink, nowS }: CollectContext): Promise<void> {
    const path = client.slurmPath('reservations')
    writeReservations(listOf<SlurmReservation>(await client.getJson(path, signal), 'reservations', path), nowS, sink)
  },
}
