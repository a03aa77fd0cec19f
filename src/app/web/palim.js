// The officer's page. It computes nothing: every number shown is what the
// server's /v1 JSON API returned. It keeps the scenario, the match set and the
// variant in memory only (nothing in storage), and sends the token, when the
// server asks for one, only to this server.
'use strict';

const MESSAGES = JSON.parse(document.getElementById('palim-messages').textContent);
const $ = (id) => document.getElementById(id);

const state = {
  lang: document.documentElement.lang || 'en',
  token: null,
  file: null,          // { name, kind: 'json'|'workbook'|'csv', text?, csv? }
  scenario: null,      // the scenario (palim/1), as /v1/convert returned it
  result: null,        // the match set, as the job returned it
  job: null,
  tab: 'matches',
  sort: {},            // table id -> { key, dir }
  changes: [],         // the what-if, one entry per change
  comparison: null,
  sweep: null,         // { path, points: [] }
  shortlists: null,    // the shortlists (palim-shortlist/1), with the K and M asked
  explained: null,     // { kind, id, audience, report }
};

// ------------------------------------------------------------------ words --

function t(id, args) {
  const words = MESSAGES[state.lang] || MESSAGES.en;
  let s = words[id] !== undefined ? words[id] : MESSAGES.en[id];
  if (s === undefined) return id;
  for (const [k, v] of Object.entries(args || {})) s = s.split('{' + k + '}').join(String(v));
  return s;
}

function number(x, places) {
  const digits = places === undefined ? 0 : places;
  return new Intl.NumberFormat(state.lang === 'en' ? 'en-GB' : state.lang + '-BE', {
    minimumFractionDigits: digits, maximumFractionDigits: digits,
  }).format(x);
}

function percent(x) {
  return number(100 * x, 1) + ' %';
}

// The word for a code of a family (`reason-`, `status-`, …), or the code
// itself when the catalogue has none (a code newer than this page).
function label(family, code) {
  const id = family + code;
  return MESSAGES.en[id] !== undefined ? t(id) : code;
}

function reasonLabel(code) {
  return label('reason-', code);
}

// Reasons as the match set words them: the officer's label, then the server's message.
function reasonItems(reasons) {
  return (reasons || []).map((r) => el('li', {}, el('strong', { text: reasonLabel(r.code) }), ': ' + r.message));
}

// Put a message in an element, and remember it, so that a language switch
// words it again (numbers stay as the API gave them).
const said = new Map();
function say(element, id, args) {
  said.set(element, [id, args]);
  element.textContent = t(id, args);
}

function applyWords() {
  document.documentElement.lang = state.lang;
  document.title = t('ui-title');
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  for (const [el, [id, args]] of said) if (el.isConnected && el.textContent) el.textContent = t(id, args);
  $('lang').value = state.lang;
}

// -------------------------------------------------------------------- DOM --

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function svg(tag, attrs, ...children) {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children.flat()) if (c) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function show(id, visible) {
  $(id).hidden = !visible;
}

// A link-like button that opens an explanation.
function subject(kind, id) {
  return el('button', {
    type: 'button', class: 'link', text: id,
    'aria-label': t(kind === 'trainee' ? 'ui-why-trainee' : 'ui-why-vacancy', { name: id }),
    onclick: () => explain(kind, id, 'officer'),
  });
}

// -------------------------------------------------------------------- API --

async function api(method, path, body, type) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const headers = {};
    if (state.token) headers.Authorization = 'Bearer ' + state.token;
    if (body !== undefined) headers['Content-Type'] = type || 'application/json';
    headers['Accept-Language'] = state.lang;
    const r = await fetch(path, { method, headers, body });
    if (r.status === 401 && attempt < 2) {
      state.token = await askToken();
      continue;
    }
    if (!r.ok) {
      let problem;
      try { problem = await r.json(); } catch (_) { problem = { detail: r.statusText, status: r.status }; }
      const err = new Error(problem.detail || r.statusText);
      err.problem = problem;
      throw err;
    }
    return r;
  }
  throw new Error(t('ui-token-wrong'));
}

function askToken() {
  return new Promise((resolve) => {
    const dialog = $('token-dialog');
    $('token').value = '';
    dialog.addEventListener('close', () => resolve($('token').value.trim()), { once: true });
    dialog.showModal();
  });
}

function scenarioBody() {
  return JSON.stringify(state.scenario);
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// An error where the work was shown: the server's words, and for invalid
// input its first problems with their place and what to do.
function failure(where, err) {
  said.delete(where);
  const errors = ((err.problem && err.problem.errors) || []).slice(0, 5);
  where.replaceChildren(el('span', { class: 'error', text: err.message }),
    errors.length ? el('ul', { class: 'reasons' }, errors.map((i) =>
      el('li', {}, (i.cell || i.pointer || '') + ' ' + i.message + (i.hint ? ' — ' + i.hint : '')))) : null);
}

// ------------------------------------------------------------------- open --

const WORKBOOK_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  xls: 'application/vnd.ms-excel',
};
const CSV_SHEETS = 'application/vnd.palim.csv-sheets+json';

function extension(name) {
  const i = name.lastIndexOf('.');
  return i < 0 ? '' : name.slice(i + 1).toLowerCase();
}

