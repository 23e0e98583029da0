// The script model: a .wast file's s-expressions turned into directives
// (module definitions, actions and assertions), each remembering its line.
// Constants stay as s-expressions here; the runner interprets them against
// the types it finds, so this stage knows nothing of values.

import { type SExpr, type SList, type SString, headOf, isAtom, isList, stringText, WastSyntaxError } from './sexpr.js';

/** How a module or component is written in the script. */
export type ModuleSource =
  | { form: 'text'; text: string }
  | { form: 'binary'; bytes: Uint8Array }
  | { form: 'quote'; text: string };

export interface ModuleDef {
  /** 'module' for core modules, 'component' for components. */
  sort: 'module' | 'component';
  /** The `$name` bound to it, if any. */
  id: string | null;
  source: ModuleSource;
  /** `(module definition ...)`: defined but not instantiated. */
  definitionOnly: boolean;
  line: number;
}

export type Action =
  | { kind: 'invoke'; instance: string | null; name: string; args: SExpr[]; line: number }
  | { kind: 'get'; instance: string | null; name: string; line: number };

export type Directive =
  | { kind: 'module'; def: ModuleDef; line: number }
  | { kind: 'instance'; sort: 'module' | 'component'; id: string | null; of: string; line: number }
  | { kind: 'register'; as: string; instance: string | null; line: number }
  | { kind: 'action'; action: Action; line: number }
  | { kind: 'assert_return'; action: Action; results: SExpr[]; line: number }
  | { kind: 'assert_trap'; action: Action | null; module: ModuleDef | null; message: string; line: number }
  | { kind: 'assert_exhaustion'; action: Action; message: string; line: number }
  | { kind: 'assert_exception'; action: Action; line: number }
  | { kind: 'assert_invalid' | 'assert_malformed' | 'assert_unlinkable' | 'assert_uninstantiable'; module: ModuleDef; message: string; line: number }
  | { kind: 'unsupported'; head: string; why: string; line: number }
  | { kind: 'unknown'; head: string; line: number };

/** Module fields: a script that is just a module's fields is that module (spec script syntax). */
const MODULE_FIELDS = new Set(['type', 'import', 'func', 'table', 'memory', 'global', 'export', 'start', 'elem', 'data', 'tag', 'rec']);

/** Parses the directives of a script whose source text is `src`. */
export function parseScript(src: string, exprs: SExpr[]): Directive[] {
  exprs = exprs.filter((e) => !isAnnotation(e));
  stripAnnotations(exprs);
  const out: Directive[] = [];
  for (let i = 0; i < exprs.length; i++) {
    const e = exprs[i]!;
    if (e.kind === 'list' && MODULE_FIELDS.has(headOf(e))) {
      // Consecutive top-level fields form one inline module.
      let j = i;
      while (j + 1 < exprs.length && MODULE_FIELDS.has(headOf(exprs[j + 1]!))) j++;
      const text = `(module ${src.slice(e.start, exprs[j]!.end)})`;
      out.push({ kind: 'module', def: { sort: 'module', id: null, source: { form: 'text', text }, definitionOnly: false, line: e.line }, line: e.line });
      i = j;
      continue;
    }
    out.push(parseDirective(src, e));
  }
  return out;
}

/** `(@name ...)`: an annotation (WebAssembly 3.0 text format), which scripts may carry anywhere. */
function isAnnotation(e: SExpr): boolean {
  return e.kind === 'list' && headOf(e).startsWith('@');
}

/**
 * Removes annotations from the trees the script reads. Module text is taken
 * from the source by span, so the front end still sees (and checks) them.
 * Iterative: nesting depth is the file's to choose.
 */
function stripAnnotations(exprs: SExpr[]): void {
  const work: SExpr[] = [...exprs];
  while (work.length > 0) {
    const e = work.pop()!;
    if (e.kind !== 'list') continue;
    if (e.items.some(isAnnotation)) e.items = e.items.filter((x) => !isAnnotation(x));
    for (const x of e.items) if (x.kind === 'list') work.push(x);
  }
}

function fail(e: SExpr, msg: string): never {
  throw new WastSyntaxError(msg, e.line, e.col);
}

