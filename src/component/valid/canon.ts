// Typing of `canon` definitions (CanonicalABI.md "Canonical Definitions"):
// each defines a core function (or, for `lift`, a component function) whose
// type follows from its immediates. Running the built-ins is later work;
// here they only get their types and their options checked.

import { I32, I64, valTypeName, type ValType as CoreValType } from '../../core/syntax/types.js';
import type { Canon, CanonOpt, CoreFuncType, StringEncoding } from '../syntax/ast.js';
import { ResourceType, type FuncType, type ValType } from '../syntax/types.js';
import { flattenFunctype, flattenType, flattenTypes, MAX_FLAT_ASYNC_PARAMS, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, paramTypes, toCoreFuncType } from '../canon/flatten.js';
import type { Scope } from './scope.js';
import { fail } from './subtype.js';
import { sameFuncType } from '../../core/syntax/reftypes.js';

interface Options {
  encoding: StringEncoding;
  memory: number | null;
  realloc: number | null;
  postReturn: number | null;
  async: boolean;
  callback: number | null;
}

const ENCODING_NAMES: Record<StringEncoding, string> = { utf8: 'utf8', utf16: 'utf16', 'latin1+utf16': 'latin1-utf16' };

function coreFunc(s: Scope, i: number, o: number): CoreFuncType {
  const f = s.coreFuncs[i];
  if (f === undefined) fail(`unknown core function ${i}: function index out of bounds`, o);
  return f;
}

function checkOptions(s: Scope, opts: CanonOpt[], o: number): Options {
  const r: Options = { encoding: 'utf8', memory: null, realloc: null, postReturn: null, async: false, callback: null };
  let encoding: StringEncoding | null = null;
  for (const opt of opts) {
    switch (opt.kind) {
      case 'string-encoding':
        if (encoding !== null) fail(`canonical encoding option \`${ENCODING_NAMES[encoding]}\` conflicts with option \`${ENCODING_NAMES[opt.encoding]}\``, o);
        encoding = opt.encoding;
        break;
      case 'memory': {
        if (r.memory !== null) fail('canonical option `memory` is specified more than once', o);
        const m = s.coreMems[opt.index];
        if (m === undefined) fail(`unknown memory ${opt.index}: memory index out of bounds`, o);
        // The canonical ABI reads and writes a plain linear memory
        // (CanonicalABI.md: LiftLowerContext's `memory`); a shared memory
        // would let other threads race with lifting and lowering.
        if (m.shared) fail('canonical option `memory` must not name a shared memory', o);
        r.memory = opt.index;
        break;
      }
      case 'realloc':
        if (r.realloc !== null) fail('canonical option `realloc` is specified more than once', o);
        coreFunc(s, opt.index, o);
        r.realloc = opt.index;
        break;
      case 'post-return':
        if (r.postReturn !== null) fail('canonical option `post-return` is specified more than once', o);
        coreFunc(s, opt.index, o);
        r.postReturn = opt.index;
        break;
      case 'async':
        if (r.async) fail('canonical option `async` is specified more than once', o);
        r.async = true;
        break;
      case 'callback':
        if (r.callback !== null) fail('canonical option `callback` is specified more than once', o);
        coreFunc(s, opt.index, o);
        r.callback = opt.index;
        break;
      case 'core-type': case 'gc':
        fail('canonical option `gc` requires the `cm-gc` feature', o);
    }
  }
  if (encoding !== null) r.encoding = encoding;
  if (r.callback !== null && !r.async) fail('cannot specify callback without async', o);
  if (r.async && r.postReturn !== null) fail('cannot specify post-return function in async', o);
  if (r.realloc !== null) {
    if (r.memory === null) fail('canonical option `realloc` requires `memory` to also be specified', o);
    const f = coreFunc(s, r.realloc, o);
    if (!sameFuncType(f, { params: [I32, I32, I32, I32], results: [I32] })) fail('canonical option `realloc` uses a core function with an incorrect signature', o);
  }
  return r;
}

/**
 * Whether a value of type `t` holds a pointer into linear memory (a string,
 * a list or a map anywhere inside it): lowering such a value needs
 * `memory`, and whoever receives it needs `realloc` to allocate its copy.
 */
