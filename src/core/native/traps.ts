// The host engine's errors in cmr's words. V8 names traps its own way
// ("divide by zero", "memory access out of bounds", ...); the suites expect
// the spec interpreter's words (TrapMessage). Where one V8 message covers two
// of the suite's (V8 says "null function or function signature mismatch"
// for both an empty table slot and a wrong signature), the trap site is
// inspected (stack frame → instance and byte offset) to decide; when even
// that cannot tell, the trap carries every message it may stand for.

import { LinkError, Trap, TrapMessage, ValidationError } from '../errors.js';
import { featureFromCompileError, hostFeatures, UnsupportedFeature } from './features.js';
import { encodeModule } from './encode.js';
import { funcTypeEquals, type FuncType } from '../syntax/types.js';
import { WasmException } from '../runtime/tag.js';
import { exnFromException, hostHasTags } from './tags.js';
import { readU32 } from './read-u32.js';

/** A trap raised by the host engine: `message` in the suite's words, plus the host's own. */
export class HostTrap extends Trap {
  constructor(
    /** Every suite message this trap may stand for; `message` is the first. */
    override readonly alternatives: readonly string[],
    readonly hostMessage: string,
  ) {
    super(alternatives[0]!);
  }
}

/**
 * V8's RuntimeError messages, by the suite messages each may mean. V8's
 * words changed between generations, so each trap is recognised by what
 * the message says, in any of the wordings V8 has used, never by the
 * engine's version: V8 11 (Node 20) says "null function or function
 * signature mismatch" for both an empty slot and a wrong signature, V8 12
 * and later (Node 22+, Deno 2) tell them apart ("null function", "function
 * signature mismatch"); V8 11 says "data segment is out of bounds", later
 * ones name the segment and its bounds ("data segment 0 is out of bounds
 * (offset 65536, length 1, memory size 65536)").
 */
const runtimeMessages: readonly { pattern: RegExp; means: readonly string[] }[] = [
  { pattern: /^unreachable$/, means: [TrapMessage.unreachable] },
  { pattern: /^(divide|remainder) by zero$/, means: [TrapMessage.divByZero] },
  { pattern: /^divide result unrepresentable$/, means: [TrapMessage.intOverflow] },
  // V8 does not tell NaN (invalid conversion) from out of range (overflow).
  { pattern: /^float unrepresentable in integer range$/, means: [TrapMessage.intOverflow, TrapMessage.invalidConversion] },
  { pattern: /^memory access out of bounds$/, means: [TrapMessage.outOfBoundsMemory] },
  { pattern: /^data segment( \d+)? (is )?out of bounds\b/, means: [TrapMessage.outOfBoundsMemory] },
  // Both call_indirect past the end (undefined element) and table.get/set/... past the end.
  { pattern: /^table index is out of bounds$/, means: [TrapMessage.outOfBoundsTable, TrapMessage.undefinedElement] },
  { pattern: /^element segment( \d+)? (is )?out of bounds\b/, means: [TrapMessage.outOfBoundsTable] },
  { pattern: /^null function or function signature mismatch$/, means: [TrapMessage.uninitializedElement, TrapMessage.indirectCallTypeMismatch] },
  { pattern: /^null function$/, means: [TrapMessage.uninitializedElement] },
  { pattern: /^function signature mismatch$/, means: [TrapMessage.indirectCallTypeMismatch] },
  { pattern: /^rethrowing null value$/, means: [TrapMessage.nullExceptionReference] },
  // call_ref (null function reference) and ref.as_non_null (null reference) of null; with GC, struct, array and i31 accesses of null.
  {
    pattern: /^dereferencing a null pointer$/,
    means: [
      TrapMessage.nullFunctionReference, TrapMessage.nullReference, TrapMessage.nullStructureReference,
      TrapMessage.nullArrayReference, TrapMessage.nullI31Reference,
    ],
  },
  // GC: a failed ref.cast, an array index or range beyond the array.
  { pattern: /^illegal cast$/, means: [TrapMessage.castFailure] },
  { pattern: /^array element access out of bounds$/, means: [TrapMessage.outOfBoundsArray] },
  // An array past the engine's limit (each engine has its own).
  { pattern: /^requested new array is too large$/, means: [TrapMessage.arrayTooLarge] },
];

