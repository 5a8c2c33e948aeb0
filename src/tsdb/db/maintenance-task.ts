// Maintenance jobs (maintenance-jobs.ts) as a task for a worker pool; the server gives them a pool of
// their own. See inputs/decode-pool/task.ts for the contract, matched here by shape: the store does
// not import the inputs. Input is a MaintenanceJob, output its MaintenanceResult; a job that throws
// fails the task.

import { type MaintenanceJob, runMaintenanceJob } from './maintenance-jobs.ts';

export const MAINTENANCE_TASK = 'tsdb.maintain';

export function createTaskHandler(): (input: unknown) => { value: unknown } {
  return (input) => ({ value: runMaintenanceJob(input as MaintenanceJob) });
}