export function containsPointer(t: ValType | null): boolean {
  if (t === null) return false;
  if (typeof t === 'string') return t === 'string';
  switch (t.kind) {
    case 'list': return t.length === null || containsPointer(t.elem);
    case 'map': return true;
    case 'record': return t.fields.some((f) => containsPointer(f.type));
    case 'variant': return t.cases.some((c) => containsPointer(c.type));
    case 'tuple': return t.types.some(containsPointer);
    case 'option': return containsPointer(t.type);
    case 'result': return containsPointer(t.ok) || containsPointer(t.err);
    default: return false;
  }
}
const needsMemory = containsPointer;

function requireMemory(opts: Options, o: number): void {
  if (opts.memory === null) fail('canonical option `memory` is required', o);
}

/** `realloc` always comes with `memory`: a missing memory is reported first. */
function requireRealloc(opts: Options, o: number): void {
  requireMemory(opts, o);
  if (opts.realloc === null) fail('canonical option `realloc` is required', o);
}

/**
 * The core signature of `canon lift` (the core function it wraps) or `canon
 * lower` (the core function it defines) for `ft`, checking on the way the
 * options the canonical ABI needs (CanonicalABI.md "canon lift"/"canon
 * lower", `flatten_functype`):
 * - a parameter holding pointers: lowering needs `memory`; lifting needs
 *   `realloc` (the callee allocates the copy), and so `memory`;
 * - parameters too many to pass flat (more than 16, or 4 for an async
 *   lowering) go through memory: `memory`, and `realloc` when lifting;
 * - a result holding pointers, when lowering: `realloc` (the caller's
 *   memory receives it);
 * - sync: a result too large to return flat (more than one core value)
 *   goes through memory (a return pointer): `memory`;
 * - async lower: any result is written through a pointer: `memory`;
 * - async lift: the result goes through `task.return`, which needs memory
 *   when it holds pointers or exceeds 16 flat values.
 * The checks run in this order so the first missing option is the one
 * wasm-tools reports.
 */
export function loweredSignature(ft: FuncType, opts: Options, abi: 'lift' | 'lower', o: number): CoreFuncType {
  const maxParams = abi === 'lower' && opts.async ? MAX_FLAT_ASYNC_PARAMS : MAX_FLAT_PARAMS;
  const params = paramTypes(ft);
  if (params.some(containsPointer) || flattenTypes(params, 'i32').length > maxParams) {
    if (abi === 'lower') requireMemory(opts, o);
    else requireRealloc(opts, o);
  }
  if (ft.result !== null && abi === 'lower' && containsPointer(ft.result) && opts.realloc === null) requireRealloc(opts, o);
  if (ft.result !== null) {
    const flatResult = flattenType(ft.result, 'i32').length;
    if (!opts.async ? flatResult > MAX_FLAT_RESULTS
      : abi === 'lower' || flatResult > MAX_FLAT_PARAMS || containsPointer(ft.result)) requireMemory(opts, o);
  }
  return toCoreFuncType(flattenFunctype({ ptrType: 'i32', async: opts.async, callback: opts.callback !== null }, ft, abi));
}

function typesText(ts: readonly CoreValType[]): string {
  return `[${ts.map((t) => valTypeName(t as never).toUpperCase()).join(', ')}]`;
}

function funcTypeAt(s: Scope, i: number, o: number): FuncType {
  const t = s.types[i];
  if (t === undefined) fail(`unknown type ${i}: type index out of bounds`, o);
  if (typeof t === 'string' || t.kind !== 'func') fail(`type index ${i} is not a function type`, o);
  return t;
}

function resourceAt(s: Scope, i: number, o: number): ResourceType {
  const t = s.types[i];
  if (t === undefined) fail(`unknown type ${i}: type index out of bounds`, o);
  if (!(t instanceof ResourceType)) fail(`type index ${i} is not a resource type`, o);
  return t;
}

/** The type index of a stream or future type. */
function payloadTypeAt(s: Scope, i: number, kind: 'stream' | 'future', o: number): ValType | null {
  const t = s.types[i];
  if (t === undefined) fail(`unknown type ${i}: type index out of bounds`, o);
  if (typeof t === 'string' || t instanceof ResourceType || t.kind !== kind) fail(`\`${kind}\` requires a ${kind} type`, o);
  return (t as { elem: ValType | null }).elem;
}

