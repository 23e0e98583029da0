// The identity of the interpreter's node codes, for the serialized form's
// header (api/serialize.ts). Stored prepared code (prepared-store.ts) holds
// numbers whose meaning is set by tables of this cmr: node ops (ops.ts's O,
// node.ts's P), the fused i32 operations in a node's `c` (i32-binary.ts's
// generated B) and the fused comparisons' encoding, vector nodes' `f`
// (simd/prepare.ts's V), source instructions' ops (syntax/opcodes.ts's Op),
// value types (reftypes.ts's HT and its reference-type packing), catch
// kinds, and the node and source fields in the order the store writes them.
// A form written by a cmr whose tables differ would run other nodes than it
// stored, so the header carries a digest of all of them, names and numbers,
// and loading refuses a form whose digest is not this cmr's: a renumbering
// needs no hand bump of FORMAT_VERSION.
//
// The const enums are read as objects: tsconfig.json's preserveConstEnums
// keeps each one's object in the emitted JavaScript (code that uses them
// still gets their numbers inlined, so the loop's switch is unchanged).

import { createHash } from 'node:crypto';
import * as ops from './ops.js';
import * as node from './node.js';
import * as i32Binary from './i32-binary.js';
import * as simdPrepare from './simd/prepare.js';
import * as reftypes from '../syntax/reftypes.js';
import * as ast from '../syntax/ast.js';
import { Op } from '../syntax/opcodes.js';
import { INSTR_STORED, NODE_FIELDS } from './prepared-store.js';

/** A const enum's members (name, number), read from the object preserveConstEnums keeps. */
function enumMembers(module: object, name: string): [string, number][] {
  const e = (module as Record<string, unknown>)[name];
  if (e === null || typeof e !== 'object') throw new Error(`the const enum ${name} has no object at run time: tsconfig.json must keep preserveConstEnums`);
  // A numeric enum's object also maps each number back to its name: only the name → number entries.
  return Object.entries(e).filter((x): x is [string, number] => typeof x[1] === 'number');
}

/** Every table the stored node encoding depends on, by name: its entries as [name, number]. */
export function nodeCodeTables(): Map<string, [string, number][]> {
  const list = (xs: readonly (number | boolean | string)[]): [string, number][] => xs.map((x, i) => [String(x), i]);
  return new Map<string, [string, number][]>([
    ['O', enumMembers(ops, 'O')],
    ['P', enumMembers(node, 'P')],
    ['B', enumMembers(i32Binary, 'B')],
    ['V', enumMembers(simdPrepare, 'V')],
    ['HT', enumMembers(reftypes, 'HT')],
    ['CatchKind', enumMembers(ast, 'CatchKind')],
    ['Op', Object.entries(Op as Record<string, number>)],
    ['reference types', [['NON_NULL', reftypes.NON_NULL], ['type 0', reftypes.concreteHeap(0)]]],
    ['COMPARE_OUTCOMES', i32Binary.COMPARE_OUTCOMES.map((x, i) => [String(i), x])],
    ['COMPARE_UNSIGNED', list(i32Binary.COMPARE_UNSIGNED)],
    ['NODE_FIELDS', list(NODE_FIELDS)],
    ['INSTR_STORED', list(INSTR_STORED)],
  ]);
}

/** The sha256 (hex) of `tables` (nodeCodeTables' shape): names and numbers, in the order the sources declare them. */
export function fingerprintOf(tables: ReadonlyMap<string, readonly [string, number][]>): string {
  // One JSON text, one hash: this runs cold, at the first load of a form
  // with prepared code, where a loop building a string per entry cost ~2 ms.
  return createHash('sha256').update(JSON.stringify([...tables])).digest('hex');
}

let fingerprint: string | null = null;

/** The fingerprint of this cmr's node codes, computed once per process. */
export function nodeCodeFingerprint(): string {
  return fingerprint ??= fingerprintOf(nodeCodeTables());
}
