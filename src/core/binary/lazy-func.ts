// Function bodies kept as byte ranges. The decoder checks every body when it
// reads the module (so malformed code is refused at once, with the reference
// decoder's message) but keeps only where each body starts; the code is
// decoded again for each pass that needs it (validation, the interpreter's
// preparation on a function's first call) and dropped after it. A 12 MB
// module then never holds a tree for every instruction, and the native
// engine, which hands the bytes to the host, keeps none at all.

import type { Func, FuncCode, Instr } from '../syntax/ast.js';
import type { ValType } from '../syntax/types.js';
import type { CoreFeatures } from '../syntax/feature-set.js';
import { Reader } from './reader.js';
import { readExpr } from './code.js';
import { readValType } from './types.js';

/**
 * Engines cap the locals of one function (V8 at 50000); so do we, so that a
 * few bytes declaring billions of locals cannot make us allocate them.
 */
export const MAX_FUNCTION_LOCALS = 50000;

/** A function's declared locals (spec §5.5.13), expanded to one entry per local. */
export function readLocals(r: Reader): ValType[] {
  const at = r.pos;
  const groups = r.len();
  const counts: number[] = [];
  const types: ValType[] = [];
  let total = 0;
  for (let i = 0; i < groups; i++) {
    counts.push(r.u32());
    types.push(readValType(r));
    total += counts[i]!;
  }
  if (total >= 2 ** 32 || total > MAX_FUNCTION_LOCALS) r.fail('too many locals', at);
  const locals = new Array<ValType>(total);
  let k = 0;
  for (let i = 0; i < groups; i++) {
    for (let j = 0; j < counts[i]!; j++) locals[k++] = types[i]!;
  }
  return locals;
}

/**
 * Decodes one function's locals and body from a module's bytes, `offset`
 * being its Func.offset (just after the entry's size). For bodies the
 * decoder has read before: neither the entry's size nor the module's data
 * count is checked again.
 */
export function decodeFuncCode(bytes: Uint8Array, offset: number, features: CoreFeatures): FuncCode {
  const r = new Reader(bytes, offset);
  r.features = features;
  const locals = readLocals(r);
  return { locals, body: readExpr(r, { usesDataIndex: false, features }) };
}

/**
 * A defined function whose code stays in the module's bytes. `code()`
 * decodes it for one pass; reading `locals` or `body` (tools, tests)
 * decodes it once and keeps it, as does setting them.
 */
export class LazyFunc implements Func {
  private kept: FuncCode | null = null;

  constructor(
    public typeIdx: number,
    public offset: number,
    private readonly bytes: Uint8Array,
    private readonly features: CoreFeatures,
    /** What the bytes must pass before a body is decoded from them (decode.ts's TrustedCode), or null. */
    private readonly check: (() => void) | null = null,
  ) {}

  code(): FuncCode {
    if (this.kept !== null) return this.kept;
    if (this.check !== null) this.check();
    return decodeFuncCode(this.bytes, this.offset, this.features);
  }

  private keep(): FuncCode {
    return (this.kept ??= this.code());
  }

  get locals(): ValType[] {
    return this.keep().locals;
  }

  set locals(locals: ValType[]) {
    this.keep().locals = locals;
  }

  get body(): Instr[] {
    return this.keep().body;
  }

  set body(body: Instr[]) {
    this.keep().body = body;
  }
}
