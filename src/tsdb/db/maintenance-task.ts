// Maintenance jobs (maintenance-jobs.ts) as a task for a worker pool (src/workers/task.ts has the
// contract; offload.ts registers it); the server gives them a pool of their own. Input is a
// MaintenanceJob, output its MaintenanceResult; a job that throws fails the task.

import type { TaskHandler } from '../../workers/task.ts';
import { type MaintenanceJob, runMaintenanceJob } from './maintenance-jobs.ts';

export const MAINTENANCE_TASK = 'tsdb.maintain';

export function createTaskHandler(): TaskHandler {
  return (input) => ({ value: runMaintenanceJob(input as MaintenanceJob) });
}
