// Component: a decoded and validated component, ready to instantiate any
// number of times (wasmtime's `component::Component`), with introspection:
// its type, its exports by name or by index, and the memories and tables
// its core modules need.

import { DecodeError, ValidationError } from '../core/errors.js';
import { moduleFeatures } from '../core/syntax/features.js';
import type { Module } from '../core/syntax/ast.js';
import { decodeComponent } from '../component/binary/decode.js';
import { validateComponent } from '../component/valid/validate.js';
import { WASM_3_0_SUPPORTED } from '../core/syntax/feature-set.js';

/**
 * Core modules inside components are checked with every core feature cmr
 * implements, as wasm-tools checks them (components are a 3.0-era format),
 * not with core 2.0's stricter rules. The same holds for a module the
 * embedder gives the linker (`LinkerInstance.module`) for a component to import.
 */
export const EMBEDDED_CORE_FEATURES = WASM_3_0_SUPPORTED;
import type { Component as ComponentAst } from '../component/syntax/ast.js';
import type { ComponentType, ExternType } from '../component/syntax/types.js';
import { TextError, watToBinary } from '../text/wat.js';
import type { Engine } from './engine.js';
import { ComponentError } from './errors.js';
import { componentItem, componentItems, type ComponentItem, type ComponentTypeInfo } from './types.js';
import { deserializeComponent, isSerialized, serializeComponent } from './serialize.js';
import { readFailure } from './read-failure.js';
import { Interpreter } from '../core/exec/index.js';
import { readComponentFile, type ComponentFile } from './read-serialized.js';
import { hasWasmMagic, NotWebAssemblyError, wasmText } from './file-bytes.js';
import { lend, roomyCopy } from '../core/binary/room.js';

/**
 * Names one export of a component — top-level, or nested in an exported
 * instance — so instances of that component can find it without a name
 * lookup per level (wasmtime's `ComponentExportIndex`). An index belongs to
 * the component it came from: an instance of another component finds
 * nothing with it.
 */
export class ComponentExportIndex {
  /** @internal */
  constructor(
    /** @internal The component the index belongs to. */
    readonly owner: object,
    /** The export names from the root: `['i', 'f']` is export `f` of exported instance `i`. */
    readonly path: readonly string[],
  ) {}

  /** The export's own name (the last name of the path). */
  get name(): string {
    return this.path[this.path.length - 1]!;
  }

  toString(): string {
    return this.path.join('#');
  }
}

/**
 * Export `iface#…#name` (the path `Instance.getFunc` and `cmr run --invoke`
 * take; export names never contain `#`) below `instance`, found one
 * exported instance at a time through `from.getExport`; null when `name`
 * is no such path.
 * @internal
 */
export function exportAtPath(
  from: { getExport(instance: ComponentExportIndex | null, name: string): [ComponentItem, ComponentExportIndex] | null },
  instance: ComponentExportIndex | null,
  name: string,
): [ComponentItem, ComponentExportIndex] | null {
  const path = name.split('#');
  if (path.length < 2) return null;
  let at = instance;
  for (const step of path.slice(0, -1)) {
    const e = from.getExport(at, step);
    if (e === null || e[0].kind !== 'instance') return null;
    at = e[1];
  }
  return from.getExport(at, path[path.length - 1]!);
}

/**
 * What instantiating a component needs in memories and tables (wasmtime's
 * `ResourcesRequired`): how many its core instances define, and the largest
 * initial size of any (in pages for memories, elements for tables; null
 * when there is none).
 */
export interface ResourcesRequired {
  numMemories: number;
  maxInitialMemorySize: number | null;
  numTables: number;
  maxInitialTableSize: number | null;
}

const ASYNC_CANON = new Set<string>(['lift', 'lower', 'resource.new', 'resource.drop', 'resource.rep']);

/**
 * A compiled component (wasmtime's `component::Component`): decoded and
 * validated once, instantiated any number of times through a Linker.
 *
 * ```ts
 * const engine = new Engine();
 * const component = await Component.fromText(engine, '(component)');
 * ```
 */
export class Component {
  private constructor(
    /** The engine the component was made for. */
    readonly engine: Engine,
    /** The component's bytes. */
    readonly bytes: Uint8Array,
    /** The decoded component (its definitions in order). */
    readonly ast: ComponentAst,
    /** The validator's type of the component. */
    readonly type: ComponentType,
  ) {}

