// The .wast reader: text to s-expressions, each node knowing its line,
// column and source span. Spans let the script hand a module's exact text to
// the text front end, and lines let every report point back at the file.

export interface Pos {
  line: number;
  col: number;
}

export interface SList extends Pos {
  kind: 'list';
  items: SExpr[];
  /** Offset of the opening parenthesis and just past the closing one. */
  start: number;
  end: number;
}

export interface SAtom extends Pos {
  kind: 'atom';
  text: string;
  start: number;
  end: number;
}

export interface SString extends Pos {
  kind: 'string';
  /** The decoded bytes (escapes resolved). */
  bytes: Uint8Array;
  start: number;
  end: number;
}

export type SExpr = SList | SAtom | SString;

/** A syntax error in a .wast file, with its position. */
export class WastSyntaxError extends Error {
  override name = 'WastSyntaxError';
  constructor(message: string, readonly line: number, readonly col: number) {
    super(`${line}:${col}: ${message}`);
  }
}

const enc = new TextEncoder();

function isIdChar(c: number): boolean {
  // Printable ASCII except space, quote, comma, semicolon, brackets and parentheses.
  return c > 0x20 && c < 0x7f && c !== 0x22 && c !== 0x28 && c !== 0x29 && c !== 0x3b && c !== 0x2c
    && c !== 0x5b && c !== 0x5d && c !== 0x7b && c !== 0x7d;
}

/** Reads a whole .wast (or .wat) source into its top-level s-expressions. */
export function readSExprs(src: string): SExpr[] {
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const top: SExpr[] = [];
  // An explicit stack instead of recursion: a file with 100 000 nested
  // parentheses is an error to report, not a reason to overflow the JS stack.
  const stack: SList[] = [];

  const pos = (at: number): Pos => ({ line, col: at - lineStart + 1 });
  const fail = (msg: string, at: number): never => {
    const p = pos(at);
    throw new WastSyntaxError(msg, p.line, p.col);
  };
  const push = (e: SExpr) => {
    if (stack.length > 0) stack[stack.length - 1]!.items.push(e);
    else top.push(e);
  };

  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (c === 0x0a) { i++; line++; lineStart = i; continue; }
    if (c === 0x20 || c === 0x09 || c === 0x0d) { i++; continue; }
    if (c === 0x3b && src.charCodeAt(i + 1) === 0x3b) {
      while (i < src.length && src.charCodeAt(i) !== 0x0a) i++;
      continue;
    }
    if (c === 0x28 && src.charCodeAt(i + 1) === 0x3b) {
      // Block comments nest.
      const open = i;
      let depth = 1;
      i += 2;
      while (depth > 0) {
        if (i >= src.length) fail('unclosed block comment', open);
        const d = src.charCodeAt(i);
        if (d === 0x28 && src.charCodeAt(i + 1) === 0x3b) { depth++; i += 2; }
        else if (d === 0x3b && src.charCodeAt(i + 1) === 0x29) { depth--; i += 2; }
        else { if (d === 0x0a) { line++; lineStart = i + 1; } i++; }
      }
      continue;
    }
    if (c === 0x28) {
      const p = pos(i);
      const parent = stack[stack.length - 1];
      if (parent !== undefined && isModuleForm(parent)) {
        // Inside a module or component the script needs only the span of
        // each field (the text front end reads the text itself): skim it.
        const start = i;
        skimList();
        push({ kind: 'list', items: [], start, end: i, line: p.line, col: p.col });
        continue;
      }
      if (stack.length >= MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`, i);
      stack.push({ kind: 'list', items: [], start: i, end: -1, line: p.line, col: p.col });
      i++;
      continue;
    }
    if (c === 0x29) {
      const l = stack.pop();
      if (!l) fail('unexpected ")" with no matching "("', i);
      l!.end = ++i;
      push(l!);
      continue;
    }
    if (c === 0x22) {
      const start = i;
      const p = pos(i);
      const bytes = readString();
      push({ kind: 'string', bytes, start, end: i, line: p.line, col: p.col });
      continue;
    }
    if (isIdChar(c)) {
      const start = i;
      while (i < src.length && isIdChar(src.charCodeAt(i))) i++;
      const p = pos(start);
      push({ kind: 'atom', text: src.slice(start, i), start, end: i, line: p.line, col: p.col });
      continue;
    }
    if (c > 0x20 && c !== 0x7f) {
      // Reserved tokens (, ; [ ] { } and non-ASCII) are kept as one-character
      // atoms: they are errors only where a directive does not expect them,
      // and annotations (@name ...) may hold any token.
      const p = pos(i);
      push({ kind: 'atom', text: src[i]!, start: i, end: i + 1, line: p.line, col: p.col });
      i++;
      continue;
    }
    fail(`unexpected character ${JSON.stringify(src[i])}`, i);
  }
  if (stack.length > 0) {
    // The outermost unclosed form: where a missing ")" swallowed what followed.
    const open = stack[0]!;
    throw new WastSyntaxError('unbalanced parentheses: "(" is never closed', open.line, open.col);
  }
  return top;

  /**
   * Moves past the balanced form opening at \`i\` (strings, comments and
   * nesting respected, lines counted) without building it: memory stays
   * constant however large or deep the form is.
   */
  function skimList(): void {
    const open = i;
    let depth = 0;
    while (i < src.length) {
      const c = src.charCodeAt(i);
      if (c === 0x0a) { i++; line++; lineStart = i; continue; }
      if (c === 0x22) {
        const at = i++;
        for (;;) {
          if (i >= src.length) fail('unterminated string', at);
          const d = src.charCodeAt(i);
          if (d === 0x22) { i++; break; }
          if (d === 0x0a) fail('newline in string', i);
          i += d === 0x5c ? 2 : 1;
        }
        continue;
      }
      if (c === 0x3b && src.charCodeAt(i + 1) === 0x3b) {
        while (i < src.length && src.charCodeAt(i) !== 0x0a) i++;
        continue;
      }
      if (c === 0x28 && src.charCodeAt(i + 1) === 0x3b) {
        const at = i;
        let nest = 1;
        i += 2;
        while (nest > 0) {
          if (i >= src.length) fail('unclosed block comment', at);
          const d = src.charCodeAt(i);
          if (d === 0x28 && src.charCodeAt(i + 1) === 0x3b) { nest++; i += 2; }
          else if (d === 0x3b && src.charCodeAt(i + 1) === 0x29) { nest--; i += 2; }
          else { if (d === 0x0a) { line++; lineStart = i + 1; } i++; }
        }
        continue;
      }
      if (c === 0x28 && ++depth + stack.length > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`, i);
      i++;
      if (c === 0x29 && --depth === 0) return;
    }
    const p = pos(open);
    // Report the outermost unclosed form, as for any other.
    const outer = stack[0];
    throw new WastSyntaxError('unbalanced parentheses: "(" is never closed', outer?.line ?? p.line, outer?.col ?? p.col);
  }

  function readString(): Uint8Array {
    const open = i;
    i++;
    const out: number[] = [];
    for (;;) {
      if (i >= src.length) fail('unterminated string', open);
      const c = src.charCodeAt(i);
      if (c === 0x22) { i++; break; }
      if (c === 0x0a) fail('newline in string', i);
      if (c !== 0x5c) {
        // Copy a run of plain characters as UTF-8.
        let j = i;
        while (j < src.length) {
          const d = src.charCodeAt(j);
          if (d === 0x22 || d === 0x5c || d === 0x0a) break;
          j++;
        }
        for (const b of enc.encode(src.slice(i, j))) out.push(b);
        i = j;
        continue;
      }
      const e = src[i + 1];
      i += 2;
      switch (e) {
        case 'n': out.push(0x0a); break;
        case 't': out.push(0x09); break;
        case 'r': out.push(0x0d); break;
        case '"': out.push(0x22); break;
        case "'": out.push(0x27); break;
        case '\\': out.push(0x5c); break;
        case 'u': {
          // hexnum: hex digits, an underscore only between two of them.
          const m = /^\{([0-9a-fA-F](?:_?[0-9a-fA-F])*)\}/.exec(src.slice(i, i + 12));
          if (!m) fail(`malformed \\u escape ${src.slice(i - 2, i + 4).split('"')[0]}: expected \\u{hex digits}, a code point such as \\u{48} or \\u{1F600}`, i - 2);
          const cp = parseInt(m![1]!.replace(/_/g, ''), 16);
          if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) fail('invalid code point in \\u escape', i - 2);
          for (const b of enc.encode(String.fromCodePoint(cp))) out.push(b);
          i += m![0].length;
          break;
        }
        default: {
          const h = src.slice(i - 1, i + 1);
          if (!/^[0-9a-fA-F]{2}$/.test(h)) fail(`malformed escape "\\${e ?? ''}"`, i - 2);
          out.push(parseInt(h, 16));
          i++;
        }
      }
    }
    return Uint8Array.from(out);
  }
}

