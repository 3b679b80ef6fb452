// The TypeScript settings of a user's project, for the ship tests that type-check what we ship as
// its users would: strict, ES2022, Node's module resolution, no output.
import ts from 'typescript'

/** USER_COMPILER_OPTIONS are a user project's compiler options; each test adds its library checks and types. */
export const USER_COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
}
