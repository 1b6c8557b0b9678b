import { spawnSync } from 'node:child_process';

/**
 * How a job's process is scheduled. "idle" (the default): Linux's
 * SCHED_IDLE policy through util-linux's `chrt`, so the job only gets CPU
 * the server leaves unused, and every thread of the job (its V8 heap's
 * garbage-collector helpers and its BLAS threads included) inherits it;
 * "low": `nice -n 19`; "normal": no change. Where the tool is missing or
 * refuses (another OS, a sandbox), the launcher falls back one step and the
 * job still runs.
 */
export const JOB_PRIORITIES = ['idle', 'low', 'normal'] as const;
export type JobPriority = (typeof JOB_PRIORITIES)[number];

const PREFIXES: Record<JobPriority, string[]> = {
  idle: ['chrt', '--idle', '0'],
  low: ['nice', '-n', '19'],
  normal: [],
};

const probed = new Map<JobPriority, boolean>();

/** Whether `prefix true` runs here (probed once per priority, a few ms). */
function works(priority: JobPriority): boolean {
  let ok = probed.get(priority);
  if (ok === undefined) {
    const [cmd, ...args] = PREFIXES[priority];
    ok = cmd === undefined || (process.platform !== 'win32' && spawnSync(cmd, [...args, 'true'], { stdio: 'ignore', timeout: 5_000 }).status === 0);
    probed.set(priority, ok);
  }
  return ok;
}

/** The command prefix that starts a process at `priority`, or the nearest weaker one that works here, and the priority it gives. */
export function priorityLauncher(priority: JobPriority): { prefix: string[]; priority: JobPriority } {
  for (const p of JOB_PRIORITIES.slice(JOB_PRIORITIES.indexOf(priority))) {
    if (works(p)) return { prefix: PREFIXES[p], priority: p };
  }
  return { prefix: [], priority: 'normal' };
}
