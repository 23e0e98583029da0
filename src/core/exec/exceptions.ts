// Exception handling in the interpreter (WebAssembly 3.0, exnref version).
//
// try_table costs nothing where nothing is thrown: at run time it is a
// block. What a throw needs is kept beside the prepared tree: for every body
// inside a try_table, the innermost enclosing try_table's handlers
// (`TryScope`, found through the body array, so no label or handler stack
// is kept while running). A throw walks outwards from the current position:
// the try scopes of the current body, then the caller's position saved in
// the configuration's frames, and so on down to the frame standing for the host.
// A matching catch clause resets the operand stack to the try_table's
// height, pushes the payload (and the exnref for the _ref forms) and
// continues at the clause's handler body, a single prepared branch to the
// clause's label. No JS exception unwinds wasm frames; one that leaves the
// outermost wasm frame becomes a WasmException for the host.

import type { ValType } from '../syntax/types.js';
import { CatchKind } from '../syntax/ast.js';
import { type Exn, WasmException } from '../runtime/tag.js';
import type { PNode } from './node.js';
import type { Configuration } from './configuration.js';

/** One catch clause, prepared. */
export interface Handler {
  kind: CatchKind;
  /** Tag index (catch, catch_ref). */
  tag: number;
  /** The payload types pushed (catch, catch_ref). */
  types: readonly ValType[];
  /** One node: the branch to the clause's label. */
  body: PNode[];
}

/** A try_table as a throw sees it. */
export class TryScope {
  constructor(
    readonly handlers: readonly Handler[],
    /** Operand-stack height at the try_table (its parameters popped), from the frame pointer. */
    readonly base: number,
    readonly outer: TryScope | null,
  ) {}
}

/** Bodies inside a try_table, to the innermost one's scope. */
export const tryScopes = new WeakMap<PNode[], TryScope>();

/**
 * Throws `exn` from the configuration's saved position: on a matching handler the
 * configuration's position and stack are set to run it; with none, the exception
 * leaves wasm as a WasmException.
 */
export function throwException(t: Configuration, exn: Exn): void {
  let depth = t.depth, func = t.func!, body = t.body, fp = t.fp;
  for (;;) {
    for (let scope: TryScope | null = tryScopes.get(body) ?? null; scope !== null; scope = scope.outer) {
      for (const h of scope.handlers) {
        const withTag = h.kind === CatchKind.catch || h.kind === CatchKind.catchRef;
        if (withTag && func.inst.tags[h.tag] !== exn.tag) continue;
        let sp = fp + scope.base;
        if (withTag) for (let i = 0; i < h.types.length; i++) t.writeValue(sp++, h.types[i]!, exn.payload[i]!);
        if (h.kind === CatchKind.catchRef || h.kind === CatchKind.catchAllRef) {
          t.i32[2 * sp] = 0; t.i32[2 * sp + 1] = 0;
          t.refs[sp++] = exn;
        }
        t.sp = sp; t.depth = depth; t.func = func; t.body = h.body; t.pc = 0; t.fp = fp;
        return;
      }
    }
    depth--;
    if (depth === 0) throw new WasmException(exn);
    const fr = t.frames[depth]!;
    fp = fr.fp;
    body = fr.body;
    func = fr.func!;
  }
}
