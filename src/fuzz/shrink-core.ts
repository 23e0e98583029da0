// Shrinking a core disagreement: delta debugging over the calls and the
// module's text. Calls go first (those after the disagreeing one, then each
// earlier one), then the module as an s-expression tree, top down: each
// list node is deleted, or replaced by one of its own sub-lists, or by a
// constant of each type; then numeric constants become 0 or 1. Candidates
// the text front end or cmr's validator refuse are simply not taken (the
// shrinker knows no typing rules; validation is its filter). The first
// candidate that still disagrees is taken and the search goes on from it,
// until nothing more shrinks or the budget is spent.

import { readSExprs, type SExpr } from '../wast/sexpr.js';
import type { CoreCall, CoreCase } from './differential.js';

type Node = { kind: 'list'; items: Node[] } | { kind: 'atom'; text: string };

function toNode(e: SExpr, src: string): Node {
  if (e.kind === 'list') return { kind: 'list', items: e.items.map((x) => toNode(x, src)) };
  // Strings keep their source spelling (escapes and all).
  return { kind: 'atom', text: e.kind === 'atom' ? e.text : src.slice(e.start, e.end) };
}

function print(n: Node): string {
  return n.kind === 'atom' ? n.text : `(${n.items.map(print).join(' ')})`;
}

/** Module fields and declarations whose insides are not shrunk (deleting them whole is tried). */
const OPAQUE = new Set(['type', 'import', 'param', 'result', 'local', 'export', 'memory', 'table']);
const CONSTANTS = ['(i32.const 0)', '(i64.const 0)', '(f32.const 0)', '(f64.const 0)', '(ref.null func)', '(ref.null extern)', '(nop)'];

function head(n: Node): string {
  return n.kind === 'list' && n.items[0]?.kind === 'atom' ? n.items[0].text : '';
}

/** Every list node below the root with its parent and position, top down. */
function listNodes(root: Node): { parent: Node & { kind: 'list' }; i: number; node: Node & { kind: 'list' } }[] {
  const out: { parent: Node & { kind: 'list' }; i: number; node: Node & { kind: 'list' } }[] = [];
  const walk = (p: Node & { kind: 'list' }) => {
    p.items.forEach((c, i) => {
      if (c.kind !== 'list') return;
      out.push({ parent: p, i, node: c });
      if (!OPAQUE.has(head(c))) walk(c);
    });
  };
  if (root.kind === 'list') walk(root);
  return out;
}

/** The candidate edits of the tree, lazily: each applies an edit and returns its undo. */
function* edits(root: Node): Generator<() => () => void> {
  const nodes = listNodes(root);
  for (const { parent, i, node } of nodes) {
    const put = (x: Node | null) => () => {
      const old = parent.items[i]!;
      if (x === null) parent.items.splice(i, 1);
      else parent.items[i] = x;
      return () => { if (x === null) parent.items.splice(i, 0, old); else parent.items[i] = old; };
    };
    yield put(null);
    if (OPAQUE.has(head(node))) continue;
    for (const c of node.items) if (c.kind === 'list' && !OPAQUE.has(head(c))) yield put(c);
    const text = print(node);
    for (const k of CONSTANTS) if (k !== text) yield put(readTree(k));
  }
  for (const { node } of nodes) {
    if (!/\.const$/.test(head(node)) || node.items.length !== 2) continue;
    const atom = node.items[1]!;
    if (atom.kind !== 'atom') continue;
    for (const v of ['0', '1']) {
      if (atom.text === v) continue;
      yield () => {
        const old = atom.text;
        atom.text = v;
        return () => { atom.text = old; };
      };
    }
  }
}

function readTree(text: string): Node {
  // The .wast reader only skims module fields (the text front end reads
  // them); under another head it reads every level.
  const disguised = text.replace(/^\s*\(module\b/, '(shrink-module');
  const root = toNode(readSExprs(disguised)[0]!, disguised);
  if (root.kind === 'list' && root.items[0]?.kind === 'atom' && root.items[0].text === 'shrink-module') root.items[0].text = 'module';
  return root;
}

/**
 * Shrinks a failing case while `stillFails` holds, within `budgetMs`.
 * `failIndex` is the disagreeing call's index (calls.length for the final state).
 */
export async function shrinkCore(c: CoreCase, failIndex: number, stillFails: (c: CoreCase) => Promise<boolean>, budgetMs: number): Promise<{ case: CoreCase; tries: number; steps: number }> {
  const deadline = Date.now() + budgetMs;
  let tries = 0;
  let steps = 0;
  // After each success the search starts again from the top: what failed before is not run again.
  const failed = new Set<string>();
  const attempt = async (cand: CoreCase): Promise<boolean> => {
    const key = `${cand.calls.map((x) => `${x.name}${x.args.join()}`).join(';')}\n${cand.wat}`;
    if (failed.has(key)) return false;
    tries++;
    const ok = await stillFails(cand);
    if (ok) steps++;
    else failed.add(key);
    return ok;
  };
  // Calls after the disagreeing one never ran.
  let calls: CoreCall[] = c.calls.slice(0, failIndex + 1);
  let wat = c.wat;
  if (calls.length < c.calls.length && !(await attempt({ wat, calls }))) calls = c.calls;
  for (let i = calls.length - 1; i >= 0 && Date.now() < deadline; i--) {
    const fewer = calls.filter((_, j) => j !== i);
    if (await attempt({ wat, calls: fewer })) calls = fewer;
  }
  const root = readTree(wat);
  let progress = true;
  while (progress && Date.now() < deadline) {
    progress = false;
    for (const edit of edits(root)) {
      if (Date.now() >= deadline) break;
      const undo = edit();
      const text = print(root);
      if (await attempt({ wat: text, calls })) {
        wat = text;
        progress = true;
        break;
      }
      undo();
    }
  }
  // Calls again: the smaller module may need fewer.
  for (let i = calls.length - 1; i >= 0 && Date.now() < deadline; i--) {
    const fewer = calls.filter((_, j) => j !== i);
    if (await attempt({ wat, calls: fewer })) calls = fewer;
  }
  return { case: { wat: pretty(wat), calls }, tries, steps };
}

/** The module with one field per line. */
function pretty(wat: string): string {
  const root = readTree(wat);
  if (root.kind !== 'list') return wat;
  const [h, ...fields] = root.items;
  return `(${print(h!)}\n${fields.map((f) => `  ${print(f)}`).join('\n')}\n)\n`;
}
