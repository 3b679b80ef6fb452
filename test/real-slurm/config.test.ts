import { describe, expect, test } from 'vitest'
import { CGROUP_CONF, HOSTS, slurmConf } from '../../testbed/real-slurm/config.ts'

describe('configuration files', () => {
  const conf = slurmConf({ slurmctld: 40001, slurmd: 40002, slurmrestd: 40003, closed: 40004 })

  test('slurm.conf uses the run ports, and nodes without slurmd point at the closed port', () => {
    expect(conf).toContain('SlurmctldPort=40001\n')
    expect(conf).toContain('SlurmdPort=40002\n')
    expect(conf).toMatch(/^NodeName=cloud\[1-4\] NodeAddr=127\.0\.0\.1 Port=40004 .*State=CLOUD$/m)
    expect(conf).toMatch(/^NodeName=far\[1-3\] NodeAddr=127\.0\.0\.1 Port=40004 /m)
    expect(conf).not.toContain('40003')
  })

  test('no cgroups, no accounting, JWT as the alternative authentication', () => {
    expect(conf).toContain('ProctrackType=proctrack/linuxproc\n')
    expect(conf).toContain('TaskPlugin=task/none\n')
    expect(conf).toContain('AuthAltTypes=auth/jwt\nAuthAltParameters=jwt_key=/etc/slurm/jwt_hs256.key\n')
    expect(conf).not.toMatch(/^AccountingStorageType=/m)
    expect(CGROUP_CONF).toBe('CgroupPlugin=disabled\n')
  })

  test('/etc/hosts resolves localhost (a minbase root has none)', () => {
    expect(HOSTS).toMatch(/^127\.0\.0\.1\tlocalhost$/m)
  })
})
