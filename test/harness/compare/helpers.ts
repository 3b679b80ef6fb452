// Shared test helpers, kept here for the tests that import them from this file: results
// documents and running the real CLI (both in test/support).
export { resultsDoc } from '../../support/results.ts'
export { type CliResult, ROOT, runCli } from '../../support/cli.ts'