  /**
   * Decodes and validates a component binary. Throws ComponentError
   * (stage 'decode' or 'validate' with the byte offset, or 'feature' when
   * the component needs a feature `engine` does not enable).
   */
  static async fromBinary(engine: Engine, bytes: Uint8Array): Promise<Component> {
    if (!(bytes instanceof Uint8Array)) {
      throw new TypeError(`Component.fromBinary: expected the component's bytes as a Uint8Array, got ${describeValue(bytes)}`);
    }
    // A copy: function bodies are decoded again from these bytes on first
    // use (lazy-func.ts), so bytes the caller changes afterwards would reach
    // the interpreter unvalidated. (A new array, not `slice`: a Node
    // Buffer's slice is a view of the same memory.) It has room in front for
    // the native engine's compilation (room.ts).
    return Component.fromOwnedBinary(engine, roomyCopy(bytes));
  }

  /** fromBinary on bytes no one else holds (a file just read, a copy). */
  private static fromOwnedBinary(engine: Engine, bytes: Uint8Array): Component {
    const notComponent = notAComponent(bytes);
    if (notComponent !== null) throw new ComponentError(`not a component: ${notComponent}`, 'decode', 0);
    let ast: ComponentAst;
    let type: ComponentType;
    try {
      ast = decodeComponent(bytes, EMBEDDED_CORE_FEATURES);
    } catch (e) {
      if (e instanceof DecodeError) throw new ComponentError(e.message, 'decode', e.offset);
      throw e;
    }
    try {
      type = validateComponent(ast, EMBEDDED_CORE_FEATURES);
    } catch (e) {
      if (e instanceof ValidationError) throw new ComponentError(e.message, 'validate', e.offset);
      if (e instanceof DecodeError) throw new ComponentError(e.message, 'decode', e.offset);
      throw e;
    }
    return Component.loaded(engine, { bytes, ast, type });
  }

  /**
   * Turns component text (the WebAssembly text format, through wasm-tools)
   * into a component. Throws ComponentError: stage 'text' with the `line`
   * and `col` of the error, or any error of fromBinary.
   */
  static async fromText(engine: Engine, text: string): Promise<Component> {
    let bytes: Uint8Array;
    try {
      bytes = await watToBinary(text);
    } catch (e) {
      if (e instanceof TextError) throw new ComponentError(e.message, 'text', -1, e.line, e.col);
      throw e;
    }
    return Component.fromOwnedBinary(engine, bytes);
  }

  /**
   * Reads a component from a file: serialized (`cmr compile`'s output) when
   * it starts with that form's magic, binary when it starts with the
   * WebAssembly magic bytes or its name ends in `.wasm` (so a truncated or
   * empty .wasm is refused by the decoder, as `cmr inspect` refuses it),
   * text otherwise.
   */
  static async fromFile(engine: Engine, path: string): Promise<Component> {
    if (typeof path !== 'string') throw new TypeError(`Component.fromFile: expected a path, got ${describeValue(path)}`);
    const file = await Component.readFile(engine, path);
    // `bytes` is this call's own buffer: no copy is needed to keep it unchanged.
    return 'loaded' in file ? file.loaded : Component.fromFileBytes(engine, path, file.bytes);
  }

  /**
   * What fromFile makes of the bytes of the file `path` (serialized, binary
   * or text, by the bytes and the name), for a caller that read them itself
   * (cmr debug, which also needs them as text: a FIFO can be read only
   * once). `data` becomes the component's: the caller must not change it.
   * @internal
   */
  static async fromFileBytes(engine: Engine, path: string, data: Uint8Array): Promise<Component> {
    if (isSerialized(data)) return Component.restored(engine, data);
    if (hasWasmMagic(data)) return Component.fromOwnedBinary(engine, data);
    if (/\.wasm$/i.test(path)) throw new NotWebAssemblyError(path, false);
    const text = wasmText(data);
    if (text === null) throw new NotWebAssemblyError(path, true);
    return Component.fromText(engine, text);
  }

