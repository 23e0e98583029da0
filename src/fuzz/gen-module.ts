// Random valid core modules for differential fuzzing (cmr fuzz), as text.
// Each is a memory, two mutable globals, a funcref and an externref table,
// an imported host function (`host.trace`, whose calls are compared), a few
// leaf functions in the funcref table, and a few exported functions whose
// bodies are random typed expression trees over WebAssembly 2.0: numeric
// instructions (arithmetic, comparisons, conversions trapping and
// saturating), loads and stores (mostly in bounds, sometimes not), select,
// if, block, calls to earlier functions, reference types (ref.null,
// ref.is_null, ref.func, typed select, externref parameters and results)
// and tables (table.get/set/size/grow/fill/copy, call_indirect into the
// funcref table, in bounds or not, of the right signature or not). Leaves
// call nothing, and functions call only earlier ones, so nothing recurses
// and every call ends. Valid by construction: every expression is
// generated for the type its context needs.
//
// A NaN's sign and payload after arithmetic are nondeterministic (spec
// §4.3.3), so two conformant engines may differ wherever those bits become
// observable: reinterpretation to an integer, a store to memory, the sign
// copysign copies. Floats are passed through $denan (any NaN becomes 0)
// there, so only deterministic behaviour is compared.

/** A seeded PRNG (mulberry32): the same seed, the same modules. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

export type NumType = 'i32' | 'i64' | 'f32' | 'f64';
export type RefType = 'funcref' | 'externref';
/** The value types of generated code. */
export type VT = NumType | RefType;
const TYPES: readonly NumType[] = ['i32', 'i64', 'f32', 'f64'];

function isRef(t: VT): t is RefType {
  return t === 'funcref' || t === 'externref';
}

/** The signatures of the leaf functions in the funcref table (call_indirect picks one, rightly or not). */
const SIGS: readonly { params: NumType[]; result: NumType }[] = [
  { params: ['i32'], result: 'i32' },
  { params: ['i64', 'i32'], result: 'i64' },
  { params: ['f64'], result: 'f64' },
  { params: [], result: 'i32' },
  { params: ['f32'], result: 'f32' },
];

/** Constants that find edge cases, beside small random ones. */
const SPECIAL: Record<NumType, readonly string[]> = {
  i32: ['0', '1', '-1', '0x7fffffff', '0x80000000', '31', '32', '0xffff', '65536'],
  i64: ['0', '1', '-1', '0x7fffffffffffffff', '0x8000000000000000', '63', '64', '0xffffffff'],
  f32: ['0', '-0', '1', '-1', 'nan', '-nan', 'nan:0x200000', 'inf', '-inf', '0x1p-149', '2147483648', '-2147483904', '4294967296', '0.5', '-1.5', '2.5'],
  f64: ['0', '-0', '1', '-1', 'nan', '-nan', 'nan:0x4000000000000', 'inf', '-inf', '0x0.0000000000001p-1022', '9223372036854775808', '-9223372036854777856', '4294967296', '0.5', '-2.5', '1e300'],
};

/** A random argument of type t, in the script syntax: `(i32.const 1)`, `(ref.extern 2)`. */
export function randomArg(r: Rng, t: VT): string {
  if (t === 'externref') return r.chance(0.25) ? '(ref.null extern)' : `(ref.extern ${1 + r.int(3)})`;
  if (t === 'funcref') return '(ref.null func)';
  return `(${t}.const ${randomConst(r, t)})`;
}

/** A random constant of type t, as text. */
export function randomConst(r: Rng, t: NumType): string {
  if (r.chance(0.5)) return SPECIAL[t][r.int(SPECIAL[t].length)]!;
  switch (t) {
    case 'i32': return String(r.int(2001) - 1000);
    case 'i64': return String(r.int(2001) - 1000);
    default: return (r.next() * 200 - 100).toFixed(r.int(4));
  }
}

