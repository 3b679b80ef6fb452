// The configuration files of the one-machine cluster: pure text from ports and names.

/** ClusterPorts are the loopback ports of one run. */
export interface ClusterPorts {
  slurmctld: number
  slurmd: number
  slurmrestd: number
  /** closed is a port nothing listens on: nodes without a slurmd point there, so pings fail at once. */
  closed: number
}

/** CLUSTER_NAME is meta.slurm.cluster of the real daemon. */
export const CLUSTER_NAME = 'slurmbench'
/** REAL_NODE is the one node with a slurmd behind it. */
export const REAL_NODE = 'n1'
/** REAL_NODE_CPUS is its configured CPU count (more than the machine has: jobs only sleep). */
export const REAL_NODE_CPUS = 8
/** JWT_KEY_PATH is the HS256 key inside the root. */
export const JWT_KEY_PATH = '/etc/slurm/jwt_hs256.key'
/** RESERVATION_NAME is the reservation the bring-up creates. */
export const RESERVATION_NAME = 'maint'

/** slurmConf returns slurm.conf for `ports`. */
export function slurmConf(ports: ClusterPorts): string {
  return `# slurmbench: a one-machine Slurm 24.11 for the real-slurmrestd tests (generated).
ClusterName=${CLUSTER_NAME}
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=slurm
SlurmctldPort=${ports.slurmctld}
SlurmdPort=${ports.slurmd}
AuthType=auth/munge
CredType=cred/munge
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=${JWT_KEY_PATH}
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/lib/slurm/slurmd
SlurmctldPidFile=/run/slurm/slurmctld.pid
SlurmdPidFile=/run/slurm/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# No systemd, no cgroups in a chroot: track processes by parentage, bind no tasks.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
# The node claims more CPUs than the machine has; its jobs only sleep.
SlurmdParameters=config_overrides
ReturnToService=2
# Finished jobs stay visible for the tests' whole run.
MinJobAge=3600
# Long: far1 stays UNKNOWN+NOT_RESPONDING (set by the first ping) for the whole run instead of
# turning DOWN in the middle of a comparison.
SlurmdTimeout=3600
SlurmctldTimeout=60
# Power saving: CLOUD nodes start powered down; a job on one powers it up, and it stays
# POWERING_UP (its job CONFIGURING) because nothing ever registers.
SuspendProgram=/bin/true
ResumeProgram=/bin/true
SuspendTime=3600
SuspendTimeout=60
ResumeTimeout=3600
TreeWidth=65533
# Cluster-wide licenses, so /licenses is not empty; a running job holds one.
Licenses=matlab:4,fluent:2
NodeName=${REAL_NODE} NodeAddr=127.0.0.1 NodeHostname=localhost CPUs=${REAL_NODE_CPUS} Boards=1 SocketsPerBoard=1 CoresPerSocket=${REAL_NODE_CPUS} ThreadsPerCore=1 RealMemory=3900 Feature=real State=UNKNOWN
NodeName=cloud[1-4] NodeAddr=127.0.0.1 Port=${ports.closed} CPUs=16 Boards=1 SocketsPerBoard=2 CoresPerSocket=8 ThreadsPerCore=1 RealMemory=64000 Feature=cloud State=CLOUD
NodeName=far[1-3] NodeAddr=127.0.0.1 Port=${ports.closed} CPUs=32 Boards=1 SocketsPerBoard=2 CoresPerSocket=16 ThreadsPerCore=1 RealMemory=128000 Feature=far State=UNKNOWN
PartitionName=main Nodes=${REAL_NODE} Default=YES MaxTime=INFINITE State=UP
PartitionName=debug Nodes=${REAL_NODE},far[1-3] MaxTime=60 DefaultTime=10 State=UP
PartitionName=cloud Nodes=cloud[1-4] MaxTime=1-00:00:00 State=UP
PartitionName=far Nodes=far[1-3] State=UP
PartitionName=closed Nodes=${REAL_NODE} State=DOWN
PartitionName=parked Nodes=${REAL_NODE} State=INACTIVE
`
}

/** CGROUP_CONF turns cgroups off: the chroot has no delegated cgroup tree. */
export const CGROUP_CONF = 'CgroupPlugin=disabled\n'

/** HOSTS is /etc/hosts: a minbase root has none, and without it `localhost` does not resolve. */
export const HOSTS = '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n'
