// Tags and exceptions crossing between the host engine and the rest of cmr
// (exception handling, WebAssembly 3.0).
//
// A TagInst is one WebAssembly.Tag in the host engine and back, the same
// object both ways (two weak maps, as for functions), so that a tag keeps
// its identity across engines and `catch` matches exactly as in one engine.
// An exception leaving native code is a WebAssembly.Exception, which JS can
// ask `is(tag)` but not "which tag": every tag the host engine may throw is
// known here (imports, exports, and the hidden ones reveal.ts exports), so
// the exception's tag is found among them. Payloads cross as wire values
// through tag trampolines (trampolines.ts), keeping every bit.

import { Exn, TagInst } from '../runtime/tag.js';
import type { Value } from '../runtime/values.js';
import type { FuncType } from '../syntax/types.js';
import { fromWireList, pushWire } from './funcs.js';
import { tagTrampolines, type TagTrampolines } from './trampolines.js';
import { jsValueType } from './wire.js';

const tagOfInst = new WeakMap<TagInst, WebAssembly.Tag>();
const instOfTag = new WeakMap<WebAssembly.Tag, TagInst>();
const trampolinesOf = new WeakMap<WebAssembly.Tag, TagTrampolines>();
/** Every tag that crossed, to tell an exception's tag (held weakly: a tag no one holds throws nothing). */
let known: WeakRef<WebAssembly.Tag>[] = [];

/** An exception seen on both sides stays one: the same Exn, the same WebAssembly.Exception. */
const exnOfException = new WeakMap<WebAssembly.Exception, Exn>();
const exceptionOfExn = new WeakMap<Exn, WebAssembly.Exception>();

function remember(tag: WebAssembly.Tag, inst: TagInst): void {
  tagOfInst.set(inst, tag);
  instOfTag.set(tag, inst);
  known.push(new WeakRef(tag));
}

/** Whether the host can pass tags and exceptions to and from JS at all. */
export function hostHasTags(): boolean {
  return typeof WebAssembly.Tag === 'function' && typeof WebAssembly.Exception === 'function';
}

/** The WebAssembly.Tag standing for `t` in the host engine, made on first sight. */
export function nativeTagOf(t: TagInst): WebAssembly.Tag {
  let tag = tagOfInst.get(t);
  if (tag === undefined) {
    tag = new WebAssembly.Tag({ parameters: t.type.params.map(jsValueType) });
    remember(tag, t);
  }
  return tag;
}

/** The TagInst of a tag a native instance hands out (exports or reveals), the same object every time. */
export function tagInstFor(tag: WebAssembly.Tag, type: FuncType): TagInst {
  let t = instOfTag.get(tag);
  if (t === undefined) {
    t = new TagInst(type);
    remember(tag, t);
  }
  return t;
}

function trampolines(tag: WebAssembly.Tag, inst: TagInst): TagTrampolines {
  let tr = trampolinesOf.get(tag);
  if (tr === undefined) {
    tr = tagTrampolines(tag, inst.type.params);
    trampolinesOf.set(tag, tr);
  }
  return tr;
}

/** The tag of an exception the host engine threw, among those that crossed; null if none is its tag. */
function tagOfException(e: WebAssembly.Exception): WebAssembly.Tag | null {
  let found: WebAssembly.Tag | null = null;
  const live: WeakRef<WebAssembly.Tag>[] = [];
  for (const ref of known) {
    const tag = ref.deref();
    if (tag === undefined) continue;
    live.push(ref);
    if (found === null && e.is(tag)) found = tag;
  }
  known = live;
  return found;
}

/**
 * The Exn a WebAssembly.Exception stands for, its payload read losslessly.
 * Its tag is unknown only when a start function threw it before its
 * instance's tags were revealed; that instance is gone, so no one can name
 * the tag, and the exception gets a tag of its own (its payload is then
 * unreadable, and unobservable: only a catch_all can catch it).
 */
export function exnFromException(e: WebAssembly.Exception): Exn {
  const seen = exnOfException.get(e);
  if (seen !== undefined) return seen;
  const tag = tagOfException(e);
  let exn: Exn;
  if (tag === null) {
    exn = new Exn(new TagInst({ params: [], results: [] }), []);
  } else {
    const inst = instOfTag.get(tag)!;
    const payload: Value[] = fromWireList(inst.type.params, trampolines(tag, inst).payloadWire(e));
    exn = new Exn(inst, payload);
  }
  exnOfException.set(e, exn);
  exceptionOfExn.set(exn, e);
  return exn;
}

/**
 * Throws `exn` into the host engine, from JS called by native code: the
 * WebAssembly.Exception it came from, or a new one made by its tag's
 * trampoline with the payload's exact bits.
 */
export function throwIntoHost(exn: Exn): never {
  const seen = exceptionOfExn.get(exn);
  if (seen !== undefined) throw seen;
  const tag = nativeTagOf(exn.tag);
  const wire: unknown[] = [];
  exn.tag.type.params.forEach((t, i) => pushWire(t, exn.payload[i]!, wire));
  let thrown: unknown;
  try {
    trampolines(tag, exn.tag).throwWire(wire);
  } catch (e) {
    thrown = e;
  }
  if (thrown instanceof WebAssembly.Exception) {
    exnOfException.set(thrown, exn);
    exceptionOfExn.set(exn, thrown);
  }
  throw thrown;
}
