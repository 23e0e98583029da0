// Which post-MVP features a module uses, read off its AST, so that an engine
// lacking one can say "skip: needs <feature>" instead of failing.

import type { Instr, Module } from './ast.js';
import { FD } from './opcodes.js';
import { V128, type FuncType } from './types.js';

export type Feature = 'simd';

export function moduleFeatures(m: Module): Set<Feature> {
  const found = new Set<Feature>();
  const hasV128 = (t: FuncType) => t.params.includes(V128) || t.results.includes(V128);
  if (m.types.some(hasV128) || m.globals.some((g) => g.type.type === V128)
    || m.funcs.some((f) => f.locals.includes(V128) || usesSimdOps(f.body))
    || m.globals.some((g) => usesSimdOps(g.init))
    || m.imports.some((i) => i.desc.kind === 'global' && i.desc.type.type === V128)) {
    found.add('simd');
  }
  return found;
}

function usesSimdOps(body: Instr[]): boolean {
  // An explicit work list: bodies nest as deeply as the module author liked.
  const work: Instr[][] = [body];
  while (work.length > 0) {
    for (const ins of work.pop()!) {
      if (ins.op >= FD && ins.op < FD + 0x1000) return true;
      if (ins.body) work.push(ins.body);
      if (ins.else_) work.push(ins.else_);
    }
  }
  return false;
}
