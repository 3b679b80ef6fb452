// A results document kept from a run that did not finish (a baseline update stopped by its
// timeout or Ctrl-C, an ab run whose rounds could not be judged) says so in its settings, so the
// commands that record results for later (baseline, history add, push) refuse it by name.
import type { ResultsDocument } from './schema.ts'

/** PartialRun records why a document holds less than the run meant to produce. */
export interface PartialRun {
  readonly roundsDone: number
  /** Rounds the run planned, when it knew. */
  readonly roundsPlanned?: number
  readonly reason: string
}

/** markPartial returns `doc` marked as kept from an unfinished run, with `note` as its first warning. */
export function markPartial(doc: ResultsDocument, partial: PartialRun, note: string): ResultsDocument {
  return {
    ...doc,
    config: { ...doc.config, settings: { ...doc.config.settings, partial } },
    warnings: [note, ...doc.warnings],
  }
}

/** isPartial says whether a results document was kept from an unfinished run. */
export function isPartial(doc: ResultsDocument): boolean {
  return doc.config.settings?.partial !== undefined
}

/** partialNote is the document's first warning, which says why it is partial. */
export function partialNote(doc: ResultsDocument): string {
  return doc.warnings[0] ?? 'an unfinished run'
}
