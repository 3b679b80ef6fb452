// The serializer schemas checked in beside the specs are what extract.ts makes of the vendored
// specs today: a spec updated without running extract.ts fails here.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { specDocument } from '../../../testbed/mock-slurm/openapi/extract.ts'
import { SERIALIZER_SPECS } from '../../../testbed/mock-slurm/openapi/specs.ts'
import { SUPPORTED_VERSIONS } from '../../../testbed/mock-slurm/versions.ts'
import { SKIP_FIXTURE_TESTS, SPECS_DIR } from './fixtures.ts'

describe.skipIf(SKIP_FIXTURE_TESTS)('openapi/extract.ts', () => {
  for (const version of SUPPORTED_VERSIONS) {
    it(`${version}: the checked-in serializer schemas are up to date`, () => {
      const spec = JSON.parse(readFileSync(join(SPECS_DIR, `${version}.json`), 'utf8'))
      expect(specDocument(version, spec)).toEqual(SERIALIZER_SPECS[version])
    })
  }
})
