import { throwIfAborted } from '../../core/errors.js';
import type { JobTask } from '../jobs/job-tasks.js';

/**
 * A job task registered from outside the service (as the vision module will
 * register its index build): reports progress `steps` times, `delayMs`
 * apart, stops on the signal, and returns its parameters.
 */
export const echoTask: JobTask = async (params, env) => {
  const steps = Number(params.steps ?? 3);
  for (let i = 0; i < steps; i++) {
    throwIfAborted(env.signal);
    env.onProgress({ phase: 'echo', done: i, total: steps });
    await new Promise((r) => setTimeout(r, Number(params.delayMs ?? 10)));
  }
  throwIfAborted(env.signal);
  return { echoed: params, storePath: env.storePath };
};