/**
 * Details of the suite's trap words that no V8 reports. The spec
 * interpreter names the table slot of a failed call_indirect ("uninitialized
 * element 2", "undefined element 2"); V8 says only what kind of trap it was
 * ("null function", "table index is out of bounds"), and the slot is not
 * recoverable from the trap site (the index was an operand). So a trap the
 * host engine raised is held to the suite's words up to that detail, and
 * engines compare traps at that level; the interpreter, which knows the
 * slot, is held to the full words.
 */
const detailsHostOmits: readonly { kind: string; detail: RegExp }[] = [
  { kind: TrapMessage.uninitializedElement, detail: /^ \d+$/ },
  { kind: TrapMessage.undefinedElement, detail: /^ \d+$/ },
];

/** Trap words up to the detail the host engine does not report: "uninitialized element 2" → "uninitialized element"; others unchanged. */
export function hostTrapKind(message: string): string {
  for (const { kind, detail } of detailsHostOmits) {
    if (message.startsWith(kind) && detail.test(message.slice(kind.length))) return kind;
  }
  return message;
}

/** The suite messages a V8 trap message may mean; unknown ones stand for themselves. */
function meanings(host: string): readonly string[] {
  return runtimeMessages.find((m) => m.pattern.test(host))?.means ?? [host];
}

/** What trap diagnosis needs to know of a native instance. */
export interface InstanceRecord {
  /** Its module's bytes, to find the instruction at a trap site. */
  bytes: Uint8Array;
  /**
   * How much further on V8's byte offsets into the code are than the
   * same bytes in `bytes` (the extra exports V8 compiled come before the
   * code: compile.ts).
   */
  shift: number;
  /** Its module's types, and its tables by index, to see why a call_indirect failed. */
  types: readonly FuncType[];
  tables: readonly WebAssembly.Table[];
  /** The type of a function found in a table (null if unknown). */
  typeOfFunction(fn: unknown): FuncType | null;
}

const records = new WeakMap<WebAssembly.Instance, InstanceRecord>();

export function recordInstance(instance: WebAssembly.Instance, record: InstanceRecord): void {
  records.set(instance, record);
}

/** call_indirect and return_call_indirect (tail calls), whose immediates are alike. */
function isCallIndirect(op: number | undefined): boolean {
  return op === 0x11 || op === 0x13;
}

/** Tables longer than this are not scanned to tell an empty slot from a wrong signature. */
const MAX_SCAN = 100_000;

/**
 * The opcode of the instruction that trapped, found from the error's top
 * stack frame: V8 gives a wasm frame's instance as its `this` and the
 * module byte offset as its position. Null when the stack cannot tell
 * (already formatted, or no wasm frame on top).
 */
function trapSite(e: Error): { record: InstanceRecord; position: number } | null {
  let top: NodeJS.CallSite | undefined;
  const saved = Error.prepareStackTrace;
  Error.prepareStackTrace = (_err, sites) => {
    top = sites[0];
    return '';
  };
  try {
    void e.stack;
  } finally {
    Error.prepareStackTrace = saved;
  }
  if (top === undefined) return null;
  const instance = top.getThis() as unknown;
  const record = instance instanceof WebAssembly.Instance ? records.get(instance) : undefined;
  // A wasm frame's module byte offset: getPosition() where the host has it
  // (Node); V8 also gives it as the column number, plus one (Deno has only that).
  const column = top.getColumnNumber();
  const offset = (top as NodeJS.CallSite & { getPosition?(): number }).getPosition?.() ?? (column === null ? undefined : column - 1);
  if (record === undefined || offset === undefined) return null;
  const position = offset - record.shift;
  if (position < 0 || position >= record.bytes.length) return null;
  return { record, position };
}


/**
 * Why a call_indirect failed, when the table settles it: with no empty slot
 * it was the signature; with no function of another type, the empty slot.
 * (The table is as it was at the trap: no wasm code ran since.)
 */
