import { readFileSync } from 'node:fs';
import { throwIfAborted } from '../../core/errors.js';
import type { JobTask } from '../jobs/job-tasks.js';

/**
 * A job task registered from outside the service (as the vision module will
 * register its index build): reports progress `steps` times, `delayMs`
 * apart, stops on the signal, and returns its parameters, with the pid,
 * its parent's pid, nice value and scheduling policy (Linux) of the process it ran in.
 * With `say`, it first prints that line on stderr.
 */
export const echoTask: JobTask = async (params, env) => {
  if (typeof params.say === 'string') process.stderr.write(`${params.say}\n`);
  const steps = Number(params.steps ?? 3);
  for (let i = 0; i < steps; i++) {
    throwIfAborted(env.signal);
    env.onProgress({ phase: 'echo', done: i, total: steps });
    await new Promise((r) => setTimeout(r, Number(params.delayMs ?? 10)));
  }
  throwIfAborted(env.signal);
  return { echoed: params, storePath: env.storePath, pid: process.pid, ppid: process.ppid, ...schedulingOf() };
};

/** nice and policy (0 normal, 5 SCHED_IDLE) from /proc/self/stat, where there is one. */
function schedulingOf(): { nice?: number; policy?: number } {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): nice is field 19, policy field 41.
    return { nice: Number(fields[16]), policy: Number(fields[38]) };
  } catch {
    return {};
  }
}
