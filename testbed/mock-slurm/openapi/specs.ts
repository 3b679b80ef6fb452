// The extracted serializer schemas, imported (not read from disk) so that this module also works
// when the benchmark runner bundles it into node_modules/.cache with esbuild.
import v40 from './v0.0.40.json' with { type: 'json' }
import v41 from './v0.0.41.json' with { type: 'json' }
import v42 from './v0.0.42.json' with { type: 'json' }
import v43 from './v0.0.43.json' with { type: 'json' }
import v44 from './v0.0.44.json' with { type: 'json' }
import type { DataParserVersion } from '../versions.ts'

/** SERIALIZER_SPECS maps each served version to its extracted schema document (openapi/extract.ts). */
export const SERIALIZER_SPECS: Record<DataParserVersion, unknown> = { 'v0.0.40': v40, 'v0.0.41': v41, 'v0.0.42': v42, 'v0.0.43': v43, 'v0.0.44': v44 }