async function openFiles(files) {
  files = Array.from(files || []);
  if (files.length === 0) return;
  const opened = $('opened');
  show('problems', false);
  say(opened, 'ui-opening');
  try {
    let body;
    let type;
    const csv = files.filter((f) => extension(f.name) === 'csv');
    if (csv.length > 0) {
      const sheets = {};
      for (const f of csv) sheets[f.name] = await f.text();
      state.file = { name: csv.map((f) => f.name).join(', '), kind: 'csv', csv: sheets };
      body = JSON.stringify(sheets);
      type = CSV_SHEETS;
    } else {
      const f = files[0];
      const ext = extension(f.name);
      if (WORKBOOK_TYPES[ext]) {
        state.file = { name: f.name, kind: 'workbook' };
        body = await f.arrayBuffer();
        type = WORKBOOK_TYPES[ext];
      } else {
        const text = await f.text();
        state.file = { name: f.name, kind: 'json', text };
        body = text;
        type = 'application/json';
      }
    }
    const r = await api('POST', '/v1/convert', body, type);
    state.scenario = await r.json();
    state.result = null;
    state.explained = null;
    // Nothing of the scenario opened before stays on screen.
    for (const id of ['result', 'whatif', 'sweep', 'why', 'comparison', 'sl-result']) show(id, false);
    state.changes = [];
    state.shortlists = null;
    $('sl-progress').textContent = '';
    state.comparison = null;
    state.sweep = null;
    say(opened, 'ui-opened', {
      name: state.scenario.name || state.file.name,
      n: number(state.scenario.trainees.length),
      total: number(state.scenario.vacancies.length),
    });
    fillPickers();
    show('run', true);
    show('interviews', true);
    renderChanges();
    await solve();
  } catch (err) {
    // Nothing of an earlier scenario stays on screen next to this file's problems.
    opened.textContent = '';
    state.scenario = null;
    state.result = null;
    for (const id of ['run', 'result', 'whatif', 'sweep', 'why', 'interviews']) show(id, false);
    showProblems(err);
  }
}

function showProblems(err) {
  const list = $('problem-list');
  const errors = (err.problem && err.problem.errors) || [];
  list.replaceChildren();
  show('place', false);
  if (errors.length === 0) {
    list.append(el('li', {}, el('span', { class: 'error', text: err.message })));
  }
  errors.forEach((issue, i) => {
    const where = issue.cell || (issue.line ? t('ui-line', { n: issue.line }) : issue.pointer || '');
    const item = el('li', {},
      el('button', {
        type: 'button', class: 'problem', id: 'problem-' + i,
        onclick: () => showPlace(issue, i),
      },
      el('strong', { text: where }), ' ', issue.message,
      issue.hint ? el('span', { class: 'hint', text: ' — ' + issue.hint }) : null,
      el('code', { class: 'code', text: issue.code })));
    list.append(item);
  });
  show('problems', true);
  $('problems').scrollIntoView({ block: 'nearest' });
}

// The place of a problem: the lines of a JSON or CSV file around it, the
// line itself marked; for a workbook, the sheet and cell to go to.
function showPlace(issue, i) {
  for (const b of document.querySelectorAll('.problem')) b.removeAttribute('aria-current');
  $('problem-' + i).setAttribute('aria-current', 'true');
  const place = $('place');
  place.replaceChildren();
  let text = null;
  let line = issue.line;
  if (state.file && state.file.kind === 'json') text = state.file.text;
  if (state.file && state.file.kind === 'csv' && issue.cell) {
    const [sheet, cell] = issue.cell.split('!');
    const name = Object.keys(state.file.csv).find((n) => n.replace(/\.csv$/i, '') === sheet);
    if (name) {
      text = state.file.csv[name];
      line = Number((cell || '').replace(/^[A-Z]+/, ''));
    }
  }
  if (text !== null && line) {
    const lines = text.split('\n');
    const from = Math.max(0, line - 4);
    const pre = el('pre', { class: 'source' });
    for (let k = from; k < Math.min(lines.length, line + 3); k++) {
      const row = el('span', { class: k + 1 === line ? 'here' : '' }, String(k + 1).padStart(5) + '  ' + lines[k] + '\n');
      pre.append(row);
    }
    place.append(pre);
  } else if (issue.cell) {
    const [sheet, cell] = issue.cell.split('!');
    place.append(el('p', {}, t('ui-place-cell', { name: sheet, what: cell || '' })));
  } else {
    place.append(el('p', {}, issue.pointer || ''));
  }
  show('place', true);
  place.scrollIntoView({ block: 'nearest' });
}

// ------------------------------------------------------------------ solve --

// One solve at a time: a job, polled until it ends. A cancel (or a new
// file) is acted on by the polling loop itself, between two polls, so that
// no poll races the DELETE that ends the job.
async function solve() {
  if (!state.scenario) return;
  if (state.job) state.cancel = state.job;
  const progress = $('progress');
  const scenario = state.scenario;
  $('solve').disabled = true;
  $('cancel').disabled = false;
  show('cancel', true);
  say(progress, 'ui-solving');
  let id = null;
  try {
    const query = $('explain-all').checked ? '?explain=true' : '';
    const r = await api('POST', '/v1/jobs/solve' + query, scenarioBody());
    let job = await r.json();
    id = job.id;
    state.job = id;
    // The first polls come soon (a PALIM-size solve takes milliseconds),
    // then every 200 ms.
    for (let polls = 0; job.state === 'running'; polls++) {
      say(progress, 'ui-step', { name: label('ui-job-', job.phase), what: job.step, n: number(job.elapsed_seconds, 1) });
      await sleep(Math.min(200, 20 * 2 ** polls));
      if (state.cancel === id) {
        await api('DELETE', '/v1/jobs/' + id);
        if (state.job === id) say(progress, 'ui-cancelled');
        return;
      }
      job = await (await api('GET', '/v1/jobs/' + id)).json();
    }
    if (state.scenario !== scenario) return;
    if (job.state === 'done') {
      state.result = job.result;
      say(progress, 'ui-solved', { n: number(job.elapsed_seconds, 1) });
      renderResult();
    } else {
      const err = new Error(job.problem ? job.problem.detail : job.state);
      err.problem = job.problem;
      failure(progress, err);
    }
  } catch (err) {
    if (state.job === id) failure(progress, err);
  } finally {
    if (state.job === id) {
      state.job = null;
      $('solve').disabled = false;
      show('cancel', false);
    }
  }
}

function cancel() {
  if (!state.job) return;
  state.cancel = state.job;
  $('cancel').disabled = true;
  say($('progress'), 'ui-cancelling');
}

// ----------------------------------------------------------------- result --

