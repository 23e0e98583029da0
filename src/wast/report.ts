// Tallies file results against the expected-failures list into the JSON
// report, the conformance table and the closing summary line.

import type { EngineName, FileResult } from './compare.js';
import type { Expectations, ExpectedFailure } from './expectations.js';

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

export interface FailureRecord {
  file: string;
  line: number;
  directive: string;
  /** The engine that failed, or 'both' for a mismatch between them. */
  engine: EngineName | 'both';
  expected?: string;
  got?: string;
  /** Set when the expected-failures list names this failure. */
  expectedBecause?: string;
}

/** One directive an engine skipped, and why. */
export interface SkipRecord {
  file: string;
  line: number;
  directive: string;
  engine: EngineName;
  reason: string;
}

export interface Report {
  engines: EngineName[];
  files: { file: string; engines: Partial<Record<EngineName, Counts>>; mismatches: number; error?: string }[];
  suites: Record<string, { engines: Partial<Record<EngineName, Counts>>; mismatches: number; files: number }>;
  failures: FailureRecord[];
  skipReasons: Record<string, number>;
  /** Every skip (skipReasons counts them by reason). */
  skips: SkipRecord[];
  /** The source text of every failing or skipped directive, by file and line (cut at MAX_SOURCE_CHARS). */
  sources: Record<string, Record<number, string>>;
  unexpectedPasses: ExpectedFailure[];
  totals: {
    passed: number;
    /** Failures the expected-failures list does not name, unexpected passes and unreadable files. */
    failed: number;
    skipped: number;
    mismatches: number;
    expectedFailures: number;
  };
}

const zero = (): Counts => ({ passed: 0, failed: 0, skipped: 0 });

/** The suite a file belongs to: its first path segment, when run from the suites root. */
function suiteOf(file: string): string {
  const i = file.indexOf('/');
  return i > 0 ? file.slice(0, i) : '(files)';
}

export class Tally {
  private readonly report: Report;

  constructor(engines: EngineName[], private readonly expectations: Expectations | null) {
    this.report = {
      engines, files: [], suites: {}, failures: [], skipReasons: {}, skips: [], sources: {}, unexpectedPasses: [],
      totals: { passed: 0, failed: 0, skipped: 0, mismatches: 0, expectedFailures: 0 },
    };
  }

  add(r: FileResult): void {
    const rep = this.report;
    const suite = (rep.suites[suiteOf(r.file)] ??= { engines: {}, mismatches: 0, files: 0 });
    suite.files++;
    const entry: Report['files'][number] = { file: r.file, engines: {}, mismatches: r.mismatches.length };
    const keepSource = (line: number) => {
      const text = r.sourceAt?.(line);
      if (text !== undefined) (rep.sources[r.file] ??= {})[line] = text;
    };
    if (r.error) {
      entry.error = r.error;
      rep.totals.failed++;
      rep.failures.push({ file: r.file, line: 0, directive: 'file', engine: 'both', got: r.error });
    }
    for (const [engine, outcomes] of Object.entries(r.outcomes) as [EngineName, NonNullable<FileResult['outcomes'][EngineName]>][]) {
      const c = (entry.engines[engine] = zero());
      const s = (suite.engines[engine] ??= zero());
      for (const o of outcomes) {
        if (o.status === 'skip') {
          c.skipped++; s.skipped++; rep.totals.skipped++;
          const why = o.reason ?? 'no reason given';
          rep.skipReasons[why] = (rep.skipReasons[why] ?? 0) + 1;
          rep.skips.push({ file: r.file, line: o.line, directive: o.kind, engine, reason: why });
          keepSource(o.line);
          continue;
        }
        const failed = o.status === 'fail';
        const because = this.expectations?.observe(r.key ?? r.file, o.line, engine, failed) ?? null;
        if (!failed) { c.passed++; s.passed++; rep.totals.passed++; continue; }
        c.failed++; s.failed++;
        if (because) rep.totals.expectedFailures++;
        else rep.totals.failed++;
        keepSource(o.line);
        rep.failures.push({
          file: r.file, line: o.line, directive: o.kind, engine, expected: o.expected, got: o.got,
          ...(because ? { expectedBecause: because.reason } : {}),
        });
      }
    }
    for (const m of r.mismatches) {
      suite.mismatches++;
      rep.totals.mismatches++;
      const because = this.expectations?.observe(r.key ?? r.file, m.line, null, true) ?? null;
      if (because) rep.totals.expectedFailures++;
      else rep.totals.failed++;
      keepSource(m.line);
      rep.failures.push({
        file: r.file, line: m.line, directive: m.kind, engine: 'both',
        expected: `the same outcome on every engine${m.agreeWithSuite?.length ? ` (the suite agrees with ${m.agreeWithSuite.join(', ')})` : ' (none passed)'}`,
        got: Object.entries(m.outcomes).map(([e, t]) => `${e}: ${t}`).join(' | '),
        ...(because ? { expectedBecause: because.reason } : {}),
      });
    }
    rep.files.push(entry);
  }

  /** Closes the tally: entries of the list that no longer fail count as failures. */
  finish(): Report {
    const rep = this.report;
    rep.unexpectedPasses = this.expectations?.unexpectedPasses() ?? [];
    rep.totals.failed += rep.unexpectedPasses.length;
    return rep;
  }
}

/** The conformance table's rows: one per suite and engine (the Markdown table and the HTML report show these). */
export function conformanceRows(rep: Report): { suite: string; engine: EngineName; files: number; counts: Counts; mismatches: number }[] {
  const rows = [];
  for (const [suite, s] of Object.entries(rep.suites)) {
    for (const engine of rep.engines) rows.push({ suite, engine, files: s.files, counts: s.engines[engine] ?? zero(), mismatches: s.mismatches });
  }
  return rows;
}

/** The conformance table, one row per suite and engine, as Markdown. */
export function conformanceTable(rep: Report): string {
  const rows = ['| suite | engine | files | passed | failed | skipped | mismatches |', '| --- | --- | ---: | ---: | ---: | ---: | ---: |'];
  for (const r of conformanceRows(rep)) {
    rows.push(`| ${r.suite} | ${r.engine} | ${r.files} | ${r.counts.passed} | ${r.counts.failed} | ${r.counts.skipped} | ${r.mismatches} |`);
  }
  return rows.join('\n');
}

/** The closing line, in the plain form CI reads: "N passed, N failed, N skipped". */
export function summaryLine(rep: Report): string {
  return `${rep.totals.passed} passed, ${rep.totals.failed} failed, ${rep.totals.skipped} skipped`;
}
