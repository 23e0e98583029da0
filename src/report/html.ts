// The HTML conformance report (`cmr conformance --html`, `cmr wast --html`):
// one self-contained page made from the same Report the JSON report is
// (wast/report.ts), so the two never disagree. Inline CSS and JS, nothing
// fetched. Tables for suites, engines and files; every failure, mismatch
// and skip with its directive's text, expected and got, and the reason;
// filters by engine and outcome.
//
// Skips can number tens of thousands (a whole SIMD suite on an engine that
// does not run SIMD), so they are grouped by reason in collapsed <details>;
// a group's rows are built from the page's embedded data when it is first
// opened, a thousand at a time, so the page opens at once and every skip
// is still in it.

import type { EngineName } from '../wast/compare.js';
import { conformanceRows, summaryLine, type Counts, type FailureRecord, type Report } from '../wast/report.js';
import { PAGE_SCRIPT } from './html-script.js';
import { PAGE_STYLE } from './html-style.js';

export interface HtmlOptions {
  title?: string;
  /** What was run, shown under the title (the command line). */
  command?: string;
  /** When, shown under the title. */
  generated?: Date;
}

/** The outcome classes the filters select on. */
export type OutcomeClass = 'failure' | 'expected' | 'mismatch' | 'skip' | 'unexpected-pass';

const OUTCOME_LABELS: Record<OutcomeClass, string> = {
  failure: 'unexpected failures',
  expected: 'expected failures',
  mismatch: 'mismatches',
  skip: 'skips',
  'unexpected-pass': 'unexpected passes',
};

