// The officer's page, used as an officer would, in Debian's chromium driven by
// Playwright (playwright-core: no browser download). scripts/browser-tests.sh
// starts the real `palim serve` on a loopback port and passes:
//   PALIM_URL        the server, e.g. http://127.0.0.1:40123
//   WORKBOOK         the bundled baseline as a workbook (palim convert)
//   BROKEN           a scenario with mistakes, to see its problems
//   MEDIUM           a 1,000 × 400 scenario, whose full explanation takes minutes
//   EXPECTED         the CLI's match set of the baseline (JSON file)
//   T025             the CLI's explanation of T025 (JSON file)
//   SHORTLIST        the CLI's shortlists of the baseline, K = 3, M = 4 (JSON file)
//   OUT              where screenshots and downloads go
// Every step is a screenshot in OUT. The run fails on any request outside the
// server, any console error or page error, and any failed expectation.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';

const base = process.env.PALIM_URL;
const out = process.env.OUT;
const expected = JSON.parse(fs.readFileSync(process.env.EXPECTED, 'utf8'));
const t025 = JSON.parse(fs.readFileSync(process.env.T025, 'utf8'));
const shortlist = JSON.parse(fs.readFileSync(process.env.SHORTLIST, 'utf8'));
fs.mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  // As root, without a sandbox; and none of chromium's own calls home,
  // which this machine's closed network refuses.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// Watches a page: requests outside the server (blocked, and counted), console
// errors, uncaught errors, failed loads.
function watch(page) {
  // `http`: answers of 400 and above. Chromium logs each as a console error
  // too; those are counted here instead, and the test says which it expects.
  const seen = { outside: [], errors: [], http: [] };
  page.on('response', (r) => { if (r.status() >= 400) seen.http.push(r.status() + ' ' + new URL(r.url()).pathname); });
  page.on('request', (r) => {
    const url = r.url();
    if (!(url.startsWith(base + '/') || url.startsWith('data:') || url.startsWith('blob:' + base))) seen.outside.push(url);
  });
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (/^Failed to load resource: the server responded with a status of \d+/.test(m.text())) return;
    seen.errors.push('console: ' + m.text());
  });
  page.on('pageerror', (e) => seen.errors.push('page error: ' + e.message));
  page.on('requestfailed', (r) => {
    if (!r.url().startsWith('blob:')) seen.errors.push('failed: ' + r.url() + ' ' + (r.failure() || {}).errorText);
  });
  return seen;
}

async function newPage(options) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 }, ...options });
  // Nothing leaves the machine, even if the page tried.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(base + '/') || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    return route.abort();
  });
  const page = await context.newPage();
  return { context, page, seen: watch(page) };
}

let step = 0;
async function shot(page, name) {
  step += 1;
  const file = path.join(out, String(step).padStart(2, '0') + '-' + name + '.png');
  await page.screenshot({ path: file, fullPage: false });
  console.log('  screenshot ' + file);
}

const results = [];
async function check(name, body) {
  try {
    await body();
    results.push(['ok', name]);
    console.log('ok   ' + name);
  } catch (err) {
    results.push(['FAIL', name]);
    console.log('FAIL ' + name + '\n' + (err.stack || err));
  }
}

const { context, page, seen } = await newPage({ locale: 'en-GB' });

await check('the page opens in the browser\'s language, with nothing loaded from elsewhere', async () => {
  await page.goto(base + '/');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.locator('#open-title').textContent(), '1. Open a scenario');
  await shot(page, 'open');
});

await check('the baseline workbook opens and solves: as many placed as the command line says', async () => {
  await page.setInputFiles('#file', process.env.WORKBOOK);
  await page.locator('#card-1').waitFor({ timeout: 60000 });
  const placed = expected.objective.placements;
  assert.equal(await page.locator('#card-1 strong').textContent(), `${placed} of 120`);
  assert.equal(await page.locator('#card-0 strong').textContent(), 'optimal');
  assert.match(await page.locator('#proof').textContent(), /Proven by/);
  // The tables hold exactly the API's rows.
  assert.match(await page.locator('#matches caption').textContent(), new RegExp(`^${expected.matches.length} of ${expected.matches.length} rows`));
  const destinations = await page.locator('#destinations tbody tr').count();
  assert.equal(destinations, Object.keys(expected.destinations).length);
  await shot(page, 'match-set');
});

