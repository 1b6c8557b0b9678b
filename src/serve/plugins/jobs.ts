import { Type, type Static } from '@sinclair/typebox';
import { fail } from '../../core/errors.js';
import { requireRole } from '../auth/guards.js';
import type { ServeContext } from '../context.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { ServePlugin } from '../plugin.js';
import { errorResponses, IdParamsSchema, security } from '../schemas/common.js';
import { JobCreateSchema, RetrainStatusSchema, type JobCreateInput, type ModelDto } from '../schemas/admin.js';

/**
 * Background jobs and the loaded models. POST /api/jobs answers 202 at once
 * with the queued job; the work runs in a child process (jobs/), its
 * progress readable at GET /api/jobs/:id. A finished training job's model is
 * loaded and, when it replaces the served one (or `activate` is true),
 * served from then on.
 */
const ActiveBody = Type.Object({ name: Type.String({ minLength: 1 }) }, { additionalProperties: false });

function runner(ctx: ServeContext): JobRunner {
  if (ctx.jobs === undefined) fail('UNSUPPORTED', 'this server runs no background jobs', { hint: 'start it with a store file and a models folder (vitrine serve --store <db> --models <dir>)' });
  return ctx.jobs;
}

function modelDto(ctx: ServeContext): ModelDto[] {
  return ctx.models.list().map((m) => ({
    name: m.name,
    kind: m.bundle.info.kind,
    active: m.name === ctx.models.activeModelName,
    items: m.nItems,
    shoppers: m.bundle.users.size,
    createdAt: m.bundle.info.createdAt,
    fitSeconds: m.bundle.info.fitSeconds,
    evaluation: m.bundle.info.evaluation,
  }));
}

export const jobsPlugin: ServePlugin = {
  name: 'jobs',
  register(app, ctx) {
    const admin = requireRole(ctx, 'admin');

    app.post<{ Body: JobCreateInput }>(
      '/api/jobs',
      {
        onRequest: admin,
        schema: { tags: ['jobs'], summary: 'Start a background job (kind "train": params model, name, config, evaluate, activate, seed)', ...security('admin'), body: JobCreateSchema, response: { 202: Type.Ref('Job'), ...errorResponses(400, 401, 403, 501) } },
      },
      async (req, reply) => reply.status(202).send(runner(ctx).submit(req.body.kind, req.body.params ?? {})),
    );

    app.get(
      '/api/jobs',
      { onRequest: admin, schema: { tags: ['jobs'], summary: 'Recent jobs, newest first, and the retraining schedule', ...security('admin'), response: { 200: Type.Object({ jobs: Type.Array(Type.Ref('Job')), retrain: RetrainStatusSchema }) } } },
      async () => ({ jobs: runner(ctx).list(), retrain: ctx.retrain.status() }),
    );

    app.post(
      '/api/jobs/retrain',
      {
        onRequest: admin,
        schema: { tags: ['jobs'], summary: 'Retrain the served model now (same kind, settings and name; swapped in when done)', ...security('admin'), response: { 202: Type.Ref('Job'), ...errorResponses(401, 403, 409, 501) } },
      },
      async (_req, reply) => {
        runner(ctx);
        const r = ctx.retrain.check({ force: true });
        if (r.job === null) fail('CONFLICT', `cannot retrain now: ${r.reason}`);
        return reply.status(202).send(r.job);
      },
    );

    app.get<{ Params: Static<typeof IdParamsSchema> }>(
      '/api/jobs/:id',
      { onRequest: admin, schema: { tags: ['jobs'], summary: 'A job with its progress', ...security('admin'), params: IdParamsSchema, response: { 200: Type.Ref('Job'), ...errorResponses(401, 403, 404) } } },
      async (req) => runner(ctx).get(req.params.id),
    );

    app.post<{ Params: Static<typeof IdParamsSchema> }>(
      '/api/jobs/:id/cancel',
      { onRequest: admin, schema: { tags: ['jobs'], summary: 'Cancel a queued or running job', ...security('admin'), params: IdParamsSchema, response: { 200: Type.Ref('Job'), ...errorResponses(401, 403, 404) } } },
      async (req) => runner(ctx).cancel(req.params.id),
    );

    app.get('/api/models', { schema: { tags: ['models'], summary: 'Loaded models and the one served by default' } }, async () => ({ models: modelDto(ctx) }));

    app.put<{ Body: Static<typeof ActiveBody> }>(
      '/api/models/active',
      { onRequest: admin, schema: { tags: ['models'], summary: 'Serve another loaded model by default', ...security('admin'), body: ActiveBody, response: { ...errorResponses(401, 403, 404) } } },
      async (req) => {
        ctx.models.setActive(req.body.name);
        return { models: modelDto(ctx) };
      },
    );
  },
};
