import type { ModelDto, VitrineClient } from '../../../src/client/index.js';
import { MODEL_KINDS } from '../../../src/recommend/recommender.js';
import { admin } from '../core/api.js';
import { h, replace, type Child } from '../core/dom.js';
import { dateTime, duration, fixed, num } from '../core/format.js';
import { navigate, type PageContext } from '../core/router.js';
import { barChart } from '../charts/bar-chart.js';
import { toast } from '../components/toast.js';

/**
 * The loaded models with their offline metrics (measured at train time,
 * under the protocol shown), which one serves by default, and training a
 * new one as a background job.
 */
const METRICS = ['ndcg@10', 'hr@10', 'recall@20', 'map@10', 'coverage', 'diversity@10'] as const;

function table(api: VitrineClient, models: ModelDto[], reload: () => void): HTMLElement {
  const activate = (name: string): void => void api.setActiveModel(name).then(() => (toast(`${name} now serves by default`), reload()), (e: unknown) => toast((e as Error).message, 'error'));
  return h(
    'table',
    { class: 'table', 'data-testid': 'models' },
    h('thead', null, h('tr', null, h('th', null, 'model'), h('th', null, 'kind'), h('th', { class: 'num' }, 'shoppers'), h('th', { class: 'num' }, 'products'), METRICS.map((m) => h('th', { class: 'num' }, m)), h('th', null, 'trained'), h('th', null, ''))),
    h(
      'tbody',
      null,
      models.map((m) =>
        h(
          'tr',
          null,
          h('td', null, h('strong', null, m.name), m.active ? h('span', { class: 'badge badge-running' }, 'serving') : null),
          h('td', null, m.kind),
          h('td', { class: 'num' }, num(m.shoppers)),
          h('td', { class: 'num' }, num(m.items)),
          METRICS.map((k) => h('td', { class: 'num' }, fixed(m.evaluation?.metrics[k], 4))),
          h('td', { class: 'nowrap' }, h('div', null, dateTime(m.createdAt)), h('div', { class: 'muted small' }, `fit ${duration(m.fitSeconds)}`)),
          h('td', null, m.active ? null : h('button', { class: 'btn btn-ghost btn-sm', type: 'button', on: { click: () => activate(m.name) } }, 'Serve')),
        ),
      ),
    ),
  );
}

function trainForm(api: VitrineClient): HTMLElement {
  const kind = h('select', { 'aria-label': 'Model kind' }, MODEL_KINDS.map((k) => h('option', { value: k, selected: k === 'bpr' }, k)));
  const name = h('input', { type: 'text', placeholder: 'name (default: the kind)', 'aria-label': 'Name' });
  const evaluate = h('input', { type: 'checkbox', checked: true });
  const out = h('div', { class: 'form-error', role: 'alert' });
  return h(
    'form',
    {
      class: 'panel form inline-form',
      on: {
        submit: (e) => {
          e.preventDefault();
          api.startJob('train', { model: kind.value, evaluate: evaluate.checked, ...(name.value.trim() ? { name: name.value.trim() } : {}) }).then(
            (j) => (toast(`Training job ${j.id} queued`), navigate('/admin/jobs')),
            (err: unknown) => replace(out, (err as Error).message),
          );
        },
      },
    },
    h('header', null, h('h3', null, 'Train a model'), h('span', { class: 'muted small' }, 'runs in a background worker on the current store; the new model loads when it finishes')),
    h('div', { class: 'row' }, h('label', { class: 'field' }, h('span', null, 'Kind'), kind), h('label', { class: 'field' }, h('span', null, 'Name'), name), h('label', { class: 'check' }, evaluate, ' measure held-out metrics first'), h('button', { class: 'btn btn-primary', type: 'submit' }, 'Train')),
    out,
  );
}

export async function render(_ctx: PageContext): Promise<Child> {
  const api = admin()!;
  const root = h('div', { class: 'stack' });
  const draw = async (): Promise<void> => {
    const { models } = await api.models();
    const evaluated = models.filter((m) => m.evaluation !== null);
    const protocol = evaluated[0]?.evaluation?.protocol;
    const chart = (metric: string): HTMLElement =>
      h('section', { class: 'panel' }, h('header', null, h('h3', null, metric), h('span', { class: 'muted small' }, protocol ?? '')), barChart({ bars: evaluated.map((m, i) => ({ label: m.name, value: m.evaluation!.metrics[metric] ?? 0, colour: i })), format: (v) => fixed(v, 3), label: `${metric} by model`, testid: `chart-model-${metric}` }));
    replace(
      root,
      h('section', { class: 'panel' }, h('header', null, h('h3', null, 'Loaded models'), h('span', { class: 'muted small' }, protocol ? `offline metrics: ${protocol}, full ranking` : 'no offline metrics recorded')), table(api, models, () => void draw())),
      evaluated.length > 0 ? h('div', { class: 'panels' }, chart('ndcg@10'), chart('hr@10'), chart('coverage'), chart('diversity@10')) : null,
      trainForm(api),
    );
  };
  await draw();
  return root;
}
