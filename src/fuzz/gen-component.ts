// Random component types and values for `cmr fuzz --components`, and the
// echo component that carries a value of the type through the canonical
// ABI twice. The component exports `echo: func(x: T) -> T` in the instance
// `cmr:fuzz/api`; its core code passes its flat parameters unchanged to the
// imported `echo` of `cmr:fuzz/host` (lowered with the same options) and
// returns what that gives back. So a call lowers x into the guest, lifts it
// for the host import, lowers the host's answer, and lifts it for the
// caller: every rule of lifting and lowering for T, in both directions,
// under one string encoding. The flat signatures of the lift and the
// lower come from canon's flattenFunctype, so they agree by construction:
// too many flat parameters travel behind one pointer in both, and a
// result in memory is written by the lowered import at the same address
// the lifted export returns.
//
// Types are cmr's own ValType objects (so flattening and value printing
// are canon's and the harness's, written once); records, variants, enums
// and flags are named types (exported from both instances), as the
// validator requires of types in an imported or exported function.

import type { Case, DefinedType, FuncType, ValType } from '../component/syntax/types.js';
import type { PrimValType } from '../component/syntax/ast.js';
import type { ComponentValue } from '../component/canon/values.js';
import { flattenFunctype } from '../component/canon/flatten.js';
import type { StringEncoding } from '../component/syntax/ast.js';
import type { Rng } from './gen-module.js';

const PRIMS: readonly PrimValType[] = ['bool', 's8', 'u8', 's16', 'u16', 's32', 'u32', 's64', 'u64', 'f32', 'f64', 'char', 'string'];
const ENCODINGS: readonly StringEncoding[] = ['utf8', 'utf16', 'latin1+utf16'];

/** A random value type, at most `depth` levels deep. */
export function randomType(r: Rng, depth: number, top = false): ValType {
  if (depth <= 0 || r.chance(0.3)) return r.pick(PRIMS);
  const d = depth - 1;
  const k = r.int(top ? 8 : 9);
  switch (k) {
    case 0: return { kind: 'record', fields: Array.from({ length: 1 + r.int(4) }, (_, i) => ({ name: `f${i}`, type: randomType(r, d) })) };
    case 1: return { kind: 'variant', cases: Array.from({ length: 1 + r.int(4) }, (_, i) => ({ name: `c${i}`, type: r.chance(0.7) ? randomType(r, d) : null })) };
    case 2: case 3: return { kind: 'list', elem: randomType(r, d), length: null };
    case 4: return { kind: 'tuple', types: Array.from({ length: 1 + r.int(3) }, () => randomType(r, d)) };
    case 5: return { kind: 'flags', names: Array.from({ length: r.chance(0.2) ? 17 + r.int(16) : 1 + r.int(9) }, (_, i) => `b${i}`) };
    case 6: return { kind: 'enum', names: Array.from({ length: 1 + r.int(r.chance(0.1) ? 300 : 6) }, (_, i) => `e${i}`) };
    case 7: return { kind: 'option', type: randomType(r, d) };
    // A result only below the top: jco's bindings turn a function's whole
    // result into a return or a throw, which is its JS API, not the ABI.
    default: return { kind: 'result', ok: r.chance(0.8) ? randomType(r, d) : null, err: r.chance(0.7) ? randomType(r, d) : null };
  }
}

const INT_RANGE: Record<string, [number, number]> = {
  s8: [-128, 127], u8: [0, 255], s16: [-32768, 32767], u16: [0, 65535], s32: [-(2 ** 31), 2 ** 31 - 1], u32: [0, 2 ** 32 - 1],
};

function randomInt(r: Rng, lo: number, hi: number): number {
  const special = [lo, hi, 0, lo < 0 ? -1 : 1];
  return r.chance(0.4) ? r.pick(special) : lo + Math.floor(r.next() * (hi - lo + 1));
}

function randomBig(r: Rng, signed: boolean): bigint {
  if (r.chance(0.4)) return r.pick(signed ? [-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n] : [0n, 1n, 2n ** 64n - 1n, 2n ** 32n]);
  const x = (BigInt(Math.floor(r.next() * 2 ** 32)) << 32n) | BigInt(Math.floor(r.next() * 2 ** 32));
  return signed ? BigInt.asIntN(64, x) : x;
}