await check('the lists filter and sort', async () => {
  await page.selectOption('#filter-destination', 'BE');
  const be = expected.matches.filter((m) => m.destination === 'BE').length;
  assert.match(await page.locator('#matches caption').textContent(), new RegExp(`^${be} of `));
  await page.locator('#matches thead button', { hasText: 'Score' }).click();
  await page.locator('#matches thead button', { hasText: 'Score' }).click();
  const best = expected.matches.filter((m) => m.destination === 'BE').sort((a, b) => b.score - a.score)[0];
  assert.equal(await page.locator('#matches tbody tr').first().locator('td').first().textContent(), best.trainee);
  await page.selectOption('#filter-destination', '');
});

await check("T025's explanation says what the API says", async () => {
  // By keyboard: the tab, the arrow to the next tab, Enter on the trainee.
  await page.locator('#tab-matches').focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.locator('#tab-unmatched').getAttribute('aria-selected'), 'true');
  await page.locator('#unmatched button.link', { hasText: /^T025$/ }).focus();
  await page.keyboard.press('Enter');
  await page.locator('#why-body .summary').waitFor({ timeout: 60000 });
  assert.equal(await page.locator('#why-body .summary').textContent(), t025.summary);
  const misses = await page.locator('#why-body .why-part', { hasText: 'Nearest misses' }).locator('li').count();
  assert.equal(misses, t025.nearest_misses.length);
  await shot(page, 'why-T025');
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('#why').isVisible(), false);
});

// The match of the first trainee the API placed, forbidden from the page.
const first = [...expected.matches].sort((a, b) => a.trainee.localeCompare(b.trainee))[0];

await check(`forbidding ${first.trainee} at ${first.vacancy} gives a comparison, person by person`, async () => {
  await page.locator('#tab-matches').click();
  await page.locator('#matches button.link', { hasText: new RegExp(`^${first.trainee}$`) }).first().click();
  await page.locator('#why-body .summary').waitFor({ timeout: 60000 });
  await page.locator('#why-body button', { hasText: `Forbid ${first.trainee} at ${first.vacancy}` }).first().click();
  await page.locator('#why-close').click();
  assert.equal(await page.locator('#changes li').first().textContent().then((s) => s.startsWith(`forbid ${first.trainee} at ${first.vacancy}`)), true);
  await page.locator('#compare').click();
  await page.locator('#comparison').waitFor({ state: 'visible', timeout: 60000 });
  const row = page.locator('#comparison-people tbody tr', { hasText: first.trainee }).first();
  assert.equal(await row.locator('td').nth(2).textContent(), first.vacancy);
  assert.notEqual(await row.locator('td').nth(3).textContent(), first.vacancy);
  await page.locator('#comparison').scrollIntoViewIfNeeded();
  await shot(page, 'comparison');
});

await check("a change the scenario cannot take gets the server's problem, in words", async () => {
  await page.fill('#pair-trainee', 'T999');
  await page.fill('#pair-vacancy', first.vacancy);
  await page.selectOption('#pair-kind', 'lock');
  await page.locator('#form-pair button[type=submit]').click();
  await page.locator('#compare').click();
  const problem = page.locator('#compare-progress .error');
  await problem.waitFor({ timeout: 60000 });
  assert.match(await page.locator('#compare-progress').textContent(), /T999/);
  // Taken back: the list holds the forbid alone again.
  await page.locator('#changes li', { hasText: 'T999' }).locator('button').click();
  assert.equal(await page.locator('#changes li').count(), 1);
});

await check('the variant downloads as palim-variant/1', async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download-variant').click()]);
  const file = path.join(out, 'variant.json');
  await download.saveAs(file);
  const v = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(v.format, 'palim-variant/1');
  assert.deepEqual(v.forbids.map((f) => [f.trainee, f.vacancy]), [[first.trainee, first.vacancy]]);
});

await check('every kind of change at once: the page shows what the command line computes', async () => {
  await page.selectOption('#number-destination', 'BE');
  await page.selectOption('#number-field', 'max');
  await page.fill('#number-value', '31');
  await page.locator('#form-number button[type=submit]').click();
  await page.selectOption('#blackout-destination', 'MA');
  await page.fill('#blackout-from', '2020-05-01');
  await page.fill('#blackout-to', '2020-05-10');
  await page.locator('#form-blackout button[type=submit]').click();
  await page.fill('#vacancy-like', 'BE-02');
  await page.fill('#vacancy-id', 'BE-99');
  await page.fill('#vacancy-employer', 'Gentse Nieuwe Software NV');
  await page.fill('#vacancy-positions', '2');
  await page.locator('#form-vacancy button[type=submit]').click();
  assert.equal(await page.locator('#changes li').count(), 4);
  await page.locator('#compare').click();
  await page.locator('#comparison-head tbody tr').first().waitFor({ timeout: 60000 });
  await page.locator('#compare-progress', { hasText: /^Done/ }).waitFor({ timeout: 60000 });
  // What the page shows, for scripts/browser-tests.sh to hold against `palim compare --replan`.
  const people = await page.locator('#comparison-people tbody tr').evaluateAll((rows) =>
    rows.map((r) => [r.querySelector('td').textContent, r.dataset.change, r.children[2].textContent, r.children[3].textContent]));
  const placed = await page.locator('#comparison-head tbody tr').nth(1).locator('td').allTextContents();
  fs.writeFileSync(path.join(out, 'comparison-page.json'), JSON.stringify({ placed, people }, null, 1));
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download-variant').click()]);
  await download.saveAs(path.join(out, 'variant-all.json'));
  await page.locator('#comparison').scrollIntoViewIfNeeded();
  await shot(page, 'every-change');
});

