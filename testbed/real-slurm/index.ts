// A real Slurm 24.11 with slurmrestd on 127.0.0.1, in a cached Debian 13 chroot:
// `startRealSlurm() → { url, token, keyFile, root, stop, … }`, and the mock-vs-real contract differ.
export {
  BringUpError,
  DAEMONS,
  type Daemon,
  daemonLog,
  mintSlurmToken,
  type RealSlurm,
  type RealSlurmInfo,
  type RealSlurmOptions,
  slurmCommand,
  slurmOutput,
  startDaemon,
  startRealSlurm,
  stopDaemon,
  type TeardownReport,
} from './cluster.ts'
export { CLUSTER_NAME, JWT_KEY_PATH, REAL_NODE, RESERVATION_NAME } from './config.ts'
export { CONTRACT_VERSIONS, type ContractCase, contractCases } from './contract-cases.ts'
export { type AllowEntry, type Answer, type Difference, diffAnswers, judge } from './contract-diff.ts'
export { cacheDir, missingPrerequisites, SLURM_PACKAGES } from './root.ts'
