// The typed result of a finished job: JobInfo.result narrowed by the job's kind, so views
// read the contract's types instead of guessing at shapes.
import type { JobInfo, JobKind, JobResultByKind } from './api';

/** The result of `job` when it is a finished job of `kind`, else null. */
export function jobResult<K extends JobKind>(job: JobInfo | null | undefined, kind: K): JobResultByKind[K] | null {
  if (!job || job.kind !== kind || job.status !== 'done' || job.result === null) return null;
  // JobManager.start types each kind's result (JobResultByKind), so the kind decides the shape.
  return job.result as JobResultByKind[K];
}
