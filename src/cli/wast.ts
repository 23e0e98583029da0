// `cmr wast` and `cmr conformance`: run scripts on the chosen engines, show
// progress, then the failures, the conformance table and the summary line.

import { accessSync, constants, existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type cliProgress from 'cli-progress';
import { progressBar } from './progress.js';
import { runFile, type EngineName, type FileResult } from '../wast/compare.js';
import { adaptersFor } from '../wast/engines.js';
import { parseEngineList } from '../wast/engine-names.js';
import { Expectations } from '../wast/expectations.js';
import { conformanceTable, summaryLine, Tally, type Counts, type Report } from '../wast/report.js';
import { htmlReport } from '../report/html.js';
import { coreTrace } from './trace-core.js';
import { displayName, projectRoot, rootRelative, SUITES, suiteDir, suitesRoot, wastFiles } from '../wast/suites.js';

export interface WastOptions {
  /** The engines to run, in column order (parseEngineList); a single name or `both` is accepted too. */
  engine: EngineName[] | 'interp' | 'native' | 'both';
  report?: string;
  /** Write the HTML report (src/report/html.ts) to this file. */
  html?: string;
  expectedFailures?: string;
  verbose?: boolean;
  suite?: string[];
  gate?: boolean;
  trace?: boolean;
  /** Fuel for each action and instantiation (interpreter only). */
  fuel?: number;
  /** --trace=core: every core instruction the interpreter runs (at most traceLimit). */
  traceCore?: boolean;
  traceLimit?: number;
}

/** Failures printed in full before the rest are only counted (all with --verbose). */
const SHOWN_FAILURES = 40;

/** Runs scripts (`paths`), or every suite when `paths` is null; returns the exit status. */
export async function runWast(paths: string[] | null, opts: WastOptions): Promise<number> {
  // Everything that can be refused is refused before the run, not after it.
  const chosen = typeof opts.engine === 'string' ? parseEngineList(opts.engine) : opts.engine;
  if (opts.fuel !== undefined && (chosen.length !== 1 || chosen[0] !== 'interp')) {
    throw new Error('--fuel needs --engine interp: wasm running natively cannot be metered (use --timeout to bound a native run)');
  }
  if (opts.report) checkWritable(opts.report);
  if (opts.html) checkWritable(opts.html);
  const root = suitesRoot();
  const files = paths === null ? suiteFiles(root, opts.suite) : paths.flatMap((p) => {
    if (!existsSync(p)) throw new Error(`no such file or folder: ${p}`);
    return wastFiles(p);
  });
  if (files.length === 0) {
    throw new Error(paths === null ? `no .wast files in the suites at ${root}` : `no .wast files in ${paths.join(', ')}`);
  }
  const listPath = opts.expectedFailures ?? (paths === null ? join(projectRoot(), 'spec-tests', 'expected-failures.json') : undefined);
  const expectations = listPath ? await Expectations.read(listPath) : null;
  const adapters = adaptersFor(opts.engine);
  const traced = coreTrace(opts, chosen);
  if (traced !== null) adapters.interp = { ...adapters.interp, engine: traced.engine };
  const engines = Object.keys(adapters) as EngineName[];
  const tally = new Tally(engines, expectations);

  const progress = new Progress(files.length, !opts.gate);
  for (const file of files) {
    const name = displayName(file, root);
    progress.start(name);
    const traceFor = opts.trace
      ? (engine: EngineName) => (e: { text: string }) => process.stderr.write(`  trace [${engine}] ${e.text}\n`)
      : undefined;
    const result = await runFile(file, name, adapters, undefined, traceFor, opts.fuel);
    // The list's paths are relative to the suites root, wherever the file is
    // and whatever folder cmr runs from.
    tally.add({ ...result, key: rootRelative(file, root) });
    progress.done(name, fileLine(result, engines));
  }
  progress.stop();
  traced?.tracer.uninstall();

  const report = tally.finish();
  printFailures(report, opts.verbose === true);
  // The table per suite and engine: for a conformance run, and for any run that compares engines.
  if (paths === null || engines.length > 1) process.stdout.write(`\n${conformanceTable(report)}\n`);
  printSkips(report, opts.verbose === true);
  if (opts.report) writeFileSync(opts.report, JSON.stringify(report, null, 2) + '\n');
  if (opts.html) {
    const title = paths === null ? 'cmr conformance report' : 'cmr wast report';
    writeFileSync(opts.html, htmlReport(report, { title, command: `cmr ${process.argv.slice(2).join(' ')}`, generated: new Date() }));
  }
  const extra = [
    report.totals.mismatches ? `${report.totals.mismatches} mismatches between engines` : '',
    report.totals.expectedFailures && listPath ? `${report.totals.expectedFailures} expected failures (${shortPath(listPath)})` : '',
  ].filter(Boolean);
  if (extra.length) process.stdout.write(`\n${extra.join('; ')}\n`);
  process.stdout.write(`${summaryLine(report)}\n`);
  return report.totals.failed === 0 ? 0 : 1;
}

/** A path as short as it can be said: relative to the current folder when inside it. */
function shortPath(p: string): string {
  const rel = relative(process.cwd(), resolve(p));
  return rel.startsWith('..') || rel === '' ? resolve(p) : rel;
}

/** Refuses an output path that cannot be written (a missing folder, a folder, no permission) before the run. */
function checkWritable(path: string): void {
  const dir = dirname(resolve(path));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`cannot write the report ${path}: no such folder ${dir}`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new Error(`cannot write the report ${path}: it is a folder`);
  try {
    accessSync(existsSync(path) ? path : dir, constants.W_OK);
  } catch {
    throw new Error(`cannot write the report ${path}: permission denied`);
  }
}

function suiteFiles(root: string, only: string[] | undefined): string[] {
  if (!existsSync(root)) {
    throw new Error(`the official suites are not at ${root}: set CMR_SUITES to their folder, or run scripts/fetch-suites.sh`);
  }
  const names = only ?? [...SUITES];
  for (const n of names) {
    if (!(SUITES as readonly string[]).includes(n)) throw new Error(`unknown suite "${n}" (known: ${SUITES.join(', ')})`);
  }
  return names.map(suiteDir).filter((d) => existsSync(d)).flatMap((d) => wastFiles(d));
}

function counts(c: Counts | undefined): string {
  if (!c) return '-';
  return `${c.passed}/${c.passed + c.failed}${c.skipped ? ` (${c.skipped} skipped)` : ''}`;
}

function fileLine(r: FileResult, engines: EngineName[]): string {
  if (r.error) return `ERROR ${r.error}`;
  const parts = engines.map((e) => {
    const o = r.outcomes[e] ?? [];
    const c: Counts = { passed: 0, failed: 0, skipped: 0 };
    for (const x of o) c[x.status === 'pass' ? 'passed' : x.status === 'fail' ? 'failed' : 'skipped']++;
    return `${e} ${counts(c)}`;
  });
  if (r.mismatches.length) parts.push(`${r.mismatches.length} mismatches`);
  return `${r.file}  ${parts.join('  ')}`;
}

function printFailures(rep: Report, verbose: boolean): void {
  const unexpected = rep.failures.filter((f) => !f.expectedBecause);
  if (unexpected.length === 0 && rep.unexpectedPasses.length === 0) return;
  process.stdout.write(`\nUnexpected failures (${unexpected.length}):\n`);
  for (const f of verbose ? unexpected : unexpected.slice(0, SHOWN_FAILURES)) {
    // A file that could not be read: its error already names file:line:col.
    if (f.directive === 'file') { process.stdout.write(`  ${f.got}\n`); continue; }
    process.stdout.write(`  ${f.file}:${f.line} ${f.directive} [${f.engine}]\n`);
    if (f.expected) process.stdout.write(`      expected: ${f.expected}\n`);
    if (f.got) process.stdout.write(`      got:      ${f.got.split('\n')[0]}\n`);
  }
  if (!verbose && unexpected.length > SHOWN_FAILURES) {
    process.stdout.write(`  ... and ${unexpected.length - SHOWN_FAILURES} more (--verbose or --report for all)\n`);
  }
  for (const e of rep.unexpectedPasses) {
    process.stdout.write(`  unexpected pass: ${e.file}${e.line ? `:${e.line}` : ''}${e.engine ? ` [${e.engine}]` : ''} now passes; remove it from the expected-failures list (${e.reason})\n`);
  }
}

/** Skip reasons shown before the rest are only counted (all with --verbose or in the report). */
const SHOWN_SKIP_REASONS = 12;

function printSkips(rep: Report, verbose: boolean): void {
  const entries = Object.entries(rep.skipReasons).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return;
  process.stdout.write('\nSkipped, by reason:\n');
  const shown = verbose ? entries : entries.slice(0, SHOWN_SKIP_REASONS);
  for (const [why, n] of shown) process.stdout.write(`  ${String(n).padStart(6)}  ${why}\n`);
  const rest = entries.slice(shown.length);
  if (rest.length > 0) {
    const n = rest.reduce((sum, [, k]) => sum + k, 0);
    process.stdout.write(`  ${String(n).padStart(6)}  for ${rest.length} other reasons (--verbose or --report for all)\n`);
  }
}

/** A progress bar on a terminal; a line per file otherwise (CI logs). */
class Progress {
  private readonly bar: cliProgress.SingleBar | null;
  private n = 0;

  constructor(private readonly total: number, private readonly perFileLines: boolean) {
    this.bar = progressBar('{bar} {value}/{total} files  {file}');
    this.bar?.start(total, 0, { file: '' });
  }

  start(file: string): void {
    this.bar?.update(this.n, { file });
  }

  done(_file: string, line: string): void {
    this.n++;
    if (this.bar) {
      this.bar.update(this.n);
      if (this.perFileLines) {
        // Print above the bar: clear the line, write, let the bar redraw.
        process.stderr.write('\r\x1b[K');
        process.stdout.write(`${line}\n`);
      }
    } else if (this.perFileLines) {
      process.stdout.write(`${line}\n`);
    } else if (this.n % 25 === 0 || this.n === this.total) {
      process.stderr.write(`  ${this.n}/${this.total} files\n`);
    }
  }

  stop(): void {
    this.bar?.stop();
  }
}
