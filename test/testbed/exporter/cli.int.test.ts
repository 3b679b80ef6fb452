// The exporter CLI as a user runs it: `npm run exporter` is `slurmbench exporter`.

import { spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { request } from 'undici'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const tsx = [fileURLToPath(new URL('../../../bin/slurmbench.js', import.meta.url)), 'exporter']

describe('exporter CLI', () => {
  it('prints --help and exits 0', () => {
    const result = spawnSync(process.execPath, [...tsx, '--help'], { cwd: root, encoding: 'utf8' })
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('--slurm-url URL')
    expect(result.stdout).toContain('--collection-mode MODE')
    for (const flag of ['--token-file FILE', '--jwt-key-file FILE', '--jwt-user NAME', '--jwt-lifespan D', '--cache-ttl D'])
      expect(result.stdout).toContain(flag)
  })

  it('exits 2 before starting anything when the JWT key or token file cannot be read', () => {
    for (const [flag, file] of [
      ['--jwt-key-file', '/nonexistent/jwt_hs256.key'],
      ['--token-file', '/nonexistent/token'],
    ] as const) {
      const result = spawnSync(process.execPath, [...tsx, flag, file], { cwd: root, encoding: 'utf8' })
      expect(result.status).toBe(2)
      expect(result.stderr.trim().split('\n')).toEqual([`exporter: ${flag} ${file}: cannot read it (ENOENT)`])
    }
  })

  it('rejects a bad flag with one line on stderr and exit 2', () => {
    const result = spawnSync(process.execPath, [...tsx, '--port', 'http'], { cwd: root, encoding: 'utf8' })
    expect(result.status).toBe(2)
    expect(result.stderr.trim().split('\n')).toEqual(['exporter: --port: found "http", expected an integer from 0 to 65535'])
    const mode = spawnSync(process.execPath, [...tsx, '--collection-mode', 'sometimes'], { cwd: root, encoding: 'utf8' })
    expect(mode.status).toBe(2)
    expect(mode.stderr.trim().split('\n')).toEqual(['exporter: --collection-mode: found "sometimes", expected one of auto, on-demand, background'])
  })

  it('rejects a bad --allow pattern with exit 2 before starting the embedded mock, quoting it as written', () => {
    const result = spawnSync(process.execPath, [...tsx, '--allow', '('], { cwd: root, encoding: 'utf8' })
    expect(result.status).toBe(2)
    const lines = result.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^exporter: --allow: invalid pattern "\(" for re2: /)
    expect(result.stderr).not.toContain('^(?:')
    expect(result.stderr).not.toContain('embedded mock')
  })

  it('runs with no setup against its embedded mock, serves /metrics, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [...tsx, '--port', '0', '--mock-preset', 'tiny'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] })
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stderr = ''
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString()
          const match = /serving (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(stderr)
          if (match) resolve(match[1]!)
        })
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)))
      })
      const text = await (await request(`${url}/metrics`)).body.text()
      expect(text).toMatch(/^slurm_cluster_nodes 16$/m)
      expect(text).toMatch(/^slurm_exporter_collector_up\{collector="jobs"\} 1$/m)
      // The default auto mode stays on demand for a tiny cluster.
      expect(text).toMatch(/^slurm_exporter_collection_mode\{mode="on-demand"\} 1$/m)
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })
})
