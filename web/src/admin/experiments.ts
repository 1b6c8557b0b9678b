import type { ExperimentDto, VitrineClient } from '../../../src/client/index.js';
import { admin } from '../core/api.js';
import { async, errorBox, h, replace, type Child } from '../core/dom.js';
import { dateTime, money, num, pct } from '../core/format.js';
import type { PageContext } from '../core/router.js';
import { barChart } from '../charts/bar-chart.js';
import { toast } from '../components/toast.js';

/**
 * A/B experiments: the list, one experiment's results (each variant's
 * metrics with intervals, and each variant against the control: the
 * difference with its interval and p-value), stopping one, and starting a
 * new one whose variants are recommender configurations.
 */
type Results = Awaited<ReturnType<VitrineClient['experimentResults']>>;
type Test = Results['comparisons'][number]['ctr'];

const ci = (m: number, lo: number, hi: number, f: (x: number) => string): Child => h('span', null, f(m), h('small', { class: 'muted' }, ` [${f(lo)}, ${f(hi)}]`));

function variantsTable(r: Results): HTMLElement {
  return h(
    'table',
    { class: 'table', 'data-testid': 'experiment-variants' },
    h('thead', null, h('tr', null, ['variant', 'shoppers', 'impressions', 'CTR', 'conversion', 'avg order value', 'revenue / shopper'].map((t, i) => h('th', { class: i > 0 ? 'num' : '' }, t)))),
    h(
      'tbody',
      null,
      r.variants.map((v) => {
        const m = v.metrics;
        return h('tr', null, h('td', null, h('strong', null, v.variant)), h('td', { class: 'num' }, num(m.shoppers)), h('td', { class: 'num' }, num(m.impressions)), h('td', { class: 'num' }, ci(m.ctr.rate, m.ctr.lo, m.ctr.hi, (x) => pct(x, 2))), h('td', { class: 'num' }, ci(m.conversion.rate, m.conversion.lo, m.conversion.hi, (x) => pct(x, 1))), h('td', { class: 'num' }, ci(m.aov.mean, m.aov.lo, m.aov.hi, money)), h('td', { class: 'num' }, money(m.revenuePerShopper)));
      }),
    ),
  );
}

function lifts(r: Results): Child {
  if (r.comparisons.length === 0) return null;
  const metric = (title: string, pick: (c: Results['comparisons'][number]) => Test, f: (x: number) => string): HTMLElement =>
    h(
      'section',
      { class: 'panel' },
      h('header', null, h('h3', null, title), h('span', { class: 'muted small' }, `difference from ${r.comparisons[0]!.control}`)),
      barChart({
        bars: r.comparisons.map((c, i) => {
          const t = pick(c);
          return { label: c.variant, value: t.diff, lo: t.ci.lo, hi: t.ci.hi, colour: i + 1, note: `p = ${t.pValue.toFixed(3)}${t.significant ? ' (significant)' : ''}` };
        }),
        format: f,
        label: title,
      }),
      h('p', { class: 'small muted' }, r.comparisons.map((c) => `${c.variant}: p = ${pick(c).pValue.toFixed(3)}${pick(c).significant ? ' · significant' : ' · not significant'}`).join('; ')),
    );
  return h(
    'div',
    { class: 'panels' },
    metric('CTR lift', (c) => c.ctr, (x) => `${(100 * x).toFixed(2)} pt`),
    metric('Conversion lift', (c) => c.conversion, (x) => `${(100 * x).toFixed(1)} pt`),
    metric('Order value lift', (c) => c.aov, money),
    metric('Revenue per shopper lift', (c) => c.revenuePerShopper, money),
  );
}

async function results(api: VitrineClient, e: ExperimentDto, reload: () => void): Promise<Child> {
  const r = await api.experimentResults(e.id);
  const stop = e.status === 'running'
    ? h('button', { class: 'btn btn-sm', type: 'button', on: { click: () => void api.stopExperiment(e.id).then(() => (toast(`Stopped ${e.id}`), reload()), (err: unknown) => toast((err as Error).message, 'error')) } }, 'Stop experiment')
    : null;
  return h(
    'div',
    { class: 'stack', 'data-testid': 'experiment-results' },
    h('div', { class: 'toolbar' }, h('div', null, h('h2', null, e.name), h('p', { class: 'muted' }, `${e.id} · ${e.status} · since ${dateTime(e.createdAt)}${e.stoppedAt ? ` · stopped ${dateTime(e.stoppedAt)}` : ''} · ${Math.round(r.confidence * 100)}% intervals`)), stop),
    variantsTable(r),
    lifts(r),
  );
}