// The scenario's vacancies and trainees by id, made once per scenario.
const index = { scenario: null, vacancies: new Map(), trainees: new Map() };
function indexed() {
  if (index.scenario !== state.scenario) {
    index.scenario = state.scenario;
    index.vacancies = new Map(state.scenario.vacancies.map((v) => [v.id, v]));
    index.trainees = new Map(state.scenario.trainees.map((x) => [x.id, x]));
  }
  return index;
}

function vacancyOf(id) {
  return indexed().vacancies.get(id) || {};
}

function traineeOf(id) {
  return indexed().trainees.get(id) || {};
}

function renderResult() {
  const m = state.result;
  if (!m) return;
  show('result', true);
  show('whatif', true);
  show('sweep', true);
  const unfilled = m.unfilled_positions.reduce((n, u) => n + u.open, 0);
  const cards = [
    [t('ui-card-status'), label('status-', m.status)],
    [t('ui-card-placed'), t('ui-placed-of', { n: number(m.objective.placements), total: number(state.scenario.trainees.length) })],
    [t('ui-card-score'), number(m.objective.score, 4)],
    [t('ui-card-open'), String(unfilled)],
  ];
  if (m.blocking_pairs) cards.push([t('ui-card-blocking'), String(m.blocking_pairs.length)]);
  $('cards').replaceChildren(...cards.map(([k, v], i) =>
    el('div', { class: 'card', id: 'card-' + i }, el('span', { class: 'card-label', text: k }), el('strong', { text: v }))));
  const phases = (m.solver.phases || []).map((p) =>
    t('ui-phase', { name: label('ui-priority-', p.priority), what: label('proof-', p.proof || 'trivial') }));
  $('proof').textContent = m.status === 'infeasible'
    ? (m.infeasibility ? m.infeasibility.summary || '' : '')
    : t('ui-proof', { name: m.solver.engine, what: phases.join('; ') });
  $('unstable').textContent = m.stability_conflict ? t('ui-unstable') + ' ' + m.stability_conflict.summary : '';
  show('unstable', Boolean(m.stability_conflict));
  renderDestinations(m);
  renderShares(m);
  fillFilters(m);
  renderLists();
  $('employer-pick').replaceChildren(...employers().map((e) => el('option', { value: e, text: e })));
}

function renderDestinations(m) {
  const rows = Object.entries(m.destinations).map(([code, d]) => {
    const label = (state.scenario.destinations[code] || {}).label || code;
    const max = Math.max(d.max || 0, d.positions || 0, 1);
    const bar = svg('svg', { viewBox: '0 0 200 14', width: '200', height: '14', role: 'img', 'aria-label': t('ui-quota-bar', { n: d.placed, total: d.max }) },
      svg('rect', { x: 0, y: 2, width: 200, height: 10, class: 'bar-bg' }),
      svg('rect', { x: 0, y: 2, width: (200 * d.placed / max).toFixed(1), height: 10, class: d.binding ? 'bar-binding' : 'bar' }),
      svg('line', { x1: (200 * d.max / max).toFixed(1), x2: (200 * d.max / max).toFixed(1), y1: 0, y2: 14, class: 'bar-max' }));
    return el('tr', {},
      el('th', { scope: 'row', text: label + ' (' + code + ')' }),
      el('td', { class: 'num', text: String(d.placed) }),
      el('td', { class: 'num', text: d.min + '–' + d.max }),
      el('td', { class: 'num', text: String(d.positions) }),
      el('td', {}, bar),
      el('td', { text: d.binding ? t('ui-at-bound') : '' }));
  });
  $('destinations').replaceChildren(
    el('thead', {}, el('tr', {}, ...['ui-destination', 'ui-placed', 'ui-quota', 'ui-positions', '', ''].map((k) => el('th', { scope: 'col', text: k ? t(k) : '' })))),
    el('tbody', {}, rows));
}

function renderShares(m) {
  const shares = m.group_shares || [];
  if (shares.length === 0) {
    $('shares').replaceChildren(el('tbody', {}, el('tr', {}, el('td', { text: t('ui-no-shares') }))));
    return;
  }
  const rows = shares.map((g) => el('tr', {},
    el('th', { scope: 'row', text: g.attribute + ' = ' + g.value + ' (' + g.destination + ')' }),
    el('td', { class: 'num', text: percent(g.share) }),
    el('td', { class: 'num', text: (g.min_share !== undefined && g.min_share !== null ? '≥ ' + percent(g.min_share) : '') + (g.max_share !== undefined && g.max_share !== null ? ' ≤ ' + percent(g.max_share) : '') }),
    el('td', { class: 'num', text: g.members + ' / ' + g.placed }),
    el('td', { text: g.binding ? t('ui-at-bound') : '' })));
  $('shares').replaceChildren(
    el('thead', {}, el('tr', {}, ...['ui-group', 'ui-share', 'ui-target', 'ui-members', ''].map((k) => el('th', { scope: 'col', text: k ? t(k) : '' })))),
    el('tbody', {}, rows));
}

function employers() {
  return [...new Set(state.scenario.vacancies.map((v) => v.employer))].sort();
}

function fillFilters(m) {
  const keep = (id) => $(id).value;
  const options = (id, values, labels) => {
    const before = keep(id);
    $(id).replaceChildren(el('option', { value: '', text: t('ui-all') }),
      ...values.map((v, i) => el('option', { value: v, text: labels ? labels[i] : v })));
    if (values.includes(before)) $(id).value = before;
  };
  options('filter-destination', Object.keys(m.destinations));
  options('filter-employer', employers());
  const codes = new Set();
  for (const u of m.unmatched_trainees) for (const r of u.reasons) codes.add(r.code);
  for (const u of m.unfilled_positions) for (const r of u.reasons) codes.add(r.code);
  const sorted = [...codes].sort();
  options('filter-reason', sorted, sorted.map(reasonLabel));
}

