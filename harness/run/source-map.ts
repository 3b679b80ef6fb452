// Source-mapping stack traces on demand. Workers start without node's --enable-source-maps: with
// it, Node decodes the bundle's whole inline source map while loading it (measured: 220 ms of CPU
// per worker start with the flag, 130 ms without, on the 2-core test machine under load), though
// only a failing benchmark's stack or a b.log call site ever needs it. Those map their frames here.
import { createRequire, SourceMap } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'

// node:fs is required when a stack is mapped, not imported: an ESM import of node:fs builds its
// module facade, which loads Node's streams (~10 ms of every worker start).
const requireBuiltin = createRequire(import.meta.url)

const INLINE_MAP_PREFIX = '//# sourceMappingURL=data:application/json;'
const BASE64_MARKER = 'base64,'

// One decoded map (or none) per generated file; a worker maps at most a few stacks.
const maps = new Map<string, SourceMap | undefined>()

// fileUrl turns a stack frame's location (a file URL or an absolute path) into a file URL.
function fileUrl(location: string): URL {
  return location.startsWith('file://') ? new URL(location) : pathToFileURL(location)
}

function inlineMap(location: string): SourceMap | undefined {
  if (maps.has(location)) return maps.get(location)
  let map: SourceMap | undefined
  try {
    const { readFileSync } = requireBuiltin('node:fs') as typeof import('node:fs')
    const text = readFileSync(fileUrl(location), 'utf8')
    const at = text.lastIndexOf(INLINE_MAP_PREFIX)
    const data = at === -1 ? -1 : text.indexOf(BASE64_MARKER, at)
    if (data !== -1) {
      const payload = JSON.parse(Buffer.from(text.slice(data + BASE64_MARKER.length).trim(), 'base64').toString('utf8')) as {
        sources?: string[]
        sourceRoot?: string
      }
      // Sources are relative to the generated file, as Node resolves them with --enable-source-maps.
      const base = new URL(payload.sourceRoot ?? '', fileUrl(location))
      payload.sources = (payload.sources ?? []).map((source) => new URL(source, base).href)
      map = new SourceMap(payload as ConstructorParameters<typeof SourceMap>[0])
    }
  } catch {
    map = undefined // not a file, unreadable or a malformed map: the frame stays as V8 wrote it
  }
  maps.set(location, map)
  return map
}

// `    at fn (/path/file.mjs:12:34)` or `    at /path/file.mjs:12:34` (absolute paths and file URLs only).
const FRAME = /^(\s+at (?:.*\()?)((?:file:\/\/|\/|[A-Za-z]:\\)[^()]*?):(\d+):(\d+)(\)?)$/

/** sourceMapFrame rewrites one stack line to the original source position when its file carries an inline source map. */
export function sourceMapFrame(line: string): string {
  const frame = FRAME.exec(line)
  if (frame === null) return line
  const [, prefix, location, lineText, columnText, close] = frame as unknown as [string, string, string, string, string, string]
  const map = inlineMap(location)
  if (map === undefined) return line
  const entry = map.findEntry(Number(lineText) - 1, Number(columnText) - 1) as Partial<{ originalSource: string; originalLine: number; originalColumn: number }>
  if (entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) return line
  const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : entry.originalSource
  return `${prefix}${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}${close}`
}

/** sourceMapStack rewrites every frame of `stack` whose file carries an inline source map, as node --enable-source-maps would. */
export function sourceMapStack(stack: string): string {
  return stack.split('\n').map(sourceMapFrame).join('\n')
}