function createForm(api: VitrineClient, models: string[], done: () => void): HTMLElement {
  const name = h('input', { type: 'text', required: true, placeholder: 'e.g. More diversity', 'aria-label': 'Experiment name' });
  const rows = h('div', { class: 'variant-rows' });
  const addRow = (vname: string, model: string): void => {
    const row = h(
      'div',
      { class: 'variant-row' },
      h('input', { type: 'text', value: vname, 'aria-label': 'Variant name', required: true, class: 'v-name' }),
      h('select', { class: 'v-model', 'aria-label': 'Model' }, models.map((m) => h('option', { value: m, selected: m === model }, m))),
      h('input', { type: 'number', min: 0, max: 1, step: 0.1, placeholder: '0–1', class: 'v-div', 'aria-label': 'Diversity' }),
      h('input', { type: 'number', min: 0, max: 1, step: 0.05, placeholder: '0–1', class: 'v-exp', 'aria-label': 'Exploration' }),
    );
    rows.append(row);
  };
  addRow('control', models[0] ?? '');
  addRow('treatment', models[1] ?? models[0] ?? '');
  const out = h('div', { class: 'form-error', role: 'alert' });
  const variants = (): { name: string; config: Record<string, unknown> }[] =>
    [...rows.querySelectorAll('.variant-row')].map((row) => {
      const val = (sel: string): string => (row.querySelector(sel) as HTMLInputElement).value;
      const config: Record<string, unknown> = { model: val('.v-model') };
      if (val('.v-div') !== '') config.diversity = Number(val('.v-div'));
      if (val('.v-exp') !== '') config.exploration = Number(val('.v-exp'));
      return { name: val('.v-name'), config };
    });
  return h(
    'form',
    {
      class: 'panel form',
      on: {
        submit: (e) => {
          e.preventDefault();
          api.createExperiment({ name: name.value, variants: variants() }).then(
            (x) => (toast(`Started ${x.id}`), done()),
            (err: unknown) => replace(out, (err as Error).message),
          );
        },
      },
    },
    h('header', null, h('h3', null, 'Start an experiment'), h('span', { class: 'muted small' }, 'shoppers are split between variants by a hash of their id; one experiment runs at a time')),
    h('label', { class: 'field' }, h('span', null, 'Name'), name),
    h('div', { class: 'variant-head muted small' }, h('span', null, 'variant'), h('span', null, 'model'), h('span', null, 'diversity'), h('span', null, 'exploration')),
    rows,
    out,
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-ghost btn-sm', type: 'button', on: { click: () => addRow(`variant-${rows.children.length + 1}`, models[0] ?? '') } }, '+ variant'), h('button', { class: 'btn btn-primary', type: 'submit' }, 'Start')),
  );
}

export async function render(_ctx: PageContext): Promise<Child> {
  const api = admin()!;
  const root = h('div', { class: 'stack' });
  const draw = async (selected?: string): Promise<void> => {
    const [{ experiments }, { models }] = await Promise.all([api.experiments(), api.models()]);
    const pick = experiments.find((e) => e.id === selected) ?? experiments[0];
    const detail = h('div');
    const list = h(
      'table',
      { class: 'table table-hover', 'data-testid': 'experiments' },
      h('thead', null, h('tr', null, h('th', null, 'experiment'), h('th', null, 'status'), h('th', null, 'variants'), h('th', null, 'started'))),
      h(
        'tbody',
        null,
        experiments.length === 0
          ? h('tr', null, h('td', { colspan: 4, class: 'muted' }, 'No experiments yet.'))
          : experiments.map((e) =>
              h('tr', { class: e.id === pick?.id ? 'selected' : '', on: { click: () => void draw(e.id) } }, h('td', null, h('strong', null, e.name), h('div', { class: 'muted small' }, e.id)), h('td', null, h('span', { class: ['badge', `badge-${e.status}`] }, e.status)), h('td', null, e.variants.map((v) => v.name).join(' · ')), h('td', null, dateTime(e.createdAt))),
            ),
      ),
    );
    replace(root, h('div', { class: 'split' }, h('section', { class: 'panel' }, list), createForm(api, models.map((m) => m.name), () => void draw())), detail);
    if (pick) replace(detail, async(() => results(api, pick, () => void draw(pick.id)).catch((e: unknown) => errorBox(e)), 'Computing results…'));
  };
  await draw();
  return root;
}