const sig = (params: CoreValType[], results: CoreValType[]): CoreFuncType => ({ params, results });

export function validateCanon(s: Scope, c: Canon, o: number): void {
  if (s.isType) fail('canonical definitions are not allowed in types', o);
  const push = (t: CoreFuncType) => { s.coreFuncs.push(t); };
  switch (c.kind) {
    case 'lift': {
      const core = coreFunc(s, c.coreFunc!, o);
      const ft = funcTypeAt(s, c.typeIdx!, o);
      const opts = checkOptions(s, c.options!, o);
      if (opts.async && !ft.async) fail('the `async` canonical option requires an async function type', o);
      const expected = loweredSignature(ft, opts, 'lift', o);
      if (!sameFuncType({ params: core.params, results: [] }, { params: expected.params, results: [] })) {
        fail(`lowered parameter types \`${typesText(expected.params)}\` do not match parameter types \`${typesText(core.params)}\` of core function ${c.coreFunc}`, o);
      }
      if (!sameFuncType({ params: [], results: core.results }, { params: [], results: expected.results })) {
        fail(`lowered result types \`${typesText(expected.results)}\` do not match result types \`${typesText(core.results)}\` of core function ${c.coreFunc}`, o);
      }
      if (opts.postReturn !== null) {
        const pr = coreFunc(s, opts.postReturn, o);
        if (!sameFuncType(pr, { params: core.results, results: [] })) fail('canonical option `post-return` uses a core function with an incorrect signature', o);
      }
      if (opts.callback !== null) {
        const cb = coreFunc(s, opts.callback, o);
        if (!sameFuncType(cb, { params: [I32, I32, I32], results: [I32] })) fail('canonical option `callback` uses a core function with an incorrect signature', o);
      }
      s.funcs.push(ft);
      return;
    }
    case 'lower': {
      const f = s.funcs[c.func!];
      if (f === undefined) fail(`unknown function ${c.func}: function index out of bounds`, o);
      const opts = checkOptions(s, c.options!, o);
      if (opts.postReturn !== null) fail('canonical option `post-return` cannot be specified for lowerings', o);
      if (opts.callback !== null) fail('canonical option `callback` cannot be specified for lowerings', o);
      if (opts.async && !f.async) fail('the `async` canonical option requires an async function type', o);
      const flat = loweredSignature(f, opts, 'lower', o);
      push(flat);
      return;
    }
    case 'resource.new': {
      const r = resourceAt(s, c.typeIdx!, o);
      if (!s.localResources.has(r)) fail(`type ${c.typeIdx} is not a local resource`, o);
      return push(sig([r.rep ?? I32], [I32]));
    }
    case 'resource.rep': {
      const r = resourceAt(s, c.typeIdx!, o);
      if (!s.localResources.has(r)) fail(`type ${c.typeIdx} is not a local resource`, o);
      return push(sig([I32], [r.rep ?? I32]));
    }
    case 'resource.drop': resourceAt(s, c.typeIdx!, o); return push(sig([I32], []));
    case 'backpressure.inc': case 'backpressure.dec': case 'task.cancel': return push(sig([], []));
    case 'task.return': {
      const r = c.result === null || c.result === undefined ? null : resolveVal(s, c.result, o);
      const opts = checkOptions(s, c.options!, o);
      if (opts.realloc !== null) fail('cannot specify `realloc` option on `task.return`', o);
      if (opts.postReturn !== null) fail('cannot specify `post-return` option on `task.return`', o);
      if (opts.callback !== null) fail('canonical option `callback` cannot be specified for lowerings', o);
      if (opts.async) fail('cannot specify `async` option on `task.return`', o);
      // `task.return` is called like a lowered function taking the result as its parameter.
      const ft: FuncType = { kind: 'func', async: false, params: r === null ? [] : [{ name: 'v', type: r }], result: null };
      return push(loweredSignature(ft, opts, 'lower', o));
    }
    case 'context.get': case 'context.set': {
      if (c.valType !== I32) fail(`${c.kind} only supports \`i32\``, o);
      if (c.slot! > 1) fail(`invalid context slot ${c.slot}`, o);
      return push(c.kind === 'context.get' ? sig([], [I32]) : sig([I32], []));
    }
    case 'subtask.cancel': return push(sig([I32], [I32]));
    case 'subtask.drop': return push(sig([I32], []));
    case 'stream.new': case 'future.new': payloadTypeAt(s, c.typeIdx!, c.kind === 'stream.new' ? 'stream' : 'future', o); return push(sig([], [I64]));
    case 'stream.read': case 'stream.write': case 'future.read': case 'future.write': {
      const kind = c.kind.startsWith('stream') ? 'stream' : 'future';
      const elem = payloadTypeAt(s, c.typeIdx!, kind, o);
      const opts = checkOptions(s, c.options!, o);
      if (opts.callback !== null) fail('cannot specify callback without async', o);
      if (opts.postReturn !== null) fail('canonical option `post-return` cannot be specified for lowerings', o);
      if (elem !== null && opts.memory === null) fail('canonical option `memory` is required', o);
      if (c.kind.endsWith('read') && needsMemory(elem) && opts.realloc === null) fail('canonical option `realloc` is required', o);
      return push(kind === 'stream' ? sig([I32, I32, I32], [I32]) : sig([I32, I32], [I32]));
    }
    case 'stream.cancel-read': case 'stream.cancel-write': case 'future.cancel-read': case 'future.cancel-write':
      payloadTypeAt(s, c.typeIdx!, c.kind.startsWith('stream') ? 'stream' : 'future', o);
      return push(sig([I32], [I32]));
    case 'stream.drop-readable': case 'stream.drop-writable': case 'future.drop-readable': case 'future.drop-writable':
      payloadTypeAt(s, c.typeIdx!, c.kind.startsWith('stream') ? 'stream' : 'future', o);
      return push(sig([I32], []));
    case 'error-context.new': {
      const opts = checkOptions(s, c.options!, o);
      if (opts.memory === null) fail('canonical option `memory` is required', o);
      return push(sig([I32, I32], [I32]));
    }
    case 'error-context.debug-message': {
      const opts = checkOptions(s, c.options!, o);
      if (opts.memory === null) fail('canonical option `memory` is required', o);
      if (opts.realloc === null) fail('canonical option `realloc` is required', o);
      return push(sig([I32, I32], []));
    }
    case 'error-context.drop': return push(sig([I32], []));
    case 'waitable-set.new': return push(sig([], [I32]));
    case 'waitable-set.wait': case 'waitable-set.poll':
      if (s.coreMems[c.memory!] === undefined) fail(`unknown memory ${c.memory}: memory index out of bounds`, o);
      return push(sig([I32, I32], [I32]));
    case 'waitable-set.drop': return push(sig([I32], []));
    case 'waitable.join': return push(sig([I32, I32], []));
    case 'thread.index': return push(sig([], [I32]));
    case 'thread.new-indirect': case 'thread.spawn-indirect': {
      const ft = s.coreTypes[c.funcTypeIdx!];
      if (ft === undefined) fail(`unknown type ${c.funcTypeIdx}: type index out of bounds`, o);
      if (ft.kind !== 'func') fail(`core type index ${c.funcTypeIdx} is not a function type`, o);
      if (s.coreTables[c.table!] === undefined) fail(`unknown table ${c.table}: table index out of bounds`, o);
      return push(sig([I32, I32], [I32]));
    }
    case 'thread.spawn-ref': return push(sig([I32, I32], [I32]));
    case 'thread.available-parallelism': return push(sig([], [I32]));
    case 'thread.resume-later': return push(sig([I32], []));
    case 'thread.suspend': case 'thread.yield': return push(sig([], [I32]));
    case 'thread.suspend-then-resume': case 'thread.yield-then-resume':
    case 'thread.suspend-then-promote': case 'thread.yield-then-promote':
      return push(sig([I32], [I32]));
  }
}

function resolveVal(s: Scope, r: number | string, o: number): ValType {
  if (typeof r === 'string') return r as ValType;
  const t = s.types[r];
  if (t === undefined) fail(`unknown type ${r}: type index out of bounds`, o);
  if (typeof t !== 'string' && (t instanceof ResourceType || t.kind === 'func' || t.kind === 'component' || t.kind === 'instance')) fail(`type index ${r} is not a defined type`, o);
  return t as ValType;
}