function randomFloat(r: Rng, single: boolean): number {
  const x = r.chance(0.3) ? r.pick([0, -0, 1, -1, NaN, Infinity, -Infinity, single ? 1.4e-45 : 5e-324, single ? 3.4028234663852886e38 : Number.MAX_VALUE])
    : (r.next() - 0.5) * 10 ** r.int(12);
  return single ? Math.fround(x) : x;
}

/** A Unicode scalar value: ASCII, Latin-1, the rest of the BMP (no surrogates) or beyond. */
function randomChar(r: Rng): string {
  switch (r.int(4)) {
    case 0: return String.fromCodePoint(0x20 + r.int(0x5f));
    case 1: return String.fromCodePoint(r.int(0x100));
    case 2: { const c = r.int(0xfffe - 0x800) + 0x80; return String.fromCodePoint(c >= 0xd800 && c < 0xe000 ? c + 0x800 : c); }
    default: return String.fromCodePoint(0x10000 + r.int(0x100000));
  }
}

/** A random value of type t, in cmr's representation (canon/values.ts). */
export function randomValue(r: Rng, t: ValType): ComponentValue {
  if (typeof t === 'string') {
    switch (t) {
      case 'bool': return r.chance(0.5);
      case 's64': return randomBig(r, true);
      case 'u64': return randomBig(r, false);
      case 'f32': return randomFloat(r, true);
      case 'f64': return randomFloat(r, false);
      case 'char': return randomChar(r);
      case 'string': return Array.from({ length: r.chance(0.2) ? 0 : r.int(r.chance(0.1) ? 200 : 12) }, () => randomChar(r)).join('');
      default: { const [lo, hi] = INT_RANGE[t]!; return randomInt(r, lo, hi); }
    }
  }
  switch (t.kind) {
    case 'record': return Object.fromEntries(t.fields.map((f) => [f.name, randomValue(r, f.type)]));
    case 'variant': return caseValue(r, t.cases, r.int(t.cases.length));
    case 'list': return Array.from({ length: r.chance(0.2) ? 0 : r.int(5) }, () => randomValue(r, t.elem));
    case 'tuple': return t.types.map((x) => randomValue(r, x));
    case 'flags': return Object.fromEntries(t.names.map((n) => [n, r.chance(0.5)])) as unknown as ComponentValue;
    case 'enum': return r.pick(t.names);
    case 'option': return r.chance(0.3) ? { tag: 'none' } : { tag: 'some', val: randomValue(r, t.type) };
    case 'result': {
      const tag = r.chance(0.5) ? 'ok' : 'err';
      const pt = tag === 'ok' ? t.ok : t.err;
      return pt === null ? { tag } : { tag, val: randomValue(r, pt) };
    }
    default: throw new Error(`the fuzzer makes no values of ${t.kind}`);
  }
}

function caseValue(r: Rng, cases: Case[], i: number): ComponentValue {
  const c = cases[i]!;
  return c.type === null ? { tag: c.name } : { tag: c.name, val: randomValue(r, c.type) };
}

// ---- the component ----------------------------------------------------------------

const NAMED = new Set(['record', 'variant', 'enum', 'flags']);

/**
 * T as component text, with every named type hoisted into `defs` (children
 * first) and referred to as `${prefix}N`.
 */
function typeText(t: ValType, prefix: string, defs: string[]): string {
  if (typeof t === 'string') return t;
  const sub = (x: ValType) => typeText(x, prefix, defs);
  let text: string;
  switch (t.kind) {
    case 'record': text = `(record${t.fields.map((f) => ` (field "${f.name}" ${sub(f.type)})`).join('')})`; break;
    case 'variant': text = `(variant${t.cases.map((c) => ` (case "${c.name}"${c.type === null ? '' : ` ${sub(c.type)}`})`).join('')})`; break;
    case 'enum': text = `(enum${t.names.map((n) => ` "${n}"`).join('')})`; break;
    case 'flags': text = `(flags${t.names.map((n) => ` "${n}"`).join('')})`; break;
    case 'list': return `(list ${sub(t.elem)})`;
    case 'tuple': return `(tuple${t.types.map((x) => ` ${sub(x)}`).join('')})`;
    case 'option': return `(option ${sub(t.type)})`;
    case 'result': return `(result${t.ok === null ? '' : ` ${sub(t.ok)}`}${t.err === null ? '' : ` (error ${sub(t.err)})`})`;
    default: throw new Error(`the fuzzer writes no ${t.kind} types`);
  }
  if (!NAMED.has(t.kind)) return text;
  defs.push(text);
  return `${prefix}${defs.length - 1}`;
}

