import { Type, type Static } from '@sinclair/typebox';
import { sampleSizePerVariant } from '../../metrics/ab.js';
import { requireRole } from '../auth/guards.js';
import { assignVariant } from '../experiments/assign.js';
import type { ServePlugin } from '../plugin.js';
import { errorResponses, IdParamsSchema, security } from '../schemas/common.js';
import { ExperimentCreateSchema, SampleSizeQuerySchema, type ExperimentCreateInput } from '../schemas/admin.js';

/**
 * A/B experiments (issue 4): create one (its variants are recommender
 * configurations; shoppers are assigned by hashing), stop it, read its
 * results (metrics with intervals per variant and tests against the first
 * variant), look up a shopper's assignment, and size an experiment before
 * running it.
 */
const ResultsQuery = Type.Object({ confidence: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 })) });
const AssignmentQuery = Type.Object({ shopperId: Type.String({ minLength: 1 }) });

export const experimentsPlugin: ServePlugin = {
  name: 'experiments',
  register(app, ctx) {
    const admin = requireRole(ctx, 'admin');

    app.post<{ Body: ExperimentCreateInput }>(
      '/api/experiments',
      {
        onRequest: admin,
        schema: {
          tags: ['experiments'],
          summary: 'Start an experiment; variant config: model, exploration, strategy, diversity, sessionWeight',
          ...security('admin'),
          body: ExperimentCreateSchema,
          response: { ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (req, reply) => reply.status(201).send(ctx.experiments.create(req.body)),
    );

    app.get('/api/experiments', { onRequest: admin, schema: { tags: ['experiments'], summary: 'Every experiment, newest first', ...security('admin') } }, async () => ({ experiments: ctx.experiments.list() }));

    app.get<{ Querystring: Static<typeof SampleSizeQuerySchema> }>(
      '/api/experiments/sample-size',
      { schema: { tags: ['experiments'], summary: 'Shoppers needed per variant to detect an effect on a rate (two-sided z-test)', querystring: SampleSizeQuerySchema, response: { ...errorResponses(400) } } },
      async (req) => sampleSizePerVariant(req.query),
    );

    app.get<{ Params: Static<typeof IdParamsSchema> }>(
      '/api/experiments/:id',
      { onRequest: admin, schema: { tags: ['experiments'], summary: 'One experiment', ...security('admin'), params: IdParamsSchema, response: { ...errorResponses(401, 403, 404) } } },
      async (req) => ctx.experiments.require(req.params.id),
    );

    app.post<{ Params: Static<typeof IdParamsSchema> }>(
      '/api/experiments/:id/stop',
      { onRequest: admin, schema: { tags: ['experiments'], summary: 'Stop an experiment (its results stay)', ...security('admin'), params: IdParamsSchema, response: { ...errorResponses(401, 403, 404) } } },
      async (req) => ctx.experiments.stop(req.params.id),
    );

    app.get<{ Params: Static<typeof IdParamsSchema>; Querystring: Static<typeof ResultsQuery> }>(
      '/api/experiments/:id/results',
      {
        onRequest: admin,
        schema: { tags: ['experiments'], summary: 'Per-variant metrics with intervals; lift, intervals and p-values against the first variant', ...security('admin'), params: IdParamsSchema, querystring: ResultsQuery, response: { ...errorResponses(401, 403, 404) } },
      },
      async (req) => {
        await ctx.impressions.flush();
        return ctx.experiments.results(req.params.id, ctx.config.attributionWindowMs, req.query.confidence ?? 0.95);
      },
    );

    app.get<{ Params: Static<typeof IdParamsSchema>; Querystring: Static<typeof AssignmentQuery> }>(
      '/api/experiments/:id/assignment',
      { onRequest: admin, schema: { tags: ['experiments'], summary: "A shopper's variant (deterministic)", ...security('admin'), params: IdParamsSchema, querystring: AssignmentQuery, response: { ...errorResponses(401, 403, 404) } } },
      async (req) => {
        const e = ctx.experiments.require(req.params.id);
        const v = assignVariant(e.id, req.query.shopperId, e.variants);
        return { experimentId: e.id, shopperId: req.query.shopperId, variant: v.name, config: v.config };
      },
    );
  },
};
