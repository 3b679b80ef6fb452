// Frames of a profile taken in a bundled worker point into the bundle; a reader wants the
// benchmark's .ts line. sourceFrameMapper maps them through the bundle's inline source map, the
// one esbuild writes (harness/run/bundle.ts), as harness/run/source-map.ts does for stacks.
import { readFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { FrameMapper, SourcePosition, V8CallFrame } from '../../common/v8-pprof.ts'

const INLINE_MAP_PREFIX = '//# sourceMappingURL=data:application/json;'
const BASE64_MARKER = 'base64,'

interface ScriptMap {
  /** lines of the generated script, to find where a line's code starts. */
  lines: string[]
  map: SourceMap | undefined
}

/** pathOfUrl turns a frame's url (file URL or path) into a path; other urls (node:internal) stay. */
export function pathOfUrl(url: string): string {
  return url.startsWith('file://') ? fileURLToPath(url) : url
}

function loadScript(url: string): ScriptMap | undefined {
  if (!(url.startsWith('file://') || url.startsWith('/'))) return undefined
  let text: string
  try {
    text = readFileSync(url.startsWith('file://') ? new URL(url) : url, 'utf8')
  } catch {
    return undefined
  }
  const lines = text.split('\n')
  const at = text.lastIndexOf(INLINE_MAP_PREFIX)
  const data = at === -1 ? -1 : text.indexOf(BASE64_MARKER, at)
  if (data === -1) return { lines, map: undefined }
  try {
    const payload = JSON.parse(Buffer.from(text.slice(data + BASE64_MARKER.length).trim(), 'base64').toString('utf8')) as {
      sources?: string[]
      sourceRoot?: string
      sourcesContent?: Array<string | null>
    }
    // Sources are relative to the generated file, as Node resolves them with --enable-source-maps.
    const base = new URL(payload.sourceRoot ?? '', url.startsWith('file://') ? url : pathToFileURL(url))
    payload.sources = (payload.sources ?? []).map((source) => new URL(source, base).href)
    // The sources as bundled: their declarations, whatever the files on disk say now.
    payload.sources.forEach((source, index) => {
      const content = payload.sourcesContent?.[index]
      if (typeof content === 'string') bundledSources.set(pathOfUrl(source), declarationsOf(pathOfUrl(source), content))
    })
    return { lines, map: new SourceMap(payload as ConstructorParameters<typeof SourceMap>[0]) }
  } catch {
    return { lines, map: undefined } // a malformed map: frames stay as V8 wrote them
  }
}

// `function name(` or `function name<`: declarations, the functions a benchmark calls by name.
const FUNCTION_DECLARATION = /\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)\s*[(<]/g

// Declarations of the sources embedded in the source maps loaded so far (sourcesContent).
const bundledSources = new Map<string, SourcePosition[]>()

function declarationsOf(file: string, text: string): SourcePosition[] {
  const found: SourcePosition[] = []
  text.split('\n').forEach((line, index) => {
    for (const match of line.matchAll(FUNCTION_DECLARATION)) found.push({ functionName: match[1] as string, file, line: index + 1 })
  })
  return found
}

/**
 * sourceFunctions returns a lookup of the named function declarations of a source file, for
 * CpuPprofOptions.functionsIn: from the source map's embedded sources when a mapped frame
 * loaded one, else from the file (read once). A regular expression, not a parser.
 */
export function sourceFunctions(): (file: string) => readonly SourcePosition[] {
  const byFile = new Map<string, SourcePosition[]>()
  return (file) => {
    const known = bundledSources.get(file) ?? byFile.get(file)
    if (known !== undefined) return known
    let found: SourcePosition[] = []
    try {
      found = declarationsOf(file, readFileSync(file, 'utf8'))
    } catch {
      // not a readable file (node:internal, a URL): no declarations known
    }
    byFile.set(file, found)
    return found
  }
}

/**
 * sourceFrameMapper returns a FrameMapper that maps frames of scripts carrying an inline source
 * map to their original file and line, and gives every other frame its own path and line.
 */
export function sourceFrameMapper(): FrameMapper {
  const scripts = new Map<string, ScriptMap | undefined>()
  return (frame: V8CallFrame, line0: number, column0: number | undefined): SourcePosition => {
    const own: SourcePosition = { functionName: frame.functionName, file: pathOfUrl(frame.url), line: line0 + 1 }
    if (frame.url === '') return own
    if (!scripts.has(frame.url)) scripts.set(frame.url, loadScript(frame.url))
    const script = scripts.get(frame.url)
    if (script?.map === undefined) return own
    // A position tick knows only the line: look up where that line's code starts, since a
    // lookup at column 0 of an indented line would find the previous line's last mapping.
    const column = column0 ?? Math.max(0, (script.lines[line0] ?? '').search(/\S/))
    const entry = script.map.findEntry(line0, column) as Partial<{ originalSource: string; originalLine: number }>
    if (entry.originalSource === undefined || entry.originalLine === undefined) return own
    return { functionName: frame.functionName, file: pathOfUrl(entry.originalSource), line: entry.originalLine + 1 }
  }
}
