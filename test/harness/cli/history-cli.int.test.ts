// The history command's folder flag: -dir, or -history as nightly and report html spell it.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { runCli } from '../../support/cli.ts'
import { resultsDoc } from '../../support/results.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slurmbench-history-cli-'))
  const results = join(dir, 'results.json')
  await writeFile(results, JSON.stringify(resultsDoc({ BenchmarkParse: [100, 101, 99] })))
  const added = runCli(['history', 'add', '-history', join(dir, 'h'), results])
  expect(added.code, added.stderr).toBe(0)
  // Enough series that `history show` prints more than a pipe holds (~300 KB).
  const many = join(dir, 'many.json')
  await writeFile(many, JSON.stringify(resultsDoc(Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`BenchmarkParse/case=${i}`, [100, 101, 99]])))))
  const addedMany = runCli(['history', 'add', '-history', join(dir, 'many'), many])
  expect(addedMany.code, addedMany.stderr).toBe(0)
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

it('reads the folder named by -history as by -dir', () => {
  const byHistory = runCli(['history', 'show', '-history', join(dir, 'h')])
  const byDir = runCli(['history', 'show', '-dir', join(dir, 'h')])
  expect(byHistory.code, byHistory.stderr).toBe(0)
  expect(byHistory.stdout).toContain('Parse')
  expect(byHistory.stdout).toBe(byDir.stdout)
})

it('refuses -dir and -history naming two folders, and writes nothing', () => {
  const r = runCli(['history', 'add', '-dir', join(dir, 'a'), '-history', join(dir, 'b'), join(dir, 'results.json')])
  expect(r.code).toBe(2)
  expect(r.stderr).toContain(`-dir ${join(dir, 'a')} and -history ${join(dir, 'b')} name two folders`)
  expect(existsSync(join(dir, 'a')) || existsSync(join(dir, 'b'))).toBe(false)
})

it('stops quietly when the reader closes the pipe early (| head)', () => {
  const cli = join(import.meta.dirname, '..', '..', '..', 'bin', 'slurmbench.js')
  const r = spawnSync(
    'bash',
    ['-c', `"${process.execPath}" "${cli}" history show -history "${join(dir, 'many')}" | head -c 1 >/dev/null; echo "status \${PIPESTATUS[0]}"`],
    {
      encoding: 'utf8',
    },
  )
  expect(r.stderr).not.toContain('EPIPE')
  expect(r.stdout.trim()).toBe('status 141')
})