// Each list: its columns (key, header, cell) and its rows.
function lists() {
  const m = state.result;
  // With "explain everyone", each unmatched trainee's report, in one sentence.
  const explained = new Map(((m.explanations || {}).unmatched_trainees || []).map((r) => [r.trainee, r.summary]));
  const reasonsCell = (reasons) => el('ul', { class: 'reasons' }, reasonItems(reasons));
  return {
    matches: {
      columns: [
        ['trainee', 'ui-trainee', (r) => subject('trainee', r.trainee)],
        ['vacancy', 'ui-vacancy', (r) => subject('vacancy', r.vacancy)],
        ['employer', 'ui-employer', (r) => r.employer],
        ['destination', 'ui-destination', (r) => r.destination],
        ['start_date', 'ui-start', (r) => r.start_date],
        ['score', 'ui-score', (r) => number(r.score, 4)],
      ],
      rows: m.matches.map((x) => ({ ...x, reasons: [] })),
    },
    unmatched: {
      columns: [
        ['trainee', 'ui-trainee', (r) => subject('trainee', r.trainee)],
        ['eligible_somewhere', 'ui-eligible', (r) => (r.eligible_somewhere ? t('ui-yes') : t('ui-no'))],
        ['reasons', 'ui-reasons', (r) => reasonsCell(r.reasons)],
      ].concat(explained.size ? [['nearest', 'ui-nearest', (r) => r.nearest]] : []),
      // An unmatched trainee belongs to every destination they accept.
      rows: m.unmatched_trainees.map((x) => ({ ...x, employer: '', destinations: traineeOf(x.trainee).destinations || [], nearest: explained.get(x.trainee) || '' })),
    },
    open: {
      columns: [
        ['vacancy', 'ui-vacancy', (r) => subject('vacancy', r.vacancy)],
        ['employer', 'ui-employer', (r) => r.employer],
        ['destination', 'ui-destination', (r) => r.destination],
        ['open', 'ui-open', (r) => String(r.open)],
        ['reasons', 'ui-reasons', (r) => reasonsCell(r.reasons)],
      ],
      rows: m.unfilled_positions.map((x) => ({ ...x, employer: vacancyOf(x.vacancy).employer || '', destination: vacancyOf(x.vacancy).destination || '' })),
    },
  };
}

const MAX_ROWS = 500;
const LIST_TABLES = { matches: 'matches', unmatched: 'unmatched', open: 'open-positions' };