  /**
   * Restores a component from `serialize`'s bytes without decoding or
   * validating it again (wasmtime's `Component::deserialize`). Bytes of
   * another format version, cmr version, V8 version or core feature set,
   * and truncated or corrupted bytes (a sha256 checksum covers them) are
   * refused with ComponentError, stage 'deserialize'; a feature the engine
   * does not enable, stage 'feature'. What passes is trusted to be what
   * this cmr serialized (README "Serialized components"). Works for either
   * core engine, whichever engine serialized it.
   */
  static deserialize(engine: Engine, bytes: Uint8Array): Component {
    if (!(bytes instanceof Uint8Array)) {
      throw new TypeError(`Component.deserialize: expected the serialized bytes as a Uint8Array, got ${describeValue(bytes)}`);
    }
    // A copy, checked and then kept: function bodies are decoded from it on
    // first use and data segments copied from it at every instantiation,
    // after their one check, so bytes the caller changes afterwards must
    // not reach them (README "Serialized components": why the copy, which
    // costs ~50 ms for a 24 MB form on a loaded machine, is kept; deserializeFile copies nothing).
    // It has room in front for the native engine's compilation (room.ts).
    return Component.restored(engine, roomyCopy(bytes));
  }

  /** Reads serialized bytes (`cmr compile`'s output) from a file: see deserialize. */
  static async deserializeFile(engine: Engine, path: string): Promise<Component> {
    const file = await Component.readFile(engine, path);
    return 'loaded' in file ? file.loaded : Component.restored(engine, file.bytes);
  }

  /**
   * A component file, opened once (read-serialized.ts): the component a
   * serialized file holds, deserialized while the parts it does not read at
   * loading are still being read; else the file's bytes, to be refused or
   * decoded. A failed read is a ComponentError of stage 'read'.
   */
  private static async readFile(engine: Engine, path: string): Promise<ComponentFile<Component>> {
    try {
      return await readComponentFile(path, engine.coreEngine instanceof Interpreter, (data, busyUntil) => Component.restored(engine, data, busyUntil));
    } catch (e) {
      const why = readFailure(path, e);
      if (why !== null) throw new ComponentError(why, 'read');
      throw e;
    }
  }

  /**
   * The component in serialized form (wasmtime's `Component::serialize`):
   * its structure, its validated type and its core modules' bytes, so that
   * `deserialize` skips decoding and validating. When the engine's core
   * engine is the interpreter, also its prepared code of every core
   * function, so that a function's first call after loading rebuilds it
   * instead of preparing it from its body (the bytes load on either engine;
   * the native engine's never hold it, which would only make them larger).
   * `onProgress`, when given, is told after each function is prepared how
   * many are and how many there are in all (a large component takes
   * seconds: cmr compile draws a bar with it).
   */
  serialize(onProgress?: (prepared: number, total: number) => void): Uint8Array {
    const preparedCode = this.engine.coreEngine.name === 'interp';
    let tick: (() => void) | null = null;
    if (onProgress !== undefined && preparedCode) {
      let total = 0;
      forEachCoreModule(this.ast, (m) => { total += m.funcs.length; });
      let done = 0;
      tick = () => onProgress(++done, total);
    }
    return serializeComponent({ bytes: this.bytes, ast: this.ast, type: this.type }, EMBEDDED_CORE_FEATURES, preparedCode, tick);
  }

  /**
   * A component from parts already decoded and validated (for tools that
   * did that themselves, such as the .wast harness). Checks the engine's
   * features only.
   */
  static fromParts(engine: Engine, parts: { bytes: Uint8Array; ast: ComponentAst; type: ComponentType }): Component {
    checkFeatures(engine, parts.ast);
    return new Component(engine, parts.bytes, parts.ast, parts.type);
  }

  /**
   * A component from its serialized form. The interpreter checks a core
   * module's code section when it first decodes a body of it (with
   * prepared code it never does); any other core engine hands the bytes to
   * the host, so they are checked here (serialize.ts).
   */
  private static restored(engine: Engine, data: Uint8Array, busyUntil = 0): Component {
    return Component.loaded(engine, deserializeComponent(data, EMBEDDED_CORE_FEATURES, !(engine.coreEngine instanceof Interpreter)), busyUntil);
  }