/**
 * Deepest nesting of forms in a script, module text included: beyond it a
 * file is refused at once, rather than read into a tree (or handed to the
 * text front end, decoder and validator, whose trees grow with the nesting)
 * many times its size.
 */
export const MAX_DEPTH = 1_000_000;

/** A list whose fields are module or component text: `(module ...)`, `(component ...)`, but not `(module binary|quote ...)`, whose strings are read. */
function isModuleForm(l: SList): boolean {
  const head = l.items[0];
  if (head?.kind !== 'atom' || (head.text !== 'module' && head.text !== 'component')) return false;
  return !l.items.some((x) => x.kind === 'atom' && (x.text === 'binary' || x.text === 'quote'));
}

export function isAtom(e: SExpr | undefined, text?: string): e is SAtom {
  return e !== undefined && e.kind === 'atom' && (text === undefined || e.text === text);
}

export function isList(e: SExpr | undefined, head?: string): e is SList {
  return e !== undefined && e.kind === 'list' && (head === undefined || isAtom(e.items[0], head));
}

/** The head keyword of a list, or '' when it has none. */
export function headOf(e: SExpr): string {
  return e.kind === 'list' && e.items[0]?.kind === 'atom' ? e.items[0].text : '';
}

// ignoreBOM: a name may begin with U+FEFF (names.wast exports one), and the
// default decoder would silently drop it.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

export function stringText(s: SString): string {
  return utf8.decode(s.bytes);
}