function emptyOrMismatch(record: InstanceRecord, position: number): string | null {
  const [typeIdx, next] = readU32(record.bytes, position + 1);
  const [tableIdx] = readU32(record.bytes, next);
  const type = record.types[typeIdx];
  const table = record.tables[tableIdx];
  if (type === undefined || table === undefined || table.length > MAX_SCAN) return null;
  let empty = false;
  let other = false;
  for (let i = 0; i < table.length; i++) {
    const fn = table.get(i);
    if (fn === null) {
      empty = true;
      continue;
    }
    const t = record.typeOfFunction(fn);
    if (t === null) return null;
    if (!funcTypeEquals(t, type)) other = true;
  }
  if (empty && !other) return TrapMessage.uninitializedElement;
  if (other && !empty) return TrapMessage.indirectCallTypeMismatch;
  return null;
}

/**
 * Narrows an ambiguous V8 message down by looking at the trap site.
 * "table index is out of bounds" is call_indirect's "undefined element" or
 * another table instruction's (or segment's) "out of bounds table access";
 * the trapping instruction decides.
 */
function refine(alternatives: readonly string[], e: Error): readonly string[] {
  if (alternatives.includes(TrapMessage.undefinedElement)) {
    const site = trapSite(e);
    if (site === null) return alternatives;
    return isCallIndirect(site.record.bytes[site.position]) ? [TrapMessage.undefinedElement] : [TrapMessage.outOfBoundsTable];
  }
  if (alternatives.length > 1 && alternatives.includes(TrapMessage.uninitializedElement)) {
    const site = trapSite(e);
    const why = site !== null && isCallIndirect(site.record.bytes[site.position]) ? emptyOrMismatch(site.record, site.position) : null;
    if (why !== null) return [why];
  }
  return alternatives;
}

/** "WebAssembly.instantiate(): data segment is out of bounds" → "data segment is out of bounds". */
function withoutApiPrefix(message: string): string {
  return message.replace(/^WebAssembly\.\w+\(\): /, '');
}

/** A RuntimeError in the suite's words (instantiation traps included). */
export function trapFromRuntimeError(e: Error): HostTrap {
  const host = withoutApiPrefix(e.message);
  return new HostTrap(refine(meanings(host), e), host);
}

/** Errors of the rest of cmr carried through native frames, by the RuntimeError that carries each. */
const carried = new WeakMap<WebAssembly.RuntimeError, unknown>();
let trapper: (() => unknown) | null = null;

/**
 * An error of the rest of cmr (a Trap of an interpreted function, a host
 * function's error) made uncatchable on its way through native frames.
 * Only a wasm exception may be caught by wasm, but where the host has
 * exnref, a JS exception thrown by an import is caught by `catch_all`;
 * a RuntimeError of a real trap is not, even when rethrown from JS. So the
 * error is swapped for one made by a trapping function (a one-function
 * module, `unreachable`), and hostError swaps it back when it leaves.
 */
export function uncatchable(e: unknown): unknown {
  if (!hostFeatures().exnref) return e;
  trapper ??= new WebAssembly.Instance(new WebAssembly.Module(encodeModule({
    types: [{ params: [], results: [] }],
    funcs: [{ typeIdx: 0, locals: [], body: [0x00] }],
    exports: [{ name: 'trap', kind: 'func', index: 0 }],
  }))).exports['trap'] as () => unknown;
  try {
    trapper();
  } catch (r) {
    // Anything else (a stack overflow on the way) leaves the error as it is.
    if (r instanceof WebAssembly.RuntimeError) {
      carried.set(r, e);
      return r;
    }
  }
  return e;
}

/**
 * The error cmr raises for an exception the host engine threw. Errors of
 * cmr's own (a Trap from a function of another engine called by native
 * code) pass through unchanged.
 */
export function hostError(e: unknown): unknown {
  if (e instanceof WebAssembly.RuntimeError) return carried.has(e) ? carried.get(e) : trapFromRuntimeError(e);
  // A wasm exception leaving native code: the same exception for the rest of cmr.
  if (hostHasTags() && e instanceof WebAssembly.Exception) {
    return new WasmException(exnFromException(e));
  }
  // Deep recursion in native code ends in V8's stack overflow.
  if (e instanceof RangeError && /call stack size/i.test(e.message)) {
    return new HostTrap([TrapMessage.callStackExhausted], e.message);
  }
  if (e instanceof WebAssembly.LinkError) return new LinkError(withoutApiPrefix(e.message));
  if (e instanceof WebAssembly.CompileError) {
    const feature = featureFromCompileError(e.message);
    return feature !== null ? new UnsupportedFeature(feature) : new ValidationError(withoutApiPrefix(e.message));
  }
  return e;
}
