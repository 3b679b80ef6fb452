// The runtime shape of GET /slurm/<v>/jobs/state. Every spec binds the path to job_info_resp, but
// the handler dumps OPENAPI_JOB_STATE_RESP (research note §1.6), so this one schema is ours, in
// TypeBox, and serves both the serializer and the tests' validator.
import { Type, type Static } from '@sinclair/typebox'

/** JobStateEntry is one job of the jobs/state list. */
export const JobStateEntry = Type.Object({
  job_id: Type.String({ description: 'job id, or <array job id>_<task id>' }),
  state: Type.Array(Type.String()),
})

/** JobStateEntry is the static type of one jobs/state entry. */
export type JobStateEntry = Static<typeof JobStateEntry>

/** JobStateResponse is the whole jobs/state response; meta/errors/warnings follow the spec. */
export const JobStateResponse = Type.Object({
  jobs: Type.Array(JobStateEntry),
  meta: Type.Optional(Type.Unknown()),
  errors: Type.Optional(Type.Array(Type.Unknown())),
  warnings: Type.Optional(Type.Array(Type.Unknown())),
})