const ONE_OF: Record<OutcomeClass, string> = {
  failure: 'unexpected failure',
  expected: 'expected failure',
  mismatch: 'mismatch',
  skip: 'skip',
  'unexpected-pass': 'unexpected pass',
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON inside a <script> element: `<` escaped so no text can close the element. */
function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The outcome class of a failure record. */
export function outcomeOf(f: FailureRecord): OutcomeClass {
  if (f.engine === 'both' && f.directive !== 'file') return 'mismatch';
  return f.expectedBecause ? 'expected' : 'failure';
}

export function htmlReport(rep: Report, opts: HtmlOptions = {}): string {
  const title = opts.title ?? 'cmr conformance report';
  const counts = outcomeCounts(rep);
  const engines: (EngineName | 'both')[] = [...rep.engines, 'both'];
  // Expected failures (thousands in a full run) and skips (tens of
  // thousands) are grouped by reason; a group's rows are built when it opens.
  const expectedGroups = groupBy(rep.failures.filter((f) => outcomeOf(f) === 'expected'), (f) => f.expectedBecause!);
  const skipGroups = groupBy(rep.skips, (s) => s.reason);
  const groups: LazyGroup[] = [
    ...expectedGroups.map((g) => ({ outcome: 'expected' as const, reason: g.reason, entries: g.entries.map((f) => [f.file, f.line, f.directive, f.engine, f.expected ?? '', f.got ?? '']) })),
    ...skipGroups.map((g) => ({ outcome: 'skip' as const, reason: g.reason, entries: g.entries.map((s) => [s.file, s.line, s.directive, s.engine]) })),
  ];
  const data = { engines: rep.engines, sources: rep.sources, groups };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}${filterStyle(engines)}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="summary" id="summary-line">${escapeHtml(summaryLine(rep))}</p>
<p class="meta">${[
    `engines: ${rep.engines.map(escapeHtml).join(', ')}`,
    plural(rep.files.length, 'file'),
    rep.totals.mismatches ? `${rep.totals.mismatches} mismatches between engines` : '',
    rep.totals.expectedFailures ? `${rep.totals.expectedFailures} expected failures` : '',
    opts.command ? `<code>${escapeHtml(opts.command)}</code>` : '',
    opts.generated ? `generated ${escapeHtml(opts.generated.toISOString())}` : '',
  ].filter(Boolean).join(' · ')}</p>
<p class="toc"><a href="#suites">by suite</a> · <a href="#files">by file</a> · <a href="#failures">failures and mismatches</a> · <a href="#expected">expected failures</a> · <a href="#skips">skips</a></p>
</header>
<nav id="filters" aria-label="filters">
<fieldset><legend>engine</legend>${engines.map((e) => checkbox('engine', e, e === 'both' ? 'both (mismatches, unreadable files)' : e)).join('')}</fieldset>
<fieldset><legend>outcome</legend>${(Object.keys(OUTCOME_LABELS) as OutcomeClass[]).map((o) => checkbox('outcome', o, `${OUTCOME_LABELS[o]} (${counts[o]})`)).join('')}</fieldset>
<fieldset><legend>files</legend><label><input type="checkbox" id="problem-files-only"> only files with failures, mismatches or skips</label></fieldset>
</nav>
<main>
${suiteSection(rep)}
${fileSection(rep)}
${failureSection(rep, groups)}
${skipSection(rep, groups)}
</main>
<script type="application/json" id="report-data">${scriptJson(data)}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

function checkbox(filter: 'engine' | 'outcome', value: string, label: string): string {
  return `<label><input type="checkbox" data-filter="${filter}" value="${escapeHtml(value)}" checked> ${escapeHtml(label)}</label>`;
}

/** One CSS rule per filter value: the script only toggles classes on <body>, the browser hides the rows. */
function filterStyle(engines: string[]): string {
  const rules = engines.map((e) => `body.hide-engine-${e} [data-engine="${e}"]`);
  rules.push(...(Object.keys(OUTCOME_LABELS) as OutcomeClass[]).map((o) => `body.hide-outcome-${o} [data-outcome="${o}"]`));
  rules.push('body.problem-files-only tr[data-clean]');
  return `\n${rules.join(',\n')} { display: none; }\n`;
}

function outcomeCounts(rep: Report): Record<OutcomeClass, number> {
  const c: Record<OutcomeClass, number> = { failure: 0, expected: 0, mismatch: 0, skip: rep.skips.length, 'unexpected-pass': rep.unexpectedPasses.length };
  for (const f of rep.failures) c[outcomeOf(f)]++;
  return c;
}

/** A bar of passed, failed and skipped, widths in proportion. */
function bar(c: Counts): string {
  const total = c.passed + c.failed + c.skipped;
  if (total === 0) return '<div class="bar empty" title="no directives"></div>';
  const pct = (n: number) => `${((100 * n) / total).toFixed(2)}%`;
  const part = (cls: string, n: number, word: string) => (n === 0 ? '' : `<span class="${cls}" style="width:${pct(n)}" title="${n} ${word}"></span>`);
  return `<div class="bar" role="img" aria-label="${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped">${part('pass', c.passed, 'passed')}${part('fail', c.failed, 'failed')}${part('skip', c.skipped, 'skipped')}</div>`;
}

function countCells(c: Counts): string {
  return `<td class="n">${c.passed}</td><td class="n${c.failed ? ' bad' : ''}">${c.failed}</td><td class="n">${c.skipped}</td>`;
}

const LEGEND = '<p class="legend">bars:<i class="pass"></i>passed<i class="fail"></i>failed (expected or not)<i class="skip"></i>skipped</p>';

function suiteSection(rep: Report): string {
  const rows = conformanceRows(rep).map((r) => `<tr data-engine="${escapeHtml(r.engine)}"><td>${escapeHtml(r.suite)}</td><td>${escapeHtml(r.engine)}</td><td class="n">${r.files}</td>${countCells(r.counts)}<td class="n${r.mismatches ? ' bad' : ''}">${r.mismatches}</td><td class="barcell">${bar(r.counts)}</td></tr>`);
  return `<section id="suites"><h2>By suite and engine</h2>
${LEGEND}
<table id="suite-table"><thead><tr><th>suite</th><th>engine</th><th class="n">files</th><th class="n">passed</th><th class="n">failed</th><th class="n">skipped</th><th class="n">mismatches</th><th></th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></section>`;
}

function fileSection(rep: Report): string {
  const rows: string[] = [];
  for (const f of rep.files) {
    const engines = Object.keys(f.engines) as EngineName[];
    const clean = !f.error && f.mismatches === 0 && engines.every((e) => f.engines[e]!.failed === 0 && f.engines[e]!.skipped === 0);
    const attrs = clean ? ' data-clean=""' : '';
    if (f.error) {
      rows.push(`<tr data-engine="both"><td class="file">${escapeHtml(f.file)}</td><td>both</td><td colspan="5" class="bad">${escapeHtml(f.error)}</td></tr>`);
      continue;
    }
    for (const e of engines) {
      const c = f.engines[e]!;
      rows.push(`<tr data-engine="${e}"${attrs}><td class="file">${escapeHtml(f.file)}</td><td>${e}</td>${countCells(c)}<td class="n${f.mismatches ? ' bad' : ''}">${f.mismatches}</td><td class="barcell">${bar(c)}</td></tr>`);
    }
  }
  return `<section id="files"><h2>By file (${plural(rep.files.length, 'file')})</h2>
${LEGEND}
<div class="scroll"><table id="file-table"><thead><tr><th>file</th><th>engine</th><th class="n">passed</th><th class="n">failed</th><th class="n">skipped</th><th class="n">mismatches</th><th></th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div></section>`;
}

function failureSection(rep: Report, groups: LazyGroup[]): string {
  const shown = rep.failures.filter((f) => outcomeOf(f) !== 'expected');
  const entries = shown.map((f) => {
    const outcome = outcomeOf(f);
    const reason = f.directive === 'file' ? 'the file cannot be read or parsed'
      : outcome === 'mismatch' ? (f.expectedBecause ? `the engines disagree; an expected failure: ${f.expectedBecause}` : 'the engines disagree, and spec-tests/expected-failures.json does not name it')
      : 'not in the expected-failures list';
    const src = rep.sources[f.file]?.[f.line];
    return `<article class="entry ${outcome}" data-engine="${f.engine}" data-outcome="${outcome}">
<h3><span class="tag">${ONE_OF[outcome]}</span> <span class="where">${escapeHtml(f.file)}${f.line ? `:${f.line}` : ''}</span> <code>${escapeHtml(f.directive)}</code> <span class="engine">[${f.engine}]</span></h3>
<dl>${f.expected !== undefined ? `<dt>expected</dt><dd><pre class="expected">${escapeHtml(f.expected)}</pre></dd>` : ''}${f.got !== undefined ? `<dt>got</dt><dd><pre class="got">${escapeHtml(f.got)}</pre></dd>` : ''}<dt>reason</dt><dd class="reason">${escapeHtml(reason)}</dd></dl>
${src !== undefined ? `<details class="source"><summary>directive source</summary><pre>${escapeHtml(src)}</pre></details>` : ''}
</article>`;
  });
  const passes = rep.unexpectedPasses.map((e) => `<article class="entry unexpected-pass" data-engine="${e.engine ?? 'both'}" data-outcome="unexpected-pass">
<h3><span class="tag">unexpected pass</span> <span class="where">${escapeHtml(e.file)}${e.line ? `:${e.line}` : ''}</span> <span class="engine">[${e.engine ?? 'every engine'}]</span></h3>
<dl><dt>reason</dt><dd class="reason">listed as an expected failure (${escapeHtml(e.reason)}), but it passes now: remove it from the list</dd></dl></article>`);
  const n = entries.length + passes.length;
  const expected = groupList(groups, 'expected');
  return `<section id="failures"><h2>Failures, mismatches and unexpected passes (${n})</h2>
${n === 0 ? '<p class="none">None.</p>' : ''}${entries.join('\n')}${passes.join('\n')}
<h2 id="expected">Expected failures by reason (${rep.failures.length - shown.length} failures, ${plural(expected.count, 'reason')})</h2>
${expected.count === 0 ? '<p class="none">None.</p>' : ''}${expected.html}</section>`;
}

/** A group of entries with one reason, whose rows the page's script builds when it is opened. */
interface LazyGroup {
  outcome: 'expected' | 'skip';
  reason: string;
  /** skip: [file, line, directive, engine]; expected: the same, then expected and got. */
  entries: (string | number)[][];
}

/** Entries by reason, the most frequent first (ties by reason, for a stable page). */
export function groupBy<T>(items: T[], reasonOf: (x: T) => string): { reason: string; entries: T[] }[] {
  const m = new Map<string, T[]>();
  for (const x of items) {
    const r = reasonOf(x);
    let list = m.get(r);
    if (!list) m.set(r, (list = []));
    list.push(x);
  }
  return [...m].map(([reason, entries]) => ({ reason, entries }))
    .sort((a, b) => b.entries.length - a.entries.length || (a.reason < b.reason ? -1 : 1));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The collapsed groups of one outcome; `data-group` is the index into the page data's groups. */
function groupList(groups: LazyGroup[], outcome: LazyGroup['outcome']): { html: string; count: number } {
  const items: string[] = [];
  groups.forEach((g, i) => {
    if (g.outcome !== outcome) return;
    const byEngine = new Map<string, number>();
    for (const e of g.entries) byEngine.set(String(e[3]), (byEngine.get(String(e[3])) ?? 0) + 1);
    const split = [...byEngine].map(([e, k]) => `${e} ${k}`).join(', ');
    const head = outcome === 'skip' ? '<th>where</th><th>directive</th><th>engine</th><th>source</th>' : '<th>where</th><th>directive</th><th>engine</th><th>expected / got</th><th>source</th>';
    items.push(`<details class="group ${outcome}-group" data-group="${i}" data-outcome="${outcome}">
<summary><span class="count">${g.entries.length}</span> <span class="reason">${escapeHtml(g.reason)}</span> <span class="split">(${escapeHtml(split)})</span></summary>
<table class="rows"><thead><tr>${head}</tr></thead><tbody></tbody></table>
<p class="more" hidden><button type="button" class="show-more">show more</button> <button type="button" class="show-all">show all</button></p>
</details>`);
  });
  return { html: items.join('\n'), count: items.length };
}

function skipSection(rep: Report, groups: LazyGroup[]): string {
  const skips = groupList(groups, 'skip');
  return `<section id="skips"><h2>Skips by reason (${plural(rep.skips.length, 'skip')}, ${plural(skips.count, 'reason')})</h2>
${skips.count === 0 ? '<p class="none">None.</p>' : ''}${skips.html}</section>`;
}