const BIN: Record<NumType, readonly string[]> = {
  i32: ['add', 'sub', 'mul', 'div_s', 'div_u', 'rem_s', 'rem_u', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', 'rotl', 'rotr'],
  i64: ['add', 'sub', 'mul', 'div_s', 'div_u', 'rem_s', 'rem_u', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', 'rotl', 'rotr'],
  f32: ['add', 'sub', 'mul', 'div', 'min', 'max', 'copysign'],
  f64: ['add', 'sub', 'mul', 'div', 'min', 'max', 'copysign'],
};
const UN: Record<NumType, readonly string[]> = {
  i32: ['clz', 'ctz', 'popcnt', 'extend8_s', 'extend16_s'],
  i64: ['clz', 'ctz', 'popcnt', 'extend8_s', 'extend16_s', 'extend32_s'],
  f32: ['abs', 'neg', 'sqrt', 'ceil', 'floor', 'trunc', 'nearest'],
  f64: ['abs', 'neg', 'sqrt', 'ceil', 'floor', 'trunc', 'nearest'],
};
const CMP_INT = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'];
const CMP_FLOAT = ['eq', 'ne', 'lt', 'gt', 'le', 'ge'];
/** Conversions into each type: [instruction, operand type]. */
const CONV: Record<NumType, readonly [string, NumType][]> = {
  i32: [['i32.wrap_i64', 'i64'], ['i32.trunc_f32_s', 'f32'], ['i32.trunc_f32_u', 'f32'], ['i32.trunc_f64_s', 'f64'], ['i32.trunc_f64_u', 'f64'],
    ['i32.trunc_sat_f32_s', 'f32'], ['i32.trunc_sat_f64_u', 'f64'], ['i32.reinterpret_f32', 'f32'], ['i64.eqz', 'i64']],
  i64: [['i64.extend_i32_s', 'i32'], ['i64.extend_i32_u', 'i32'], ['i64.trunc_f32_s', 'f32'], ['i64.trunc_f64_u', 'f64'], ['i64.trunc_f64_s', 'f64'],
    ['i64.trunc_sat_f32_u', 'f32'], ['i64.trunc_sat_f64_s', 'f64'], ['i64.reinterpret_f64', 'f64']],
  f32: [['f32.convert_i32_s', 'i32'], ['f32.convert_i32_u', 'i32'], ['f32.convert_i64_s', 'i64'], ['f32.convert_i64_u', 'i64'], ['f32.demote_f64', 'f64'], ['f32.reinterpret_i32', 'i32']],
  f64: [['f64.convert_i32_s', 'i32'], ['f64.convert_i32_u', 'i32'], ['f64.convert_i64_s', 'i64'], ['f64.convert_i64_u', 'i64'], ['f64.promote_f32', 'f32'], ['f64.reinterpret_i64', 'i64']],
};
const LOADS: Record<NumType, readonly string[]> = {
  i32: ['i32.load', 'i32.load8_s', 'i32.load8_u', 'i32.load16_s', 'i32.load16_u'],
  i64: ['i64.load', 'i64.load8_s', 'i64.load16_u', 'i64.load32_s', 'i64.load32_u'],
  f32: ['f32.load'],
  f64: ['f64.load'],
};
const STORES: Record<NumType, readonly string[]> = {
  i32: ['i32.store', 'i32.store8', 'i32.store16'],
  i64: ['i64.store', 'i64.store8', 'i64.store32'],
  f32: ['f32.store'],
  f64: ['f64.store'],
};

/** Float expression `e` with any NaN replaced by 0 (integers unchanged). */
function denan(t: NumType, e: string): string {
  return t === 'f32' || t === 'f64' ? `(call $denan_${t} ${e})` : e;
}

/** The $denan helpers: x if x == x, else 0. */
const DENAN = (['f32', 'f64'] as const).map(
  (t) => `(func $denan_${t} (param ${t}) (result ${t}) (select (local.get 0) (${t}.const 0) (${t}.eq (local.get 0) (local.get 0))))`,
);

export interface Func {
  name: string;
  params: VT[];
  result: VT | null;
}

interface Scope {
  locals: VT[];
  callable: Func[];
  /** Leaves: no call_indirect (a leaf in the table could reach itself). */
  leaf: boolean;
  /** The leaf functions ref.func may name. */
  leaves: string[];
}

class Gen {
  constructor(private readonly r: Rng) {}

  /** An address: masked into the first page nearly always, so most accesses succeed. */
  private addr(s: Scope, depth: number): string {
    const e = this.expr('i32', s, depth);
    return this.r.chance(0.9) ? `(i32.and ${e} (i32.const 0xfff8))` : e;
  }

  /** A table index: mostly a small constant near the table's size, sometimes computed. */
  private index(s: Scope, depth: number): string {
    return this.r.chance(0.7) ? `(i32.const ${this.r.int(10)})` : `(i32.and ${this.expr('i32', s, depth)} (i32.const 15))`;
  }

  private localOf(t: VT, s: Scope): string | null {
    const locals = s.locals.map((lt, i) => [lt, i] as const).filter(([lt]) => lt === t);
    return locals.length ? `(local.get ${this.r.pick(locals)[1]})` : null;
  }

  /** A reference expression of type t. */
  refExpr(t: RefType, s: Scope, depth: number): string {
    const r = this.r;
    const table = t === 'funcref' ? '$t' : '$e';
    const local = this.localOf(t, s);
    if (depth <= 0 || r.chance(0.3)) {
      if (local && r.chance(0.5)) return local;
      if (t === 'funcref' && s.leaves.length && r.chance(0.6)) return `(ref.func ${r.pick(s.leaves)})`;
      return `(ref.null ${t === 'funcref' ? 'func' : 'extern'})`;
    }
    const d = depth - 1;
    switch (r.int(3)) {
      case 0: return `(table.get ${table} ${this.index(s, d)})`;
      case 1: return `(select (result ${t}) ${this.refExpr(t, s, d)} ${this.refExpr(t, s, d)} ${this.expr('i32', s, d)})`;
      default: return `(if (result ${t}) ${this.expr('i32', s, d)} (then ${this.refExpr(t, s, d)}) (else ${this.refExpr(t, s, d)}))`;
    }
  }

  /** The table forms that give a number: size, grow, is_null, the host import, call_indirect. */
  private tableExpr(t: NumType, s: Scope, d: number): string | null {
    const r = this.r;
    if (t === 'i32') {
      switch (r.int(5)) {
        case 0: return `(table.size ${r.pick(['$t', '$e'])})`;
        case 1: {
          const rt = r.pick(['funcref', 'externref'] as const);
          return `(table.grow ${rt === 'funcref' ? '$t' : '$e'} ${this.refExpr(rt, s, d)} ${r.chance(0.8) ? `(i32.const ${r.int(6)})` : this.expr('i32', s, d)})`;
        }
        case 2: return `(ref.is_null ${this.refExpr(r.pick(['funcref', 'externref'] as const), s, d)})`;
        case 3: return `(call $trace ${this.expr('i32', s, d)})`;
      }
    }
    if (s.leaf) return null;
    const sigs = SIGS.map((g, i) => [g, i] as const).filter(([g]) => g.result === t);
    if (!sigs.length) return null;
    const [g, i] = r.pick(sigs);
    return `(call_indirect $t (type $s${i})${g.params.map((p) => ` ${this.expr(p, s, d)}`).join('')} ${this.index(s, d)})`;
  }

  expr(t: VT, s: Scope, depth: number): string {
    if (isRef(t)) return this.refExpr(t, s, depth);
    const r = this.r;
    const leaf = depth <= 0 || r.chance(0.25);
    if (leaf) {
      const locals = s.locals.map((lt, i) => [lt, i] as const).filter(([lt]) => lt === t);
      if (locals.length && r.chance(0.5)) return `(local.get ${r.pick(locals)[1]})`;
      if (t === 'i32' && r.chance(0.1)) return '(global.get $g)';
      if (t === 'f64' && r.chance(0.1)) return '(global.get $h)';
      return `(${t}.const ${randomConst(r, t)})`;
    }
    const d = depth - 1;
    const isInt = t === 'i32' || t === 'i64';
    switch (r.int(12)) {
      case 0: case 1: case 2: {
        const op = r.pick(BIN[t]);
        const y = this.expr(t, s, d);
        return `(${t}.${op} ${this.expr(t, s, d)} ${op === 'copysign' ? denan(t, y) : y})`;
      }
      case 3:
        return `(${t}.${r.pick(UN[t])} ${this.expr(t, s, d)})`;
      case 4: {
        if (t !== 'i32') break;
        const ot = r.pick(TYPES);
        const op = ot === 'i32' || ot === 'i64' ? r.pick(CMP_INT) : r.pick(CMP_FLOAT);
        return r.chance(0.2) ? `(${ot === 'i32' || ot === 'i64' ? ot : 'i32'}.eqz ${this.expr(ot === 'i32' || ot === 'i64' ? ot : 'i32', s, d)})`
          : `(${ot}.${op} ${this.expr(ot, s, d)} ${this.expr(ot, s, d)})`;
      }
      case 5: {
        const [op, ot] = r.pick(CONV[t]);
        const operand = this.expr(ot, s, d);
        return `(${op} ${op.includes('reinterpret') ? denan(ot, operand) : operand})`;
      }
      case 6:
        return `(${r.pick(LOADS[t])} ${this.addr(s, d)})`;
      case 7:
        return `(select ${this.expr(t, s, d)} ${this.expr(t, s, d)} ${this.expr('i32', s, d)})`;
      case 8:
        return `(if (result ${t}) ${this.expr('i32', s, d)} (then ${this.stmt(s, d)} ${this.expr(t, s, d)}) (else ${this.expr(t, s, d)}))`;
      case 9:
        // A block that may leave early with br_if.
        return `(block $b (result ${t}) ${this.stmt(s, d)} (br_if $b ${this.expr(t, s, d)} ${this.expr('i32', s, d)}) (drop) ${this.expr(t, s, d)})`;
      case 10: {
        const fs = s.callable.filter((f) => f.result === t);
        if (!fs.length) break;
        const f = r.pick(fs);
        return `(call ${f.name} ${f.params.map((p) => this.expr(p, s, d)).join(' ')})`;
      }
      case 11: {
        const e = this.tableExpr(t, s, d);
        if (e) return e;
        break;
      }
    }
    return isInt ? `(${t}.${r.pick(BIN[t])} ${this.expr(t, s, d)} ${this.expr(t, s, d)})` : `(${t}.${r.pick(UN[t])} ${this.expr(t, s, d)})`;
  }

  /** A statement: a store, a global or local set, a table change, a host call, or nothing. */
  stmt(s: Scope, depth: number): string {
    const r = this.r;
    switch (r.int(6)) {
      case 4: {
        const rt = r.pick(['funcref', 'externref'] as const);
        const table = rt === 'funcref' ? '$t' : '$e';
        switch (r.int(3)) {
          case 0: return `(table.set ${table} ${this.index(s, depth)} ${this.refExpr(rt, s, depth)})`;
          case 1: return `(table.fill ${table} ${this.index(s, depth)} ${this.refExpr(rt, s, depth)} (i32.const ${r.int(5)}))`;
          default: return `(table.copy ${table} ${table} ${this.index(s, depth)} ${this.index(s, depth)} (i32.const ${r.int(5)}))`;
        }
      }
      case 5:
        return `(drop (call $trace ${this.expr('i32', s, depth)}))`;
      case 0: {
        const t = r.pick(TYPES);
        return `(${r.pick(STORES[t])} ${this.addr(s, depth)} ${denan(t, this.expr(t, s, depth))})`;
      }
      case 1:
        return r.chance(0.5) ? `(global.set $g ${this.expr('i32', s, depth)})` : `(global.set $h ${this.expr('f64', s, depth)})`;
      case 2: {
        if (!s.locals.length) return '(nop)';
        const i = r.int(s.locals.length);
        return `(local.set ${i} ${this.expr(s.locals[i]!, s, depth)})`;
      }
      default:
        return '(nop)';
    }
  }
}

/** A random module with its exported functions' signatures. */
export function generateModule(r: Rng): { wat: string; funcs: Func[] } {
  const g = new Gen(r);
  const funcs: Func[] = [];
  const leaves: string[] = [];
  const parts: string[] = [
    '(import "host" "trace" (func $trace (param i32) (result i32)))',
    ...SIGS.map((g, i) => `(type $s${i} (func${g.params.map((p) => ` (param ${p})`).join('')} (result ${g.result})))`),
    '(memory (export "mem") 1)',
    '(table $t (export "t") 8 32 funcref)',
    '(table $e (export "e") 4 16 externref)',
    '(global $g (export "g") (mut i32) (i32.const 0))',
    '(global $h (export "h") (mut f64) (f64.const 0))',
    ...DENAN,
    `(data (i32.const 0) "${Array.from({ length: 16 }, () => `\\${r.int(256).toString(16).padStart(2, '0')}`).join('')}")`,
  ];
  const nLeaves = 1 + r.int(3);
  for (let k = 0; k < nLeaves; k++) {
    const i = r.int(SIGS.length);
    const sig = SIGS[i]!;
    const scope: Scope = { locals: [...sig.params], callable: [], leaf: true, leaves: [] };
    parts.push(`(func $l${k} (type $s${i}) ${g.expr(sig.result, scope, 1 + r.int(3))})`);
    leaves.push(`$l${k}`);
  }
  parts.push(`(elem (table $t) (i32.const ${r.int(4)}) func ${leaves.join(' ')})`);
  const valueType = (refs: number): VT => (r.chance(refs) ? r.pick(['externref', 'funcref'] as const) : r.pick(TYPES));
  const n = 1 + r.int(4);
  for (let i = 0; i < n; i++) {
    const params = Array.from({ length: r.int(4) }, () => (r.chance(0.1) ? 'externref' as const : r.pick(TYPES)));
    const extra = Array.from({ length: r.int(3) }, () => valueType(0.15));
    const result = r.chance(0.85) ? valueType(0.1) : null;
    const f: Func = { name: `$f${i}`, params, result };
    const scope: Scope = { locals: [...params, ...extra], callable: [...funcs], leaf: false, leaves };
    const depth = 2 + r.int(4);
    const stmts = Array.from({ length: r.int(3) }, () => g.stmt(scope, depth - 1)).join(' ');
    const body = result === null ? stmts : `${stmts} ${g.expr(result, scope, depth)}`;
    parts.push(
      `(func ${f.name} (export "f${i}")${params.map((p) => ` (param ${p})`).join('')}${result ? ` (result ${result})` : ''}${extra.length ? ` (local ${extra.join(' ')})` : ''} ${body})`,
    );
    funcs.push(f);
  }
  return { wat: `(module\n  ${parts.join('\n  ')}\n)\n`, funcs };
}
