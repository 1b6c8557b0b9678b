import type { JobDto, RetrainStatusDto, VitrineClient } from '../../../src/client/index.js';
import { admin, serverFeatures } from '../core/api.js';
import { h, replace, type Child } from '../core/dom.js';
import { dateTime, duration } from '../core/format.js';
import type { PageContext } from '../core/router.js';
import { toast } from '../components/toast.js';

/**
 * Background jobs (training, the image index) with their live progress:
 * polled every second while one is queued or running; the retraining
 * schedule (`--retrain-every`) and its last decision above them.
 */
function schedule(r: RetrainStatus): HTMLElement {
  const when = r.everyMinutes === null ? 'Scheduled retraining is off (start the server with --retrain-every <minutes>).' : `The served model is retrained when the shop has moved on: checked every ${r.everyMinutes} min, at ${r.minNewEvents.toLocaleString('en')} new events or a new product.`;
  const last = r.last === null ? null : h('span', { class: 'muted small' }, ` Last check ${dateTime(r.last.at)}: ${r.last.reason}.`);
  return h('p', { class: 'small', 'data-testid': 'retrain-schedule' }, when, last);
}

type RetrainStatus = RetrainStatusDto;
function progress(j: JobDto): Child {
  if (j.status === 'succeeded') return h('span', { class: 'muted small' }, summary(j));
  if (j.status === 'failed') return h('span', { class: 'form-error' }, j.error?.message ?? 'failed');
  if (j.status === 'cancelled') return h('span', { class: 'muted' }, 'cancelled');
  const p = j.progress;
  const share = p === null || p.total === 0 ? 0 : p.done / p.total;
  return h('div', { class: 'progress', 'data-testid': 'job-progress' }, h('div', { class: 'progress-bar' }, h('span', { style: `width:${Math.round(100 * share)}%` })), h('span', { class: 'small muted' }, p === null ? 'waiting…' : `${p.phase}: ${p.done}/${p.total}`));
}

function summary(j: JobDto): string {
  const r = j.result ?? {};
  const took = j.startedAt && j.finishedAt ? duration((Date.parse(j.finishedAt) - Date.parse(j.startedAt)) / 1000) : '';
  if (j.kind === 'image-index') return `${String(r.size ?? '?')} products indexed (${String(r.encoder ?? '')}) in ${took}`;
  if (j.kind === 'train') return `${String(r.name ?? '')} trained in ${took}`;
  return `done in ${took}`;
}

function table(api: VitrineClient, jobs: JobDto[], reload: () => void): HTMLElement {
  const cancel = (id: string): void => void api.cancelJob(id).then(reload, (e: unknown) => toast((e as Error).message, 'error'));
  return h(
    'table',
    { class: 'table', 'data-testid': 'jobs' },
    h('thead', null, h('tr', null, h('th', null, 'job'), h('th', null, 'kind'), h('th', null, 'status'), h('th', null, 'progress'), h('th', null, 'created'), h('th', null, ''))),
    h(
      'tbody',
      null,
      jobs.length === 0
        ? h('tr', null, h('td', { colspan: 6, class: 'muted' }, 'No jobs yet.'))
        : jobs.map((j) =>
            h(
              'tr',
              null,
              h('td', null, h('code', null, j.id)),
              h('td', null, j.kind, j.kind === 'train' ? h('div', { class: 'muted small' }, String(j.params.model ?? '')) : null),
              h('td', null, h('span', { class: ['badge', `badge-${j.status}`] }, j.status)),
              h('td', { class: 'w-progress' }, progress(j)),
              h('td', null, dateTime(j.createdAt)),
              h('td', null, j.status === 'queued' || j.status === 'running' ? h('button', { class: 'btn btn-ghost btn-sm', type: 'button', on: { click: () => cancel(j.id) } }, 'Cancel') : null),
            ),
          ),
    ),
  );
}

export async function render(ctx: PageContext): Promise<Child> {
  const api = admin()!;
  const f = await serverFeatures();
  const box = h('div');
  const plan = h('div');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const draw = async (): Promise<void> => {
    clearTimeout(timer);
    const { jobs, retrain } = await api.jobs();
    replace(plan, schedule(retrain));
    replace(box, table(api, jobs, () => void draw()));
    if (!ctx.signal.aborted && jobs.some((j) => j.status === 'queued' || j.status === 'running')) timer = setTimeout(() => void draw(), 1000);
  };
  ctx.signal.addEventListener('abort', () => clearTimeout(timer));
  if (!f.jobs) return h('p', { class: 'muted' }, 'This server runs no background jobs (it needs a store file and a models folder).');
  await draw();
  const start = (kind: string, params: Record<string, unknown>, label: string): HTMLElement =>
    h('button', { class: 'btn btn-sm', type: 'button', on: { click: () => void api.startJob(kind, params).then((j) => (toast(`${label}: job ${j.id} queued`), draw()), (e: unknown) => toast((e as Error).message, 'error')) } }, label);
  return h(
    'div',
    { class: 'stack' },
    h(
      'div',
      { class: 'toolbar' },
      h('p', { class: 'muted' }, 'Jobs run one at a time in a background process at idle priority, so the shop keeps answering.'),
      h(
        'div',
        { class: 'actions' },
        h('button', { class: 'btn btn-sm', type: 'button', 'data-testid': 'retrain-now', on: { click: () => void api.retrainNow().then((j) => (toast(`Retraining the served model: job ${j.id} queued`), draw()), (e: unknown) => toast((e as Error).message, 'error')) } }, 'Retrain served model'),
        start('train', { model: 'als', name: 'als-retrained', evaluate: true }, 'Train ALS'),
        f.photo ? start('image-index', { rebuild: true }, 'Rebuild image index') : null,
      ),
    ),
    plan,
    h('section', { class: 'panel' }, box),
  );
}
