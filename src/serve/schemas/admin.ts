import { Type, type Static } from '@sinclair/typebox';
import type { ApiKeyRecord, ExperimentRecord, JobRecord } from '../../store/serving-types.js';

/** Keys, jobs, models, experiments and metrics on the wire. */

const Open = Type.Object({}, { additionalProperties: true });

export const KeyCreateSchema = Type.Object({ role: Type.Union([Type.Literal('writer'), Type.Literal('seller'), Type.Literal('admin')]), label: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false });
export type KeyCreateInput = Static<typeof KeyCreateSchema>;
export const KeySchema = Type.Object({ id: Type.String(), role: Type.String(), label: Type.String(), createdAt: Type.String(), revokedAt: Type.Union([Type.String(), Type.Null()]) });
export const CreatedKeySchema = Type.Composite([KeySchema, Type.Object({ key: Type.String({ description: 'shown once' }) })]);
export type KeyDto = ApiKeyRecord;
export type CreatedKeyDto = ApiKeyRecord & { key: string };

export const JobCreateSchema = Type.Object({ kind: Type.String(), params: Type.Optional(Open) }, { additionalProperties: false });
export type JobCreateInput = Static<typeof JobCreateSchema>;
export const JobSchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.String(),
    status: Type.String(),
    params: Open,
    progress: Type.Union([Type.Object({ phase: Type.String(), done: Type.Number(), total: Type.Number() }), Type.Null()]),
    result: Type.Union([Open, Type.Null()]),
    error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
    createdAt: Type.String(),
    startedAt: Type.Union([Type.String(), Type.Null()]),
    finishedAt: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'Job' },
);
export type JobDto = JobRecord;

/** Scheduled retraining (jobs/retrain-scheduler.ts), as GET /api/jobs reports it. */
export const RetrainStatusSchema = Type.Object({
  everyMinutes: Type.Union([Type.Number(), Type.Null()], { description: 'minutes between checks; null: no schedule' }),
  minNewEvents: Type.Integer(),
  last: Type.Union([Type.Object({ at: Type.String(), reason: Type.String(), jobId: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
});
export type RetrainStatusDto = Static<typeof RetrainStatusSchema>;

export interface ModelDto {
  name: string;
  kind: string;
  active: boolean;
  items: number;
  shoppers: number;
  createdAt: string;
  fitSeconds: number;
  evaluation: { protocol: string; metrics: Record<string, number> } | null;
}

export const ExperimentCreateSchema = Type.Object(
  {
    id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    variants: Type.Array(
      Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 64 }),
          weight: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
          config: Type.Optional(Open),
        },
        { additionalProperties: false },
      ),
      { minItems: 2, maxItems: 10 },
    ),
  },
  { additionalProperties: false },
);
export type ExperimentCreateInput = Static<typeof ExperimentCreateSchema>;
export type ExperimentDto = ExperimentRecord;

export const SampleSizeQuerySchema = Type.Object({
  baseline: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'control rate, e.g. 0.05' }),
  mde: Type.Number({ description: 'minimum detectable effect (absolute, or relative with relative=true)' }),
  relative: Type.Optional(Type.Boolean()),
  alpha: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 })),
  power: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 })),
});
export type SampleSizeQuery = Static<typeof SampleSizeQuerySchema>;

export const MetricsQuerySchema = Type.Object({
  from: Type.Optional(Type.String({ description: 'ISO date or unix ms (default: 30 days ago)' })),
  to: Type.Optional(Type.String({ description: 'ISO date or unix ms, exclusive (default: now)' })),
  experiment: Type.Optional(Type.String()),
  confidence: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 })),
});
export type MetricsQuery = Static<typeof MetricsQuerySchema>;

export { Open as OpenObjectSchema };