  /**
   * fromParts for a component loaded to be instantiated: its core engine is
   * told about every core module, so the native engine starts compiling
   * them now, beside the rest of loading and linking. The bytes are no one
   * else's: if cmr allocated their buffer with room in front, it is lent
   * meanwhile (core/binary/room.ts), from its byte `busyUntil` on (the
   * thread pool may still be reading into the part before).
   */
  private static loaded(engine: Engine, parts: { bytes: Uint8Array; ast: ComponentAst; type: ComponentType }, busyUntil = 0): Component {
    const c = Component.fromParts(engine, parts);
    const ready = engine.coreEngine.ready?.bind(engine.coreEngine);
    if (ready !== undefined) lend(parts.bytes, busyUntil, () => forEachCoreModule(c.ast, ready));
    return c;
  }

  /**
   * The component's imports and exports with their types, before
   * instantiation (wasmtime's `Component::component_type`). Imported
   * resources are abstract types here, different from every other
   * component's; instantiation substitutes what the host supplies, and each
   * instantiation gets fresh types for the resources the component defines.
   */
  componentType(): ComponentTypeInfo {
    return { imports: componentItems(this.type.imports), exports: componentItems(this.type.exports), type: this.type };
  }

  /**
   * Looks up export `name` at the root (`instance` null) or inside the
   * exported instance `instance` names; `name` may also be a path into
   * exported instances, `iface#func`, as `Instance.getFunc` takes it.
   * Returns its type and an index to find it in instances of this
   * component, or null.
   */
  getExport(instance: ComponentExportIndex | null, name: string): [ComponentItem, ComponentExportIndex] | null {
    const exports = this.exportsAt(instance);
    const e = exports?.get(name);
    if (e === undefined) return exportAtPath(this, instance, name);
    return [componentItem(e), new ComponentExportIndex(this, [...(instance?.path ?? []), name])];
  }

  /** The index of export `name` (see getExport), or null. */
  getExportIndex(instance: ComponentExportIndex | null, name: string): ComponentExportIndex | null {
    return this.getExport(instance, name)?.[1] ?? null;
  }

  /**
   * Every export at the root (`instance` null) or inside an exported
   * instance: name, type and index, in declaration order; null when
   * `instance` does not name an exported instance of this component.
   */
  exports(instance: ComponentExportIndex | null = null): [string, ComponentItem, ComponentExportIndex][] | null {
    const exports = this.exportsAt(instance);
    if (exports === null) return null;
    return [...exports].map(([n, e]) => [n, componentItem(e), new ComponentExportIndex(this, [...(instance?.path ?? []), n])]);
  }

  private exportsAt(instance: ComponentExportIndex | null): ReadonlyMap<string, ExternType> | null {
    if (instance === null) return this.type.exports;
    if (instance.owner !== this) return null;
    let m: ReadonlyMap<string, ExternType> = this.type.exports;
    for (const n of instance.path) {
      const e = m.get(n);
      if (e?.kind !== 'instance') return null;
      m = e.type.exports;
    }
    return m;
  }

  /**
   * The memories and tables the component's core instances define when it
   * is instantiated (wasmtime's `Component::resources_required`), nested
   * components' included, once per instantiation. Null when that cannot be
   * known ahead: the component instantiates a core module or a component
   * it imports.
   */
  resourcesRequired(): ResourcesRequired | null {
    const r: ResourcesRequired = { numMemories: 0, maxInitialMemorySize: null, numTables: 0, maxInitialTableSize: null };
    return walkResources(this.ast, null, new Map(), r) ? r : null;
  }
}

function checkFeatures(engine: Engine, c: ComponentAst): void {
  for (const d of c.definitions) {
    if (d.kind === 'coreModule' && !engine.features.simd && moduleFeatures(d.module).has('simd')) {
      throw new ComponentError(
        'a core module of the component uses SIMD, which this engine does not enable (features.simd)',
        'feature', d.offset);
    }
    if (d.kind === 'component') checkFeatures(engine, d.component);
    if (!engine.features.componentModelAsync && d.kind === 'canon') {
      const c = d.canon;
      const usesAsync = !ASYNC_CANON.has(c.kind) || (c.options ?? []).some((o) => o.kind === 'async' || o.kind === 'callback');
      if (usesAsync) throw new ComponentError(`canon ${c.kind}: the async canonical ABI is not enabled in this engine (features.componentModelAsync)`, 'feature', d.offset);
    }
  }
}

