/**
 * InputError is a user's bad file or value: the CLI prints its one-line message (which names the
 * file and line or JSON path, what was found and what was expected) and exits 2, never a stack.
 */
export class InputError extends Error {
  override readonly name = 'InputError'
}