await check('switching to Dutch changes the words, not the answer', async () => {
  await page.selectOption('#lang', 'nl');
  assert.equal(await page.locator('html').getAttribute('lang'), 'nl');
  assert.equal(await page.locator('#result-title').textContent(), '2. De matching');
  assert.equal(await page.locator('#card-1 strong').textContent(), `${expected.objective.placements} van 120`);
  assert.equal(await page.locator('#card-0 strong').textContent(), 'optimaal');
  await page.locator('#result-title').scrollIntoViewIfNeeded();
  await shot(page, 'dutch');
});

await check('the results workbook downloads, in Dutch', async () => {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), page.locator('#download-workbook').click()]);
  const file = path.join(out, 'palim-result-nl.xlsx');
  await download.saveAs(file);
  const head = fs.readFileSync(file).subarray(0, 2).toString();
  assert.equal(head, 'PK');
});

await check("an employer's sheet downloads on its own", async () => {
  const employer = first.employer;
  await page.selectOption('#employer-pick', employer);
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), page.locator('#download-employer').click()]);
  await download.saveAs(path.join(out, 'palim-employer.xlsx'));
});

await check('a sweep draws its points as they come', async () => {
  await page.selectOption('#sweep-path', 'destinations.BE.max');
  await page.fill('#sweep-from', '20');
  await page.fill('#sweep-to', '40');
  await page.fill('#sweep-step', '5');
  await page.locator('#form-sweep button[type=submit]').click();
  await page.locator('#sweep-table tbody tr').nth(4).waitFor({ timeout: 60000 });
  assert.equal(await page.locator('#sweep-table tbody tr').count(), 5);
  // At the baseline's own quota the sweep gives the baseline's answer.
  const at30 = page.locator('#sweep-table tbody tr', { hasText: /^30/ });
  assert.equal(await at30.locator('td').nth(2).textContent(), String(expected.objective.placements));
  await page.locator('#sweep').scrollIntoViewIfNeeded();
  await shot(page, 'sweep');
});

await check('a sweep past the time limit shows the points it did not solve, and says so', async () => {
  // Every point asked of the real server with a time limit it cannot keep.
  await page.route('**/v1/sweep', (route) => route.continue({ url: route.request().url() + '?time_limit=0.000001' }));
  try {
    await page.fill('#sweep-from', '20');
    await page.fill('#sweep-to', '30');
    await page.fill('#sweep-step', '5');
    await page.locator('#form-sweep button[type=submit]').click();
    // In the page's language at this point (an earlier check chose Dutch).
    const words = {
      en: ['0 points solved; 3 not solved within the time limit', 'not solved within the time limit'],
      nl: ['0 punten opgelost; 3 niet opgelost binnen de tijdslimiet', 'niet opgelost binnen de tijdslimiet'],
    }[await page.locator('html').getAttribute('lang')];
    // Polled: the page's content security policy refuses waitForFunction.
    for (const until = Date.now() + 60000; !(await page.locator('#sweep-progress').textContent()).includes(words[0]);) {
      if (Date.now() > until) throw new Error('no word of the points not solved: ' + await page.locator('#sweep-progress').textContent());
      await page.waitForTimeout(100);
    }
    const rows = page.locator('#sweep-table tbody tr');
    assert.equal(await rows.count(), 3);
    assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => [tr.children[0].textContent, tr.children[1].textContent, tr.children[2].textContent])),
      [['20', words[1], ''], ['25', words[1], ''], ['30', words[1], '']]);
    await page.locator('#sweep').scrollIntoViewIfNeeded();
    await shot(page, 'sweep-unsolved');
  } finally {
    await page.unroute('**/v1/sweep');
  }
});

