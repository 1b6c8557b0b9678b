import { fail } from '../../core/errors.js';
import { MODEL_KINDS, type ModelKind } from '../../recommend/recommender.js';

/**
 * The kinds of background job and how their parameters are checked, in the
 * main thread, before a job is queued (so a bad request fails at once with
 * 400, not later in the worker). The built-in work is in job-tasks.ts, run
 * in the job's process. Another module (e.g. the vision module's ANN index
 * build) adds a kind without editing these files: ServeDeps.jobKinds with a
 * `task` naming the module (a file URL) and the export (a JobTask, see
 * job-tasks.ts) that the worker imports.
 */
export interface JobKind {
  /** Normalised parameters, or INVALID_ARGUMENT. */
  validate(params: Record<string, unknown>): Record<string, unknown>;
  /** Where the worker finds the work; built-in kinds leave it out (job-tasks.ts). */
  task?: { module: string; exportName: string };
  /** Called in the server thread after a job of this kind succeeded (e.g. load what it built). */
  onSucceeded?: (params: Record<string, unknown>, result: Record<string, unknown>) => void | Promise<void>;
}

export interface TrainParams {
  model: ModelKind;
  /** Bundle name under the models folder (default: the model kind). */
  name: string;
  config: Record<string, unknown>;
  /** Measure held-out metrics first (slower; default false). */
  evaluate: boolean;
  /** Serve the new model by default once trained (default: when it replaces the active one). */
  activate: boolean | null;
  seed: number;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function validateTrain(p: Record<string, unknown>): TrainParams {
  const allowed = ['model', 'name', 'config', 'evaluate', 'activate', 'seed'];
  for (const k of Object.keys(p)) if (!allowed.includes(k)) fail('INVALID_ARGUMENT', `unknown train parameter "${k}"`, { hint: `parameters: ${allowed.join(', ')}` });
  const model = p.model;
  if (typeof model !== 'string' || !(MODEL_KINDS as readonly string[]).includes(model)) fail('INVALID_ARGUMENT', `train: model must be one of ${MODEL_KINDS.join(', ')}, got ${JSON.stringify(model)}`);
  const name = p.name ?? model;
  if (typeof name !== 'string' || !NAME.test(name) || name.includes('..')) fail('INVALID_ARGUMENT', `train: name must be 1-64 letters, digits, "_", "." or "-"`);
  const config = p.config ?? {};
  if (typeof config !== 'object' || config === null || Array.isArray(config)) fail('INVALID_ARGUMENT', 'train: config must be an object of hyperparameters');
  const seed = p.seed ?? 42;
  if (!Number.isInteger(seed) || (seed as number) < 0) fail('INVALID_ARGUMENT', 'train: seed must be a non-negative integer');
  if (p.evaluate !== undefined && typeof p.evaluate !== 'boolean') fail('INVALID_ARGUMENT', 'train: evaluate must be true or false');
  if (p.activate !== undefined && typeof p.activate !== 'boolean') fail('INVALID_ARGUMENT', 'train: activate must be true or false');
  return { model: model as ModelKind, name, config: config as Record<string, unknown>, evaluate: p.evaluate === true, activate: (p.activate as boolean | undefined) ?? null, seed: seed as number };
}

export const JOB_KINDS: Readonly<Record<string, JobKind>> = {
  train: { validate: (p) => ({ ...validateTrain(p) }) },
};
