// The source text of a script's directives, by line: what the reports show
// beside a failure or a skip, so a reader sees the directive itself, not
// only where it is.

import type { SExpr } from './sexpr.js';

/** Longest directive text kept: a whole module can be many kilobytes. */
export const MAX_SOURCE_CHARS = 2000;

/** The text of the directive that starts on a line (undefined when none does). */
export type SourceAt = (line: number) => string | undefined;

/** Looks up top-level expressions of `src` by their first line; the text is cut at MAX_SOURCE_CHARS. */
export function directiveSources(src: string, exprs: readonly SExpr[]): SourceAt {
  const byLine = new Map<number, SExpr>();
  for (const e of exprs) if (!byLine.has(e.line)) byLine.set(e.line, e);
  return (line) => {
    const e = byLine.get(line);
    return e === undefined ? undefined : clip(src.slice(e.start, e.end));
  };
}

function clip(text: string): string {
  const cut = text.length <= MAX_SOURCE_CHARS ? text : `${text.slice(0, MAX_SOURCE_CHARS)} … (${text.length - MAX_SOURCE_CHARS} more characters)`;
  // A copy of its own: a slice would keep the whole file's text alive as
  // long as the report. (Encoding and decoding copies; Deno has it too.)
  return decoder.decode(encoder.encode(cut));
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
