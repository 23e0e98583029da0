// The `name` custom section (spec §7.4.1 "Name Section").
//
// Custom sections never make a module malformed, so a name section that does
// not parse is dropped as a whole rather than reported.

import type { NameMap } from '../syntax/ast.js';
import { DecodeError } from '../errors.js';
import { Reader } from './reader.js';

const MODULE_NAME = 0;
const FUNCTION_NAMES = 1;
const LOCAL_NAMES = 2;

function readNameMap(r: Reader, into: Map<number, string>): void {
  const n = r.len();
  for (let i = 0; i < n; i++) {
    const index = r.u32();
    into.set(index, r.name());
  }
}

/** The names in a `name` section's payload, or null when it is not well-formed. */
export function parseNameSection(payload: Uint8Array): NameMap | null {
  const names: NameMap = { module: null, funcs: new Map(), locals: new Map() };
  const r = new Reader(payload);
  let lastId = -1;
  try {
    while (!r.eof()) {
      const id = r.u8();
      const size = r.len();
      const end = r.pos + size;
      // Subsections come at most once each, in order of their ids.
      if (id <= lastId) return null;
      lastId = id;
      const sub = new Reader(payload, r.pos, end);
      switch (id) {
        case MODULE_NAME:
          names.module = sub.name();
          break;
        case FUNCTION_NAMES:
          readNameMap(sub, names.funcs);
          break;
        case LOCAL_NAMES: {
          const n = sub.len();
          for (let i = 0; i < n; i++) {
            const func = sub.u32();
            const locals = new Map<number, string>();
            readNameMap(sub, locals);
            names.locals.set(func, locals);
          }
          break;
        }
        default:
          // Subsections of later proposals (labels, types, ...): skipped.
          sub.pos = end;
      }
      if (!sub.eof()) return null;
      r.pos = end;
    }
  } catch (e) {
    if (e instanceof DecodeError) return null;
    throw e;
  }
  return names;
}
