// The PR gate's workflow files and action.yml: valid against GitHub's schemas
// (@action-validator/core) and wired the fork-safe way (read-only benchmark run, comment run on
// workflow_run that never runs the pull request's code and validates the artifact first).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { validateAction, validateWorkflow } from '@action-validator/core'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const ROOT = join(import.meta.dirname, '..', '..')
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8')
const BENCH = '.github/workflows/pr-benchmark.yml'
const COMMENT = '.github/workflows/pr-comment.yml'

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string>; if?: string }
// GitHub expressions and shell variables, written as the workflow files hold them.
const BASE_ARG = '--base "origin/$' + '{BASE_REF}"'
const expr = (text: string) => '$' + `{{ ${text} }}`

type Workflow = {
  name: string
  on: { workflow_run?: { workflows?: string[] } } & Record<string, unknown>
  permissions: Record<string, string>
  jobs: Record<string, { steps: Step[]; permissions?: unknown }>
}

describe('GitHub schema', () => {
  for (const path of [BENCH, COMMENT]) {
    it(`${path} is a valid workflow`, () => {
      expect(validateWorkflow(read(path)).errors).toEqual([])
    })
  }
  it('action.yml is a valid action', () => {
    expect(validateAction(read('action.yml')).errors).toEqual([])
  })
  it('the validator does catch a broken workflow', () => {
    const broken = read(BENCH).replace('runs-on: ubuntu-latest', 'runs-onn: ubuntu-latest')
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0)
  })
})

describe('fork-safe wiring', () => {
  const bench = parse(read(BENCH)) as Workflow
  const comment = parse(read(COMMENT)) as Workflow
  const benchSteps = Object.values(bench.jobs).flatMap((j) => j.steps)
  const commentSteps = Object.values(comment.jobs).flatMap((j) => j.steps)

  it('the benchmark run has a read-only token and uploads the comparison', () => {
    expect(Object.keys(bench.on)).toEqual(['pull_request'])
    expect(bench.permissions).toEqual({ contents: 'read' })
    for (const job of Object.values(bench.jobs)) expect(job.permissions).toBeUndefined()
    const ab = benchSteps.find((s) => s.run?.includes('slurmbench.js ab'))
    expect(ab?.run).toContain(BASE_ARG)
    expect(ab?.env?.BASE_REF).toBe(expr('github.base_ref'))
    const upload = benchSteps.find((s) => s.uses?.startsWith('actions/upload-artifact'))
    expect(upload?.with?.name).toBe('slurmbench-comparison')
  })

  it('the comment run follows it on workflow_run, with pull-requests: write, and never checks out the pull request', () => {
    expect(comment.on.workflow_run?.workflows).toEqual([bench.name])
    expect(comment.permissions['pull-requests']).toBe('write')
    const checkout = commentSteps.filter((s) => s.uses?.startsWith('actions/checkout'))
    expect(checkout).toHaveLength(1)
    expect(checkout[0]?.with?.ref).toBeUndefined()
    expect(read(COMMENT)).not.toMatch(/head_branch|pull_request_target/)
    const download = commentSteps.find((s) => s.uses?.startsWith('actions/download-artifact'))
    expect(download?.with?.name).toBe('slurmbench-comparison')
    expect(download?.with?.['run-id']).toBe(expr('github.event.workflow_run.id'))
  })

  it('validates the artifact before it posts, and finds the pull request by head commit', () => {
    const runs = commentSteps.map((s) => s.run ?? '')
    const validate = runs.findIndex((r) => r.includes('report --format json'))
    const post = runs.findIndex((r) => r.includes('slurmbench.js comment'))
    expect(validate).toBeGreaterThan(-1)
    expect(post).toBeGreaterThan(validate)
    expect(runs[post]).toContain('--head-sha "$HEAD_SHA"')
  })
})