function renderLists() {
  if (!state.result) return;
  const all = lists();
  const dest = $('filter-destination').value;
  const employer = $('filter-employer').value;
  const reason = $('filter-reason').value;
  const text = $('filter-text').value.trim().toLowerCase();
  for (const [name, list] of Object.entries(all)) {
    const table = $(LIST_TABLES[name]);
    const sort = state.sort[name] || { key: list.columns[0][0], dir: 1 };
    let rows = list.rows.filter((r) =>
      (!dest || r.destination === dest || (r.destinations || []).includes(dest)) &&
      (!employer || r.employer === employer) &&
      (!reason || r.reasons.some((x) => x.code === reason)) &&
      (!text || JSON.stringify(r).toLowerCase().includes(text)));
    rows = rows.slice().sort((a, b) => {
      const x = a[sort.key];
      const y = b[sort.key];
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
      return c * sort.dir;
    });
    const head = el('tr', {}, list.columns.map(([key, label]) => {
      const active = sort.key === key;
      return el('th', { scope: 'col', 'aria-sort': active ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none' },
        el('button', {
          type: 'button', class: 'sort',
          onclick: () => { state.sort[name] = { key, dir: active ? -sort.dir : 1 }; renderLists(); },
        }, t(label), active ? (sort.dir > 0 ? ' ▲' : ' ▼') : ''));
    }));
    // A national cohort has thousands of rows: the first MAX_ROWS are drawn,
    // and the caption says so (the filters narrow the rest down).
    const body = rows.slice(0, MAX_ROWS).map((r) => el('tr', {}, list.columns.map(([, , cell]) => el('td', {}, cell(r)))));
    const caption = t('ui-rows', { n: rows.length, total: list.rows.length }) +
      (rows.length > MAX_ROWS ? ' — ' + t('ui-rows-capped', { n: MAX_ROWS }) : '');
    table.replaceChildren(el('caption', { text: caption }), el('thead', {}, head), el('tbody', {}, body));
  }
}

function selectTab(name) {
  state.tab = name;
  for (const [key] of Object.entries(LIST_TABLES)) {
    $('tab-' + key).setAttribute('aria-selected', String(key === name));
    $('tab-' + key).tabIndex = key === name ? 0 : -1;
    show('panel-' + key, key === name);
  }
}

// -------------------------------------------------------------------- why --

async function explain(kind, id, audience) {
  const panel = $('why');
  const body = $('why-body');
  say($('why-title'), kind === 'trainee' ? 'ui-why-trainee' : 'ui-why-vacancy', { name: id });
  body.replaceChildren(el('p', { class: 'progress', text: t('ui-explaining') }));
  show('why', true);
  panel.focus();
  try {
    const q = kind + '=' + encodeURIComponent(id) + (audience === 'employer' ? '&audience=employer' : '');
    const r = await api('POST', '/v1/explain?' + q, scenarioBody());
    const report = await r.json();
    state.explained = { kind, id, audience, report };
    renderExplanation();
  } catch (err) {
    failure(body, err);
  }
}

function effectItem(e) {
  const moves = (e.moves || []).slice(0, 8).map((mv) => (mv.trainee + ': ' + (mv.from || t('ui-unmatched')) + ' → ' + (mv.to || t('ui-unmatched'))));
  const delta = e.feasible
    ? t('ui-effect', { n: (e.placements_delta >= 0 ? '+' : '') + e.placements_delta, what: (e.score_delta >= 0 ? '+' : '') + number(e.score_delta, 4) })
    : t('ui-effect-infeasible');
  return el('li', {}, el('strong', { text: e.description }), ' — ', delta,
    moves.length ? el('div', { class: 'moves', text: moves.join('; ') + ((e.moves || []).length > 8 ? ' …' : '') }) : null);
}

function section(title, items) {
  if (!items || items.length === 0) return null;
  return el('div', { class: 'why-part' }, el('h3', { text: title }), el('ul', {}, items));
}

function pairButtons(trainee, vacancy) {
  return el('span', { class: 'pair-actions' },
    el('button', { type: 'button', class: 'small', text: t('ui-lock-pair', { name: trainee, what: vacancy }), onclick: () => addChange({ kind: 'lock', trainee, vacancy }) }),
    el('button', { type: 'button', class: 'small', text: t('ui-forbid-pair', { name: trainee, what: vacancy }), onclick: () => addChange({ kind: 'forbid', trainee, vacancy }) }));
}

function renderExplanation() {
  const x = state.explained;
  if (!x) return;
  const r = x.report;
  const body = $('why-body');
  const parts = [el('p', { class: 'summary', text: r.summary })];
  if (x.kind === 'trainee') {
    if (r.matched) {
      parts.push(section(t('ui-why-matched', { name: r.matched.vacancy }), r.matched.why.map((w) => el('li', { text: w }))));
      parts.push(pairButtons(r.trainee, r.matched.vacancy));
      parts.push(section(t('ui-why-higher'), r.matched.higher_choices.map((c) => el('li', {}, el('strong', { text: c.vacancy }), ' (' + c.rank + '): ' + c.reason))));
    }
    parts.push(section(t('ui-why-competition'), r.competition.map((c) => el('li', {}, subject('vacancy', c.vacancy), ' — ' + c.message + ' ', pairButtons(r.trainee, c.vacancy)))));
    parts.push(section(t('ui-why-changes'), r.changes.map(effectItem)));
    parts.push(section(t('ui-why-misses'), r.nearest_misses.map((g) => el('li', {}, el('strong', { text: g.vacancies.slice(0, 6).join(', ') + (g.vacancies.length > 6 ? ' …' : '') }), ': ' + g.needs.join('; ')))));
    if (r.if_nearest_fixed) parts.push(section(t('ui-why-if-fixed'), [effectItem(r.if_nearest_fixed)]));
  } else {
    parts.push(el('p', {}, t('ui-vacancy-facts', { name: r.employer, what: r.destination, n: r.positions, total: r.open })));
    parts.push(el('div', { class: 'row' },
      el('button', {
        type: 'button', class: 'small',
        text: x.audience === 'employer' ? t('ui-officer-view') : t('ui-employer-view'),
        onclick: () => explain('vacancy', r.vacancy, x.audience === 'employer' ? 'officer' : 'employer'),
      })));
    parts.push(section(t('ui-why-holders'), r.holders.map((h) => el('li', {}, subject('trainee', h.trainee), ' — ' + t('ui-holder', { n: number(h.score, 4), what: h.start_date }), ' ', pairButtons(h.trainee, r.vacancy)))));
    parts.push(section(t('ui-why-open'), reasonItems(r.reasons)));
    parts.push(section(t('ui-why-changes'), r.changes.map(effectItem)));
    parts.push(section(t('ui-why-nearest'), r.nearest_trainees.map((mi) => el('li', {}, subject('trainee', mi.trainee), ': ' + mi.needs.join('; ')))));
    parts.push(section(t('ui-why-ranked'), r.ranked_candidates.map((c) => el('li', {}, c.rank + '. ' + c.trainee + ': ' + c.note))));
  }
  if (r.unfinished) parts.push(el('p', { class: 'hint', text: r.unfinished }));
  body.replaceChildren(...parts.filter(Boolean));
}

// ---------------------------------------------------------------- what if --

function fillPickers() {
  const s = state.scenario;
  $('trainee-ids').replaceChildren(...s.trainees.map((x) => el('option', { value: x.id })));
  $('vacancy-ids').replaceChildren(...s.vacancies.map((v) => el('option', { value: v.id, label: v.employer })));
  for (const pick of document.querySelectorAll('.destination-pick')) {
    pick.replaceChildren(...Object.entries(s.destinations).map(([code, d]) => el('option', { value: code, text: (d.label || code) + ' (' + code + ')' })));
  }
  const paths = [];
  for (const [code, d] of Object.entries(s.destinations)) {
    paths.push(['destinations.' + code + '.max', t('ui-field-max') + ' ' + code, d.max]);
    paths.push(['destinations.' + code + '.min', t('ui-field-min') + ' ' + code, d.min || 0]);
    paths.push(['destinations.' + code + '.permit_days', t('ui-field-permit_days') + ' ' + code, d.permit_days || 0]);
  }
  if (s.max_per_employer !== undefined) paths.push(['max_per_employer', t('ui-field-cap'), s.max_per_employer]);
  $('sweep-path').replaceChildren(...paths.map(([p, label, now]) => el('option', { value: p, 'data-now': now, text: label + ' (' + now + ')' })));
  sweepDefaults();
}

function sweepDefaults() {
  const opt = $('sweep-path').selectedOptions[0];
  if (!opt) return;
  const now = Number(opt.dataset.now) || 0;
  $('sweep-from').value = Math.max(0, now - 10);
  $('sweep-to').value = now + 10;
  $('sweep-step').value = 5;
}

function describe(c) {
  switch (c.kind) {
    case 'lock': return t('ui-change-lock', { name: c.trainee, what: c.vacancy });
    case 'forbid': return t('ui-change-forbid', { name: c.trainee, what: c.vacancy });
    case 'number': return t('ui-change-set', { name: c.destination, what: label('ui-field-', c.field), n: c.value });
    case 'blackout': return t('ui-change-blackout-item', { name: c.destination, from: c.from, to: c.to });
    case 'vacancy': return t('ui-change-vacancy-item', { name: c.id, what: c.employer, n: c.positions });
    default: return '';
  }
}

function addChange(c) {
  state.changes.push(c);
  renderChanges();
  $('whatif').scrollIntoView({ block: 'start' });
}

function renderChanges() {
  const list = $('changes');
  if (state.changes.length === 0) {
    list.replaceChildren(el('li', { class: 'hint', text: t('ui-no-changes') }));
  } else {
    list.replaceChildren(...state.changes.map((c, i) => el('li', {}, describe(c), ' ',
      el('button', { type: 'button', class: 'small', text: t('ui-remove'), 'aria-label': t('ui-remove') + ': ' + describe(c), onclick: () => { state.changes.splice(i, 1); renderChanges(); } }))));
  }
  $('compare').disabled = state.changes.length === 0;
  $('download-variant').disabled = state.changes.length === 0;
}

// The what-if as a palim-variant/1 document: the base and what changes.
function variant() {
  const v = { format: 'palim-variant/1', name: t('ui-variant-name', { name: state.scenario.name || '' }), base: 'base.json', set: {} };
  for (const c of state.changes) {
    if (c.kind === 'lock' || c.kind === 'forbid') {
      const key = c.kind === 'lock' ? 'locks' : 'forbids';
      (v[key] = v[key] || []).push({ trainee: c.trainee, vacancy: c.vacancy, why: t('ui-why-by-officer') });
    } else if (c.kind === 'number') {
      v.set['destinations.' + c.destination + '.' + c.field] = c.value;
    } else if (c.kind === 'blackout') {
      const path = 'destinations.' + c.destination + '.blackouts';
      const before = v.set[path] || (state.scenario.destinations[c.destination].blackouts || []);
      v.set[path] = before.concat([{ from: c.from, to: c.to }]);
    } else if (c.kind === 'vacancy') {
      const like = vacancyOf(c.like);
      const added = { ...like, id: c.id, employer: c.employer, positions: c.positions };
      v.vacancies = v.vacancies || { add: [] };
      v.vacancies.add.push(added);
    }
  }
  if (Object.keys(v.set).length === 0) delete v.set;
  return v;
}

async function compare() {
  const progress = $('compare-progress');
  $('compare').disabled = true;
  say(progress, 'ui-comparing');
  const started = performance.now();
  try {
    const request = {
      documents: { 'base.json': state.scenario, 'variant.json': variant() },
      base: 'base.json',
      variants: ['variant.json'],
      replan: $('keep').checked,
    };
    const r = await api('POST', '/v1/compare', JSON.stringify(request));
    state.comparison = await r.json();
    say(progress, 'ui-solved', { n: number((performance.now() - started) / 1000, 1) });
    renderComparison();
  } catch (err) {
    failure(progress, err);
  } finally {
    $('compare').disabled = state.changes.length === 0;
  }
}

function renderComparison() {
  const c = state.comparison;
  if (!c) return;
  const v = c.variants[0];
  const b = c.base;
  const rows = [
    [t('ui-card-status'), label('status-', b.status), label('status-', v.column.status)],
    [t('ui-placed'), b.placements, v.column.placements],
    [t('ui-card-score'), number(b.score, 4), number(v.column.score, 4)],
    [t('ui-card-open'), b.unfilled_positions, v.column.unfilled_positions],
  ];
  for (const d of Object.keys(b.destinations)) rows.push([t('ui-placed') + ' ' + d, b.destinations[d], v.column.destinations[d]]);
  $('comparison-head').replaceChildren(
    el('thead', {}, el('tr', {}, el('th', {}), el('th', { scope: 'col', text: t('ui-base') }), el('th', { scope: 'col', text: t('ui-variant') }))),
    el('tbody', {}, rows.map(([k, x, y]) => el('tr', { class: String(x) !== String(y) ? 'changed' : '' },
      el('th', { scope: 'row', text: k }), el('td', { class: 'num', text: String(x) }), el('td', { class: 'num', text: String(y) })))));
  const people = v.people.map((p) => el('tr', { 'data-change': p.change },
    el('td', {}, subject('trainee', p.trainee)),
    el('td', { text: label('ui-person-', p.change) }),
    el('td', { text: p.from || '—' }),
    el('td', { text: p.to || '—' }),
    el('td', {}, el('ul', { class: 'reasons' }, reasonItems(p.reasons)))));
  $('comparison-people').replaceChildren(
    el('caption', { text: t('ui-people-changed', { n: v.people.length }) }),
    el('thead', {}, el('tr', {}, ['ui-trainee', 'ui-change', 'ui-before', 'ui-after', 'ui-reasons'].map((k) => el('th', { scope: 'col', text: t(k) })))),
    el('tbody', {}, people));
  show('comparison', true);
}

// ------------------------------------------------------------------ sweep --

let sweepRun = 0;

async function runSweep() {
  const path = $('sweep-path').value;
  const from = Number($('sweep-from').value);
  const to = Number($('sweep-to').value);
  const step = Number($('sweep-step').value);
  const progress = $('sweep-progress');
  if (!(step > 0) || !(to >= from)) {
    say(progress, 'ui-sweep-bad');
    return;
  }
  const values = [];
  for (let x = from; x <= to + 1e-9 && values.length < 100; x += step) values.push(Math.round(x * 1e6) / 1e6);
  const run = ++sweepRun;
  state.sweep = { path, label: $('sweep-path').selectedOptions[0].textContent, points: [], unsolved: [] };
  show('sweep-stop', true);
  let next = 0;
  let failed = null;
  const worker = async () => {
    while (next < values.length && run === sweepRun && !failed) {
      const x = values[next++];
      try {
        const r = await api('POST', '/v1/sweep', JSON.stringify({ scenario: state.scenario, vary: [path + '=' + x + '..' + x] }));
        const answer = await r.json();
        if (run !== sweepRun) return;
        state.sweep.points.push(...answer.points);
        state.sweep.points.sort((a, b) => a.values[0] - b.values[0]);
        // A point the server's time limit left without a match set.
        state.sweep.unsolved.push(...(answer.unsolved || []).map((values) => values[0]));
        say(progress, 'ui-sweep-progress', { n: state.sweep.points.length, total: values.length });
        renderSweep();
      } catch (err) {
        failed = err;
      }
    }
  };
  await Promise.all([worker(), worker()]);
  show('sweep-stop', false);
  if (failed) failure(progress, failed);
  else if (run === sweepRun && state.sweep.unsolved.length) say(progress, 'ui-sweep-unsolved', { n: state.sweep.points.length, k: state.sweep.unsolved.length });
  else if (run === sweepRun) say(progress, 'ui-sweep-done', { n: state.sweep.points.length });
}

function renderSweep() {
  const s = state.sweep;
  if (!s) return;
  const points = s.points;
  const dests = [...new Set(points.flatMap((p) => Object.keys(p.by_destination)))].sort();
  const series = [['total', (p) => p.placements], ...dests.map((d) => [d, (p) => p.by_destination[d] || 0])];
  const W = 640;
  const H = 260;
  const L = 48;
  const B = 36;
  const xs = points.map((p) => p.values[0]);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs, x0 + 1);
  const yMax = Math.max(1, ...points.map((p) => p.placements));
  const X = (x) => L + (W - L - 16) * (x - x0) / (x1 - x0);
  const Y = (y) => H - B - (H - B - 12) * y / yMax;
  const chart = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, class: 'sweep', role: 'img', 'aria-label': t('ui-sweep-chart', { name: s.label }) });
  chart.append(svg('line', { x1: L, y1: Y(0), x2: W - 16, y2: Y(0), class: 'axis' }));
  chart.append(svg('line', { x1: L, y1: Y(0), x2: L, y2: 12, class: 'axis' }));
  for (const y of [0, Math.round(yMax / 2), yMax]) chart.append(svg('text', { x: L - 6, y: Y(y) + 4, class: 'tick', 'text-anchor': 'end' }, String(y)));
  for (const x of [...new Set([x0, xs[Math.floor(xs.length / 2)], Math.max(...xs)])]) {
    if (x !== undefined && Number.isFinite(x)) chart.append(svg('text', { x: X(x), y: H - B + 16, class: 'tick', 'text-anchor': 'middle' }, String(x)));
  }
  chart.append(svg('text', { x: (L + W) / 2, y: H - 4, class: 'tick', 'text-anchor': 'middle' }, s.label));
  series.forEach(([name, value], i) => {
    const d = points.map((p, k) => (k ? 'L' : 'M') + X(p.values[0]).toFixed(1) + ' ' + Y(value(p)).toFixed(1)).join(' ');
    chart.append(svg('path', { d, class: 'series s' + i }));
    for (const p of points) chart.append(svg('circle', { cx: X(p.values[0]).toFixed(1), cy: Y(value(p)).toFixed(1), r: 3, class: 'dot s' + i }));
    chart.append(svg('text', { x: W - 120, y: 20 + 16 * i, class: 'legend s' + i }, name === 'total' ? t('ui-total') : name));
  });
  $('sweep-chart').replaceChildren(chart);
  $('sweep-table').replaceChildren(
    el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: s.label }), el('th', { scope: 'col', text: t('ui-card-status') }),
      el('th', { scope: 'col', text: t('ui-total') }), ...dests.map((d) => el('th', { scope: 'col', text: d })))),
    el('tbody', {}, [...points.map((p) => [p.values[0], p]), ...s.unsolved.map((x) => [x, null])].sort((a, b) => a[0] - b[0]).map(([x, p]) => p
      ? el('tr', {}, el('td', { class: 'num', text: String(x) }), el('td', { text: label('status-', p.status) }),
        el('td', { class: 'num', text: String(p.placements) }), ...dests.map((d) => el('td', { class: 'num', text: String(p.by_destination[d] || 0) })))
      : el('tr', {}, el('td', { class: 'num', text: String(x) }), el('td', { text: label('status-', 'not_solved') }),
        el('td', {}), ...dests.map(() => el('td', {}))))));
}