await check('interview shortlists, in Dutch: the command line\'s, and their workbook downloads', async () => {
  await page.fill('#sl-k', '3');
  await page.fill('#sl-m', '4');
  await page.locator('#form-shortlist button[type=submit]').click();
  await page.locator('#sl-lists tbody tr').first().waitFor({ timeout: 60000 });
  assert.equal(await page.locator('#sl-lists tbody tr').count(), shortlist.shortlists.length);
  // Every vacancy's candidates, in the command line's order.
  const shown = await page.locator('#sl-lists tbody tr').evaluateAll((rows) =>
    rows.map((r) => [r.children[0].textContent, [...r.querySelectorAll('ol.candidates li')].map((li) => li.textContent.split(' · ')[0])]));
  assert.deepEqual(shown, shortlist.shortlists.map((l) => [l.vacancy, l.candidates.map((c) => c.trainee)]));
  const o = shortlist.objective;
  assert.equal(await page.locator('#sl-cards .card').nth(1).locator('strong').textContent(), `${o.positions_covered} van ${o.open_positions}`);
  assert.equal(await page.locator('#sl-none tbody tr').count(), shortlist.not_shortlisted.length);
  assert.match(await page.locator('#sl-proof').textContent(), /meeste open plaatsen gedekt/);
  await page.locator('#interviews').scrollIntoViewIfNeeded();
  await shot(page, 'shortlists-nl');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), page.locator('#sl-download-workbook').click()]);
  await download.saveAs(path.join(out, 'palim-shortlists-nl.xlsx'));
});

await check('a scenario with mistakes lists them, and a click shows the place', async () => {
  await page.selectOption('#lang', 'en');
  await page.setInputFiles('#file', process.env.BROKEN);
  await page.locator('#problem-list li').first().waitFor({ timeout: 30000 });
  await page.locator('#problem-list button').first().click();
  await page.locator('#place .here').waitFor();
  await page.locator('#problems').scrollIntoViewIfNeeded();
  await shot(page, 'problems');
});

await check('a long solve shows its step, and a cancel stops it on the server', async () => {
  await page.check('#explain-all');
  await page.setInputFiles('#file', process.env.MEDIUM);
  await page.locator('#cancel').waitFor({ state: 'visible', timeout: 30000 });
  // "Solving: min-cost flow on 183465 pairs (1.2 s)": the solver's own step.
  await page.locator('#progress', { hasText: /pairs \(\d/ }).waitFor({ timeout: 30000 });
  await shot(page, 'progress');
  await page.locator('#cancel').click();
  await page.locator('#progress', { hasText: /^Cancelled\.$/ }).waitFor();
  assert.equal(await page.locator('#result').isVisible(), false);
  // The job's deadline is the server's 60 s; a cancel frees the worker well
  // before it (not at once: a HiGHS call already running ends within the
  // time it was given).
  const until = Date.now() + 45000;
  for (;;) {
    const health = await (await fetch(base + '/healthz')).json();
    if (health.solving === 0) break;
    assert.ok(Date.now() < until, 'the server still solves 45 s after the cancel');
    await new Promise((r) => setTimeout(r, 200));
  }
  await page.uncheck('#explain-all');
});

await check('the page asked nothing of any other server and logged no error', async () => {
  assert.deepEqual(seen.outside, []);
  assert.deepEqual(seen.errors, []);
  // The answers above 399: the change the scenario cannot take, the
  // scenario with mistakes.
  assert.deepEqual(seen.http, ['422 /v1/compare', '422 /v1/convert']);
});
await context.close();

// The checks themselves can fail: a page that asks elsewhere and logs an error is caught.
await check('control: a request elsewhere and a console error are caught', async () => {
  const control = await newPage({});
  await control.page.goto(base + '/');
  await control.page.evaluate(() => {
    console.error('planted error');
    const img = document.createElement('img');
    img.src = 'https://example.org/planted.png';
    document.body.append(img);
  });
  await control.page.waitForTimeout(300);
  assert.equal(control.seen.outside.length >= 1, true, 'the outside request was not seen');
  assert.equal(control.seen.errors.some((e) => e.includes('planted error')), true, 'the console error was not seen');
  await control.context.close();
});

// Accessibility basics, checked by axe-core (WCAG 2 A and AA: labels, names,
// contrast, landmarks, keyboard) on the match set with an explanation open.
// Its script is injected, so this page alone runs without the CSP.
await check('axe-core finds no WCAG 2 A or AA violation', async () => {
  const a = await newPage({ locale: 'nl-BE', bypassCSP: true });
  await a.page.goto(base + '/');
  await a.page.setInputFiles('#file', process.env.WORKBOOK);
  await a.page.locator('#card-1').waitFor({ timeout: 60000 });
  await a.page.locator('#tab-unmatched').click();
  await a.page.locator('#unmatched button.link', { hasText: /^T025$/ }).click();
  await a.page.locator('#why-body .summary').waitFor({ timeout: 60000 });
  await a.page.addScriptTag({ path: new URL('./node_modules/axe-core/axe.min.js', import.meta.url).pathname });
  const found = await a.page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
  });
  assert.deepEqual(found, []);
  await a.context.close();
});

