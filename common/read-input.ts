// Reading a file a user named: when it cannot be read, an InputError that names it and says why
// (the errno code, e.g. ENOENT), so the CLI prints one line instead of a stack.
import { readFile } from 'node:fs/promises'
import { InputError } from './input-error.ts'

/** cannotRead is the InputError `<label>: cannot read[ <what>] (<code>)[<ifMissing>]` for a read that failed with `err`. */
export function cannotRead(label: string, err: unknown, what?: string, ifMissing = ''): InputError {
  const code = (err as NodeJS.ErrnoException).code
  return new InputError(`${label}: cannot read${what === undefined ? '' : ` ${what}`} (${code ?? (err as Error).message})${code === 'ENOENT' ? ifMissing : ''}`)
}

/** ReadInputOptions words the error of readInputText. */
export interface ReadInputOptions {
  /** What the file is ("policy", "scenario"); said after "cannot read". */
  readonly what?: string
  /** How the file is named in the error (default its path), e.g. `--config <path>`. */
  readonly label?: string
  /** Appended when the file does not exist: what to do instead. */
  readonly ifMissing?: string
}

/** readInputText reads the file at `path` as UTF-8, or throws cannotRead's InputError. */
export async function readInputText(path: string, options: ReadInputOptions = {}): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    throw cannotRead(options.label ?? path, err, options.what, options.ifMissing)
  }
}