// ------------------------------------------------------------- shortlists --

let shortlistRun = 0;

function shortlistQuery() {
  const s = state.shortlists;
  return '?per_position=' + s.k + '&per_trainee=' + s.m;
}

async function runShortlist() {
  const k = Number($('sl-k').value);
  const m = Number($('sl-m').value);
  const progress = $('sl-progress');
  const run = ++shortlistRun;
  const scenario = state.scenario;
  say(progress, 'ui-sl-running');
  try {
    const r = await api('POST', '/v1/shortlist?per_position=' + k + '&per_trainee=' + m, scenarioBody());
    const lists = await r.json();
    if (run !== shortlistRun || state.scenario !== scenario) return;
    state.shortlists = { k, m, lists };
    say(progress, 'ui-sl-done', { n: number(lists.objective.places_used) });
    renderShortlists();
  } catch (err) {
    if (run === shortlistRun) failure(progress, err);
  }
}

function renderShortlists() {
  if (!state.shortlists) return;
  const s = state.shortlists.lists;
  const o = s.objective;
  show('sl-result', true);
  const cards = [
    [t('ui-card-status'), label('status-', s.status)],
    [t('ui-sl-covered'), t('ui-placed-of', { n: number(o.positions_covered), total: number(o.open_positions) })],
    [t('ui-sl-used'), t('ui-placed-of', { n: number(o.places_used), total: number(o.places_wanted) })],
    [t('ui-sl-none'), String(s.not_shortlisted.length)],
  ];
  $('sl-cards').replaceChildren(...cards.map(([k, v]) =>
    el('div', { class: 'card' }, el('span', { class: 'card-label', text: k }), el('strong', { text: v }))));
  const phases = (s.solver.phases || []).map((p) =>
    t('ui-phase', { name: label('ui-priority-', p.priority), what: label('proof-', p.proof || 'trivial') }));
  $('sl-proof').textContent = t('ui-proof', { name: s.solver.engine, what: phases.join('; ') });
  const head = (...keys) => el('thead', {}, el('tr', {}, keys.map((k) => el('th', { scope: 'col', text: t(k) }))));
  $('sl-lists').replaceChildren(
    head('ui-vacancy', 'ui-filter-employer', 'ui-sl-open', 'ui-sl-candidates', 'ui-sl-notes'),
    el('tbody', {}, s.shortlists.map((l) => {
      const notes = [
        ...(l.held_by || []).map((h) => t('ui-sl-held', { name: h.trainee, what: h.how })),
        ...((l.interviewed_before || []).length ? [t('ui-sl-before', { name: l.interviewed_before.join(', ') })] : []),
      ];
      const candidates = l.candidates.length
        ? el('ol', { class: 'candidates' }, l.candidates.map((c) =>
          el('li', { title: c.why.join(' ') }, c.trainee + ' · ' + number(c.score, 4) + ' · ' + c.start_date)))
        : el('span', { class: 'hint', text: t('ui-sl-nobody') });
      return el('tr', {}, el('td', { text: l.vacancy }), el('td', { text: l.employer }),
        el('td', { class: 'num', text: l.open + ' / ' + l.positions }), el('td', {}, candidates),
        el('td', {}, notes.join('; ')));
    })));
  $('sl-none').replaceChildren(
    head('ui-trainee', 'ui-sl-why'),
    el('tbody', {}, s.not_shortlisted.map((n) =>
      el('tr', {}, el('td', { text: n.trainee }), el('td', {}, el('ul', { class: 'reasons' }, reasonItems(n.reasons)))))));
}