// A server with a token: the page asks for it once, then works.
if (process.env.PALIM_TOKEN_URL) {
  await check('a server with a token asks for it once', async () => {
    const tokenBase = process.env.PALIM_TOKEN_URL;
    const ctx = await browser.newContext({ locale: 'fr-BE' });
    const p = await ctx.newPage();
    const s = { errors: [] };
    p.on('pageerror', (e) => s.errors.push(e.message));
    await p.goto(tokenBase + '/');
    assert.equal(await p.locator('html').getAttribute('lang'), 'fr');
    await p.setInputFiles('#file', process.env.WORKBOOK);
    await p.locator('#token-dialog').waitFor({ state: 'visible' });
    await p.fill('#token', process.env.PALIM_TOKEN);
    await p.locator('#token-form button').click();
    await p.locator('#card-1').waitFor({ timeout: 60000 });
    assert.equal(await p.locator('#card-1 strong').textContent(), `${expected.objective.placements} sur 120`);
    assert.equal(await p.locator('#token-dialog').isVisible(), false);
    await shot(p, 'token-fr');
    assert.deepEqual(s.errors, []);
    await ctx.close();
  });
}

// How fast the page is for an officer, in this browser on this machine:
// medians of RUNS, printed as a table (BENCHMARKS.md quotes it). Not a test:
// nothing here can fail on time.
{
  const runs = Number(process.env.RUNS || 5);
  const { context: c, page: p } = await newPage({ locale: 'en-GB' });
  const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const timings = { load: [], open: [], why: [], compare: [], medium: [] };
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    await p.goto(base + '/');
    await p.locator('#pick').waitFor();
    timings.load.push(performance.now() - t0);
    t0 = performance.now();
    await p.setInputFiles('#file', process.env.WORKBOOK);
    await p.locator('#matches tbody tr').first().waitFor({ timeout: 60000 });
    timings.open.push(performance.now() - t0);
    t0 = performance.now();
    await p.locator('#tab-unmatched').click();
    await p.locator('#unmatched button.link', { hasText: /^T025$/ }).click();
    await p.locator('#why-body .summary').waitFor({ timeout: 60000 });
    timings.why.push(performance.now() - t0);
    await p.locator('#why-close').click();
    await p.fill('#pair-trainee', first.trainee);
    await p.fill('#pair-vacancy', first.vacancy);
    await p.locator('#form-pair button[type=submit]').click();
    t0 = performance.now();
    await p.locator('#compare').click();
    await p.locator('#comparison-people tbody tr').first().waitFor({ timeout: 60000 });
    timings.compare.push(performance.now() - t0);
    t0 = performance.now();
    await p.setInputFiles('#file', process.env.MEDIUM);
    await p.locator('#card-1 strong', { hasText: /^\d+ of 1,000$/ }).waitFor({ timeout: 60000 });
    timings.medium.push(performance.now() - t0);
  }
  const weight = ['/', '/assets/palim.js', '/assets/palim.css'];
  let bytes = 0;
  for (const path of weight) bytes += (await (await fetch(base + path)).arrayBuffer()).byteLength;
  await c.close();
  const row = (what, xs) => `| ${what} | ${median(xs).toFixed(0)} | ${Math.min(...xs).toFixed(0)} | ${Math.max(...xs).toFixed(0)} |`;
  console.log(`\nThe page in chromium, PALIM baseline, ${runs} runs (ms):\n`);
  console.log('| step | median | min | max |\n|---|---:|---:|---:|');
  console.log(row('page loaded (HTML, script, style: ' + (bytes / 1024).toFixed(0) + ' KiB uncompressed)', timings.load));
  console.log(row('workbook dropped → match set on screen (convert, solve job, tables)', timings.open));
  console.log(row("T025's explanation on screen", timings.why));
  console.log(row('a forbid solved and compared, person by person', timings.compare));
  console.log(row('1,000 × 400 JSON dropped → match set on screen (first 500 rows drawn)', timings.medium));
}

await browser.close();
const failed = results.filter(([r]) => r !== 'ok');
console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