/** Calls `f` on every core module `c` defines, nested components' too. */
export function forEachCoreModule(c: ComponentAst, f: (m: Module, bytes: Uint8Array) => void): void {
  for (const d of c.definitions) {
    if (d.kind === 'coreModule') f(d.module, d.bytes);
    else if (d.kind === 'component') forEachCoreModule(d.component, f);
  }
}

/** One component's index spaces of modules and components, for resourcesRequired: null where unknown (imported). */
interface ResourceFrame {
  modules: (Module | null)[];
  components: (ComponentAst | null)[];
  parent: ResourceFrame | null;
}

/** Adds what instantiating `c` needs to `r`; false when it cannot be known. `args` are its known imports. */
function walkResources(c: ComponentAst, parent: ResourceFrame | null, args: Map<string, Module | ComponentAst | null>, r: ResourcesRequired): boolean {
  const f: ResourceFrame = { modules: [], components: [], parent };
  const outer = (count: number): ResourceFrame | null => {
    let x: ResourceFrame | null = f;
    for (let i = 0; i < count && x !== null; i++) x = x.parent;
    return x;
  };
  for (const d of c.definitions) {
    switch (d.kind) {
      case 'coreModule': f.modules.push(d.module); break;
      case 'component': f.components.push(d.component); break;
      case 'import': {
        const a = args.get(d.import.name.name) ?? null;
        if (d.import.desc.kind === 'module') f.modules.push(a !== null && 'mems' in a ? a : null);
        if (d.import.desc.kind === 'component') f.components.push(a !== null && 'definitions' in a ? a : null);
        break;
      }
      case 'alias': {
        const a = d.alias;
        if (a.kind === 'outer') {
          const t = outer(a.count);
          if (typeof a.sort !== 'string' && a.sort.core === 'module') f.modules.push(t?.modules[a.index] ?? null);
          if (a.sort === 'component') f.components.push(t?.components[a.index] ?? null);
        } else if (a.kind === 'export') {
          if (typeof a.sort !== 'string' && a.sort.core === 'module') f.modules.push(null);
          if (a.sort === 'component') f.components.push(null);
        }
        break;
      }
      case 'coreInstance': {
        if (d.instance.kind !== 'instantiate') break;
        const m = f.modules[d.instance.module];
        if (!m) return false;
        for (const mem of m.mems) {
          r.numMemories++;
          r.maxInitialMemorySize = Math.max(r.maxInitialMemorySize ?? 0, mem.type.limits.min);
        }
        for (const t of m.tables) {
          r.numTables++;
          r.maxInitialTableSize = Math.max(r.maxInitialTableSize ?? 0, t.type.limits.min);
        }
        break;
      }
      case 'instance': {
        if (d.instance.kind !== 'instantiate') break;
        const inner = f.components[d.instance.component];
        if (!inner) return false;
        const innerArgs = new Map<string, Module | ComponentAst | null>();
        for (const a of d.instance.args) {
          if (typeof a.sort !== 'string' && a.sort.core === 'module') innerArgs.set(a.name, f.modules[a.index] ?? null);
          else if (a.sort === 'component') innerArgs.set(a.name, f.components[a.index] ?? null);
        }
        if (!walkResources(inner, f, innerArgs, r)) return false;
        break;
      }
      case 'export': {
        // An export adds the item to its index space again.
        const x = d.export;
        if (typeof x.sort !== 'string' && x.sort.core === 'module') f.modules.push(f.modules[x.index] ?? null);
        if (x.sort === 'component') f.components.push(f.components[x.index] ?? null);
        break;
      }
      default: break;
    }
  }
  return true;
}

/** How an argument of the wrong kind is named in a TypeError. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  return `an object (${(v as object).constructor?.name ?? 'no constructor'})`;
}

/**
 * Why `bytes` is plainly not a component (garbage, or a core module), or
 * null. The component's own header errors are the decoder's; this only
 * names the two mistakes an embedder makes most.
 */
function notAComponent(bytes: Uint8Array): string | null {
  if (!hasWasmMagic(bytes)) return 'the bytes are not WebAssembly: no \\0asm magic header';
  if (bytes.length >= 8 && bytes[4] === 1 && bytes[5] === 0 && bytes[6] === 0 && bytes[7] === 0) return 'this is a core WebAssembly module (version 1, layer 0), not a component';
  return null;
}