// -------------------------------------------------------------- downloads --

async function download(path, name, button, where) {
  const before = button.textContent;
  button.disabled = true;
  button.textContent = t('ui-preparing');
  try {
    const r = await api('POST', path, scenarioBody());
    saveBlob(await r.blob(), name);
  } catch (err) {
    failure(where || $('progress'), err);
  } finally {
    button.disabled = false;
    button.textContent = before;
  }
}

function downloadJson(value, name) {
  saveBlob(new Blob([JSON.stringify(value, null, 2) + '\n'], { type: 'application/json' }), name);
}

// ------------------------------------------------------------------ wiring --

function wire() {
  const drop = $('drop');
  $('file').addEventListener('change', (e) => openFiles(e.target.files));
  $('pick').addEventListener('click', () => $('file').click());
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); openFiles(e.dataTransfer.files); });
  $('lang').addEventListener('change', () => {
    state.lang = $('lang').value;
    applyWords();
    if (state.scenario) { fillPickers(); renderChanges(); }
    renderResult();
    renderExplanation();
    renderComparison();
    renderSweep();
    renderShortlists();
  });
  $('solve').addEventListener('click', solve);
  $('cancel').addEventListener('click', cancel);
  for (const key of Object.keys(LIST_TABLES)) $('tab-' + key).addEventListener('click', () => selectTab(key));
  document.querySelector('.tabs').addEventListener('keydown', (e) => {
    const keys = Object.keys(LIST_TABLES);
    const i = keys.indexOf(state.tab);
    const j = e.key === 'ArrowRight' ? (i + 1) % keys.length : e.key === 'ArrowLeft' ? (i + keys.length - 1) % keys.length : -1;
    if (j >= 0) { selectTab(keys[j]); $('tab-' + keys[j]).focus(); }
  });
  for (const id of ['filter-destination', 'filter-employer', 'filter-reason']) $(id).addEventListener('change', renderLists);
  $('filter-text').addEventListener('input', renderLists);
  $('why-close').addEventListener('click', () => { show('why', false); state.explained = null; });
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && !$('why').hidden) { show('why', false); state.explained = null; } });
  $('download-workbook').addEventListener('click', (e) => download('/v1/solve/workbook?lang=' + state.lang, 'palim-result-' + state.lang + '.xlsx', e.target));
  $('download-report').addEventListener('click', (e) => download('/v1/solve/report?lang=' + state.lang, 'palim-report-' + state.lang + '.html', e.target));
  $('download-employer').addEventListener('click', (e) => download('/v1/solve/workbook?lang=' + state.lang + '&employer=' + encodeURIComponent($('employer-pick').value), 'palim-employer.xlsx', e.target));
  $('download-json').addEventListener('click', () => downloadJson(state.result, 'palim-result.json'));
  $('form-shortlist').addEventListener('submit', (e) => { e.preventDefault(); runShortlist(); });
  $('sl-download-workbook').addEventListener('click', (e) => download('/v1/shortlist/workbook' + shortlistQuery() + '&lang=' + state.lang, 'palim-shortlists-' + state.lang + '.xlsx', e.target, $('sl-progress')));
  $('sl-download-report').addEventListener('click', (e) => download('/v1/shortlist/report' + shortlistQuery() + '&lang=' + state.lang, 'palim-shortlists-' + state.lang + '.html', e.target, $('sl-progress')));
  $('sl-download-json').addEventListener('click', () => downloadJson(state.shortlists.lists, 'palim-shortlists.json'));
  $('download-variant').addEventListener('click', () => downloadJson(variant(), 'variant.json'));
  $('compare').addEventListener('click', compare);
  $('form-pair').addEventListener('submit', (e) => {
    e.preventDefault();
    addChange({ kind: $('pair-kind').value, trainee: $('pair-trainee').value.trim(), vacancy: $('pair-vacancy').value.trim() });
  });
  $('form-number').addEventListener('submit', (e) => {
    e.preventDefault();
    addChange({ kind: 'number', destination: $('number-destination').value, field: $('number-field').value, value: Number($('number-value').value) });
  });
  $('form-blackout').addEventListener('submit', (e) => {
    e.preventDefault();
    addChange({ kind: 'blackout', destination: $('blackout-destination').value, from: $('blackout-from').value, to: $('blackout-to').value });
  });
  $('form-vacancy').addEventListener('submit', (e) => {
    e.preventDefault();
    addChange({ kind: 'vacancy', like: $('vacancy-like').value.trim(), id: $('vacancy-id').value.trim(), employer: $('vacancy-employer').value.trim(), positions: Number($('vacancy-positions').value) });
  });
  $('sweep-path').addEventListener('change', sweepDefaults);
  $('form-sweep').addEventListener('submit', (e) => { e.preventDefault(); runSweep(); });
  $('sweep-stop').addEventListener('click', () => { sweepRun++; show('sweep-stop', false); say($('sweep-progress'), 'ui-cancelled'); });
}

applyWords();
wire();
renderChanges();
