/** Command is what each file in harness/cli exports as `command`. */
export interface Command {
  /** One line for the command list. */
  readonly summary: string
  /** Runs the command with the arguments after its name; resolves to the process exit code. */
  run(argv: readonly string[]): Promise<number>
}

/** Exit codes shared by every command (Go's go test uses 1 for failure and 2 for usage). */
export const EXIT_OK = 0
/** A benchmark failed, a regression was found, or a load test failed its thresholds. */
export const EXIT_FAILED = 1
/** Bad flags, bad input files: nothing was judged. */
export const EXIT_USAGE = 2
