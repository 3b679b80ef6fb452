// Mock vs real as a contract: for every endpoint the exporter reads and every error case, the
// mock's status, media type, key paths and JSON types equal the live slurmrestd 24.11's, for
// v0.0.40–v0.0.42. Differences that remain are listed with a reason in contract-allow.json; an
// unlisted difference fails, and so does an entry that no longer excuses anything.
// UPDATE_RECORDED=1 (or UPDATE_GOLDEN=1) rewrites recorded/ with the real answers, which the
// mock's own unit tests read; otherwise the live answers are checked against the recording.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { DEFAULT_JWT_KEY, mintToken, type MockSlurm, startMockSlurm } from '../../testbed/mock-slurm/index.ts'
import { CONTRACT_VERSIONS, type ContractCase, contractCases, discoverSubjects, fetchAnswer, type Tokens } from '../../testbed/real-slurm/contract-cases.ts'
import { type Answer, type CaseDifference, diffAnswers, formatDifference, judge, mediaType, parseAllowList } from '../../testbed/real-slurm/contract-diff.ts'
import { realSlurm } from './real-slurm.ts'

const { info, skipReason } = realSlurm()
const HERE = 'test/real-slurm'
const ALLOW_FILE = join(HERE, 'contract-allow.json')
const RECORDED_DIR = join(HERE, 'recorded')
const UPDATE = process.env.UPDATE_RECORDED === '1' || process.env.UPDATE_GOLDEN === '1'

/** RecordedAnswer is one real answer as stored in recorded/<version>/<case>.json (the body beside it). */
interface RecordedAnswer {
  request: {
    method: 'GET'
    path: string
    credentials: ContractCase['credentials']
  }
  status: number
  contentType: string
  bodyFile: string
  slurm: string
}

function nowSec(): number {
  return Math.floor(Date.now() / 1000)
}

// Tokens for a server with HS256 `key`: valid (given), signed with another key, and expired a minute ago.
function tokensFor(key: string | Buffer, valid: string): Tokens {
  return {
    valid,
    badSignature: mintToken(randomBytes(32), 'root', 3_600),
    expired: mintToken(key, 'root', 60, nowSec() - 120),
  }
}

function bodyFileName(name: string, answer: Answer): string {
  return `${name}.body.${mediaType(answer.contentType) === 'application/json' ? 'json' : 'txt'}`
}

describe.skipIf(info === undefined)('mock vs real slurmrestd 24.11: the contract', () => {
  let mock: MockSlurm
  const real = new Map<string, Answer>()
  const fromMock = new Map<string, Answer>()
  const cases = new Map<string, ContractCase[]>()

  beforeAll(async () => {
    if (info === undefined) return
    // The mock posing as the real daemon's release: 24.11's versions and wording, and no slurmdbd or
    // licenses beyond what the real cluster has.
    mock = await startMockSlurm({
      slurm: '24.11',
      accounting: false,
      licenses: false,
      preset: 'tiny',
      logLevel: 'error',
      log: () => {},
    })
    const realTokens = tokensFor(readFileSync(info.keyFile), info.token)
    const mockTokens = tokensFor(DEFAULT_JWT_KEY, mock.token('root'))
    const now = nowSec()
    // Names are the same in every version: find them once, through the newest version both serve.
    const realSubjects = await discoverSubjects(info.url, 'v0.0.42', info.token)
    const mockSubjects = await discoverSubjects(mock.url, 'v0.0.42', mockTokens.valid)
    for (const version of CONTRACT_VERSIONS) {
      const realCases = contractCases(version, realSubjects, now)
      const mockCases = contractCases(version, mockSubjects, now)
      cases.set(version, realCases)
      for (const [i, c] of realCases.entries()) {
        real.set(`${version} ${c.name}`, await fetchAnswer(info.url, c, realTokens))
        fromMock.set(`${version} ${c.name}`, await fetchAnswer(mock.url, mockCases[i] as ContractCase, mockTokens))
      }
    }
  }, 120_000)
  afterAll(async () => {
    await mock?.close()
  })

  test('every difference from the real daemon is fixed or allowed with a reason, and no allowance is stale', () => {
    const allow = parseAllowList(readFileSync(ALLOW_FILE, 'utf8'), ALLOW_FILE)
    const differences: CaseDifference[] = []
    for (const [version, list] of cases) {
      for (const c of list) {
        const key = `${version} ${c.name}`
        for (const d of diffAnswers(real.get(key) as Answer, fromMock.get(key) as Answer)) differences.push({ ...d, version, case: c.name })
      }
    }
    const verdict = judge(differences, allow)
    const report = [
      `contract: ${[...cases.values()].reduce((n, l) => n + l.length, 0)} cases over ${CONTRACT_VERSIONS.join(', ')}: ${differences.length} differences, ${verdict.allowed.length} allowed, ${verdict.unlisted.length} unlisted, ${verdict.stale.length} stale allowances`,
      ...verdict.unlisted.map((d) => `  UNLISTED ${formatDifference(d)}`),
      ...verdict.stale.map((e) => `  STALE ${e.version} ${e.case} ${e.kind} ${e.path} (${e.reason})`),
    ].join('\n')
    process.stdout.write(`${report}\n`)
    expect(verdict.unlisted.map(formatDifference), report).toEqual([])
    expect(verdict.stale, report).toEqual([])
  })

  test('the real answers match their recording (UPDATE_RECORDED=1 rewrites it)', () => {
    const slurm = /slurm-client\s+(\S+)/.exec((info as { packages: string }).packages)?.[1] ?? 'unknown'
    const drift: string[] = []
    for (const [version, list] of cases) {
      const dir = join(RECORDED_DIR, version)
      if (UPDATE) {
        rmSync(dir, { recursive: true, force: true })
        mkdirSync(dir, { recursive: true })
      }
      for (const c of list) {
        const answer = real.get(`${version} ${c.name}`) as Answer
        const metaFile = join(dir, `${c.name}.json`)
        if (UPDATE) {
          const bodyFile = bodyFileName(c.name, answer)
          const recorded: RecordedAnswer = {
            request: {
              method: 'GET',
              path: c.path,
              credentials: c.credentials,
            },
            status: answer.status,
            contentType: answer.contentType,
            bodyFile,
            slurm,
          }
          writeFileSync(metaFile, `${JSON.stringify(recorded, null, 2)}\n`)
          writeFileSync(join(dir, bodyFile), answer.body)
          continue
        }
        if (!existsSync(metaFile)) {
          drift.push(`${metaFile} is missing`)
          continue
        }
        const recorded = JSON.parse(readFileSync(metaFile, 'utf8')) as RecordedAnswer
        const stored: Answer = {
          status: recorded.status,
          contentType: recorded.contentType,
          body: readFileSync(join(dir, recorded.bodyFile), 'utf8'),
        }
        for (const d of diffAnswers(stored, answer))
          drift.push(
            formatDifference({ ...d, version, case: c.name })
              .replace('real', 'recorded')
              .replace('mock', 'live'),
          )
      }
      if (!UPDATE) {
        const names = new Set(list.map((c) => `${c.name}.json`))
        for (const file of existsSync(dir) ? readdirSync(dir) : [])
          if (file.endsWith('.json') && !file.includes('.body.') && !names.has(file)) drift.push(`${join(dir, file)} records no current case`)
      }
    }
    expect(drift, 'the recording is out of date: rerun with UPDATE_RECORDED=1 and review the diff').toEqual([])
  })
})

if (skipReason !== undefined) test.skip(`mock vs real slurmrestd: ${skipReason}`, () => {})
