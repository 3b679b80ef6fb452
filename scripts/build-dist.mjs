#!/usr/bin/env node
// build-dist.mjs: compiles the package for installing elsewhere (`npm run build`, and `npm pack`
// through prepack): JavaScript and .d.ts files in dist/ mirroring the source folders, plus what
// tsc does not emit: the plain JavaScript modules of common/ (build-cache.mjs, which testbed/rig
// imports) and the data files the code finds next to itself at run time (the load scenarios and
// SLA thresholds, which harness/load reads from ../../benchmarks/load/).
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const DIST = join(ROOT, 'dist')
const SCENARIOS = join('benchmarks', 'load')

rmSync(DIST, { recursive: true, force: true })
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' })
mkdirSync(join(DIST, 'common'), { recursive: true })
for (const name of readdirSync(join(ROOT, 'common'))) {
  if (name.endsWith('.mjs') || name.endsWith('.d.mts')) cpSync(join(ROOT, 'common', name), join(DIST, 'common', name))
}
mkdirSync(join(DIST, SCENARIOS), { recursive: true })
for (const name of readdirSync(join(ROOT, SCENARIOS))) {
  if (name.endsWith('.json')) cpSync(join(ROOT, SCENARIOS, name), join(DIST, SCENARIOS, name))
}