/** The echo function's type: one parameter and a result, both T. */
export function echoType(t: ValType): FuncType {
  return { kind: 'func', params: [{ name: 'x', type: t }], result: t } as FuncType;
}

/** Where the lowered import writes a result that travels in memory (and the lift reads it). */
const RET_AREA = 8;

/** The echo component for type t with one string encoding, as text. */
export function echoComponent(t: ValType, encoding: StringEncoding): string {
  const hostDefs: string[] = [];
  const hostT = typeText(t, '$h', hostDefs);
  const apiDefs: string[] = [];
  const apiT = typeText(t, '$a', apiDefs);
  const lift = flattenFunctype({ ptrType: 'i32' }, echoType(t), 'lift');
  const lower = flattenFunctype({ ptrType: 'i32' }, echoType(t), 'lower');
  const retptr = lower.params.length > lift.params.length;
  const sig = (ps: readonly string[], rs: readonly string[]) => `${ps.length ? ` (param${ps.map((p) => ` ${p}`).join('')})` : ''}${rs.length ? ` (result ${rs.join(' ')})` : ''}`;
  const opts = `(memory (core memory $libc "mem")) (realloc (core func $libc "realloc")) string-encoding=${encoding}`;
  const forward = lift.params.map((_, i) => ` (local.get ${i})`).join('');
  const text = `(component
  (import "cmr:fuzz/host" (instance $host
    ${hostDefs.map((d, k) => `(type $hd${k} ${d}) (export "n${k}" (type $h${k} (eq $hd${k})))`).join('\n    ')}
    (export "echo" (func (param "x" ${hostT}) (result ${hostT})))))
  ${apiDefs.map((d, k) => `(type $a${k} ${d})`).join('\n  ')}
  (core module $libc
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    ;; A bump allocator that grows memory as needed; nothing is freed, and a
    ;; reallocation copies the old bytes (latin1+utf16 strings grow in place).
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32) (local $end i32)
      (local.set $p (i32.and (i32.add (global.get $next) (i32.sub (local.get 2) (i32.const 1))) (i32.sub (i32.const 0) (local.get 2))))
      (local.set $end (i32.add (local.get $p) (local.get 3)))
      (if (i32.gt_u (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
        (then (if (i32.lt_s (memory.grow (i32.add (i32.shr_u (i32.sub (local.get $end) (i32.mul (memory.size) (i32.const 65536))) (i32.const 16)) (i32.const 1))) (i32.const 0))
          (then unreachable))))
      (global.set $next (local.get $end))
      (memory.copy (local.get $p) (local.get 0) (select (local.get 1) (local.get 3) (i32.lt_u (local.get 1) (local.get 3))))
      (local.get $p)))
  (core instance $libc (instantiate $libc))
  (core func $lowered (canon lower (func $host "echo") ${opts}))
  (core module $m
    (import "host" "echo" (func $echo${sig(lower.params, lower.results)}))
    (func (export "echo")${sig(lift.params, lift.results)}
      (call $echo${forward}${retptr ? ` (i32.const ${RET_AREA})` : ''})${lift.results.length === 1 && retptr ? ` (i32.const ${RET_AREA})` : ''}))
  (core instance $m (instantiate $m (with "host" (instance (export "echo" (func $lowered))))))
  (func $echo (param "x" ${apiT}) (result ${apiT}) (canon lift (core func $m "echo") ${opts}))
  (instance $api${apiDefs.map((_, k) => ` (export "n${k}" (type $a${k}))`).join('')} (export "echo" (func $echo)))
  (export "cmr:fuzz/api" (instance $api))
)
`;
  // No named types leave empty lines behind.
  return text.replace(/\n\s*\n/g, '\n');
}

/** A random echo component: its type, string encoding and text. */
export function randomEchoCase(r: Rng): { type: ValType; encoding: StringEncoding } {
  return { type: randomType(r, 1 + r.int(4), true), encoding: r.pick(ENCODINGS) };
}

export type { DefinedType };