function parseDirective(src: string, e: SExpr): Directive {
  if (e.kind !== 'list') fail(e, 'expected a directive in parentheses');
  const head = headOf(e);
  const line = e.line;
  switch (head) {
    case 'module':
    case 'component': {
      const it = e.items;
      // `(module instance $i $m)` instantiates a module defined earlier.
      if (isAtom(it[1], 'instance')) {
        const ids = it.slice(2).filter((x) => isAtom(x) && x.text.startsWith('$')).map((x) => (x as { text: string }).text);
        if (ids.length === 0) fail(e, `${head} instance needs the name of a definition`);
        return { kind: 'instance', sort: head, id: ids.length > 1 ? ids[0]! : null, of: ids[ids.length - 1]!, line };
      }
      return { kind: 'module', def: parseModuleDef(src, e), line };
    }
    case 'register': {
      const name = e.items[1];
      if (name?.kind !== 'string') fail(e, 'register needs a name string');
      const inst = e.items[2];
      return { kind: 'register', as: stringText(name), instance: isAtom(inst) ? inst.text : null, line };
    }
    case 'invoke':
    case 'get':
      return { kind: 'action', action: parseAction(e), line };
    case 'assert_return':
      return { kind: 'assert_return', action: parseAction(listAt(e, 1)), results: e.items.slice(2), line };
    case 'assert_trap': {
      const target = listAt(e, 1);
      const message = messageAt(e, 2);
      if (headOf(target) === 'module' || headOf(target) === 'component') {
        return { kind: 'assert_trap', action: null, module: parseModuleDef(src, target), message, line };
      }
      return { kind: 'assert_trap', action: parseAction(target), module: null, message, line };
    }
    case 'assert_exhaustion':
      return { kind: 'assert_exhaustion', action: parseAction(listAt(e, 1)), message: messageAt(e, 2), line };
    case 'assert_exception':
      return { kind: 'assert_exception', action: parseAction(listAt(e, 1)), line };
    case 'assert_invalid':
    case 'assert_malformed':
    case 'assert_unlinkable':
    case 'assert_uninstantiable':
      return { kind: head, module: parseModuleDef(src, listAt(e, 1)), message: messageAt(e, 2), line };
    default:
      // A directive of the script language that cmr does not run is a skip
      // with its reason; anything else (a typo such as `asert_return`) is a
      // failure, so that a misspelled assertion cannot pass silently.
      if (KNOWN_UNSUPPORTED.has(head)) return { kind: 'unsupported', head, why: `directive "${head}" is not supported`, line };
      return { kind: 'unknown', head: head || '(?)', line };
  }
}

/**
 * Directives of the script languages (the spec interpreter's, the threads
 * and stack-switching proposals', the component model's) that cmr does not
 * run: skipped, with that reason.
 */
const KNOWN_UNSUPPORTED = new Set(['assert_suspension', 'thread', 'wait', 'either', 'script', 'input', 'output', 'assert_return_canonical_nan', 'assert_return_arithmetic_nan', 'assert_soft_invalid']);

function listAt(e: SList, i: number): SList {
  const x = e.items[i];
  if (!isList(x)) fail(e, `${headOf(e)}: expected a parenthesised form as argument ${i}`);
  return x;
}

function messageAt(e: SList, i: number): string {
  const x = e.items[i];
  if (x?.kind !== 'string') fail(e, `${headOf(e)}: expected a message string`);
  return stringText(x);
}

function parseAction(e: SList): Action {
  const head = headOf(e);
  const it = e.items;
  let k = 1;
  let instance: string | null = null;
  if (isAtom(it[k]) && (it[k] as { text: string }).text.startsWith('$')) instance = (it[k++] as { text: string }).text;
  const name = it[k++];
  if (name?.kind !== 'string') fail(e, `${head}: expected an export name string`);
  if (head === 'invoke') return { kind: 'invoke', instance, name: stringText(name), args: it.slice(k), line: e.line };
  if (head === 'get') return { kind: 'get', instance, name: stringText(name), line: e.line };
  return fail(e, `expected an action (invoke or get), found "${head}"`);
}

/** `(module $id? [definition] (binary|quote)? ...)`, likewise for components. */
export function parseModuleDef(src: string, e: SList): ModuleDef {
  const sort = headOf(e);
  if (sort !== 'module' && sort !== 'component') fail(e, `expected a module or component, found "${sort}"`);
  const it = e.items;
  let k = 1;
  let definitionOnly = false;
  if (isAtom(it[k], 'definition')) { definitionOnly = true; k++; }
  let id: string | null = null;
  if (isAtom(it[k]) && (it[k] as { text: string }).text.startsWith('$')) id = (it[k++] as { text: string }).text;
  if (isAtom(it[k], 'binary')) {
    const parts = it.slice(k + 1).map((x) => (x.kind === 'string' ? x : fail(x, 'binary module: expected strings')));
    return { sort, id, source: { form: 'binary', bytes: concatBytes(parts) }, definitionOnly, line: e.line };
  }
  if (isAtom(it[k], 'quote')) {
    const parts = it.slice(k + 1).map((x) => (x.kind === 'string' ? stringText(x) : fail(x, 'quote module: expected strings')));
    return { sort, id, source: { form: 'quote', text: `(${sort} ${parts.join(' ')})` }, definitionOnly, line: e.line };
  }
  // Text: hand the front end the module's own text, without `definition`
  // (which belongs to the script, not the module) and keeping its `$id`
  // so that the name section carries it.
  const body = k < it.length ? src.slice(it[k]!.start, it[it.length - 1]!.end) : '';
  const text = `(${sort}${id ? ' ' + id : ''} ${body})`;
  return { sort, id, source: { form: 'text', text }, definitionOnly, line: e.line };
}

function concatBytes(parts: SString[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.bytes.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p.bytes, o); o += p.bytes.length; }
  return out;
}
