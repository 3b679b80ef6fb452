// The registry of collectors by name.

import type { Collector, CollectorName } from '../collector.ts'
import { diagCollector } from './diag.ts'
import { jobsCollector } from './jobs.ts'
import { licensesCollector } from './licenses.ts'
import { nodesCollector } from './nodes.ts'
import { partitionsCollector } from './partitions.ts'
import { reservationsCollector } from './reservations.ts'
import { sharesCollector } from './shares.ts'

/** COLLECTORS maps each collector name to its implementation. */
export const COLLECTORS: Readonly<Record<CollectorName, Collector>> = {
  nodes: nodesCollector,
  jobs: jobsCollector,
  partitions: partitionsCollector,
  diag: diagCollector,
  shares: sharesCollector,
  licenses: licensesCollector,
  reservations: reservationsCollector,
}
