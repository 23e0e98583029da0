// The debugger: where the program stops, and what it shows there.
//
// It stops at three kinds of place, all reached synchronously from the
// running program, so it simply reads commands there (input.ts) and
// returns to let the program go on:
//
// - before an instruction: the interpreter's step hook (debug-step.ts), in
//   code prepared for debugging;
// - at a canonical ABI step: the store's trace hook (canon/trace.ts), which
//   fires after each lift, lower, realloc, string or list placed, handle
//   change, call entered or left, and async event;
// - at a trap (`break trap`): the interpreter's trap hook, with the
//   position of the trapping instruction still saved.
//
// Stepping compares levels: an instruction's level is its frame depth,
// counting the frames of every configuration it runs inside (a realloc the
// canonical ABI calls runs in a configuration of its own, nested in the
// host call); an ABI step sits half a level inside the innermost frame.
// `next` stops at the next place at the same level or shallower, `finish`
// at the next one shallower.

import type { Configuration } from '../core/exec/configuration.js';
import { siteOf, stepHooks } from '../core/exec/debug-step.js';
import type { ModuleInst } from '../core/exec/module-inst.js';
import { WasmFunc } from '../core/exec/module-inst.js';
import type { PNode } from '../core/exec/node.js';
import { Trap } from '../core/errors.js';
import type { FuncInst } from '../core/runtime/func.js';
import type { MemoryInst } from '../core/runtime/memory.js';
import { valTypeName } from '../core/syntax/types.js';
import { resourceName } from '../component/syntax/types.js';
import { typeSpaceOf } from '../core/syntax/reftypes.js';
import type { ComponentInstance } from '../component/canon/context.js';
import { ResourceHandle } from '../component/canon/resources.js';
import { TaskState } from '../component/canon/task.js';
import { currentThread } from '../component/canon/thread.js';
import type { TraceEvent } from '../component/canon/trace.js';
import { formatType } from '../component/canon/values.js';
import {
  currentSite, formatSlot, formatTyped, funcInfo, localCount, localName, offsetOf, siteText, sourceOf, typesAt,
} from './frames.js';
import type { FunctionNames } from './function-names.js';
import type { LineSource } from './input.js';
import type { SourceLines } from './source-lines.js';
import type { CoreTracer } from './trace-core.js';

/** Thrown out of the program when the user quits (or the commands end): the run stops there. */
export class DebugQuit extends Error {
  constructor() {
    super('quit');
  }
}

/** The ABI step kinds `break abi` takes: trace event kinds, `task` for the async ones. */
const ABI_KINDS = ['lift', 'lower', 'realloc', 'store', 'load', 'spill', 'handle', 'call', 'task', 'dtor', 'any'] as const;
type AbiKind = typeof ABI_KINDS[number];

type Breakpoint =
  | { id: number; kind: 'func'; name: string | null; index: number | null }
  | { id: number; kind: 'offset'; offset: number }
  | { id: number; kind: 'abi'; what: AbiKind }
  | { id: number; kind: 'trap' };

type Mode =
  | { kind: 'continue' }
  | { kind: 'step'; count: number }
  | { kind: 'next'; count: number; level: number }
  | { kind: 'finish'; level: number };

/** Where the program is stopped. */
type Place =
  | { kind: 'start' }
  | { kind: 'instr'; t: Configuration; level: number }
  | { kind: 'abi'; event: TraceEvent; level: number }
  | { kind: 'trap'; t: Configuration; error: Trap };

export interface SessionOptions {
  input: LineSource;
  out: (text: string) => void;
  /** Where a command's error goes (stderr), apart from the transcript. */
  err: (text: string) => void;
  sources: SourceLines | null;
  /** The functions `break` may name, when known before the program runs (null: a script, whose modules come as it runs). */
  functions?: FunctionNames | null;
  /** --trace=core as well: every instruction's line, stopped or not. */
  tracer?: CoreTracer | null;
}

export class DebugSession {
  private readonly breakpoints: Breakpoint[] = [];
  private nextId = 1;
  private mode: Mode = { kind: 'continue' };
  /** Configurations running, outermost first (see `level`). */
  private active: Configuration[] = [];
  private place: Place = { kind: 'start' };
  /** The ABI steps of the component call in progress (from its `call enter`). */
  private abiLog: TraceEvent[] = [];
  /** The last module instance whose code ran, and the last component instance seen (views at an ABI step). */
  private lastInst: ModuleInst | null = null;
  private lastComponent: ComponentInstance | null = null;
  private readonly trapsSeen = new WeakSet<Trap>();
  private lastCommand = '';
  /** Set once the user quits: whatever runs after (the next directive of a script) stops at once. */
  quitted = false;
  /** How many commands failed (a script of commands with a failure ends with a non-zero status). */
  failures = 0;

  constructor(private readonly opts: SessionOptions) {}

  /** Routes the interpreter's hooks to this session (one per process: see debug-step.ts). */
  install(): void {
    const tracer = this.opts.tracer ?? null;
    stepHooks.step = tracer === null ? (t, node) => this.onStep(t, node) : (t, node) => { tracer.step(t, node); this.onStep(t, node); };
    stepHooks.trap = (t, e) => this.onTrap(t, e);
  }

  uninstall(): void {
    stepHooks.step = null;
    stepHooks.trap = null;
  }

  /** The trace hook to give the store: ABI steps. */
  readonly onAbi = (event: TraceEvent): void => {
    if (this.quitted) throw new DebugQuit();
    if (event.kind === 'call' && event.phase === 'enter') this.abiLog = [];
    this.abiLog.push(event);
    const comp = currentThread()?.task.inst;
    if (comp !== undefined) this.lastComponent = comp;
    const level = this.level(null);
    const bp = this.breakpoints.find((b) => b.kind === 'abi' && abiMatches(b.what, event));
    if (bp !== undefined || this.modeStops(level)) {
      this.pause({ kind: 'abi', event, level }, bp === undefined ? null : `breakpoint ${bp.id}: ${describe(bp)}`);
    }
  };

  /** Before the program runs: breakpoints may be set; a resuming command starts it. */
  start(banner: string): void {
    this.out(`${banner}\n`);
    this.commands();
  }

  private out(text: string): void {
    this.opts.out(text);
  }

  // ---- where to stop ---------------------------------------------------------------

  private onStep(t: Configuration, node: PNode): void {
    if (this.quitted) throw new DebugQuit();
    const f = t.func!;
    this.lastInst = f.inst;
    const level = this.level(t);
    let hit: Breakpoint | undefined;
    for (const b of this.breakpoints) {
      if (b.kind === 'func') {
        // A function's entry: the step node at the start of its body.
        if (t.pc !== 1 || t.body !== f.code.body) continue;
        const info = funcInfo(f);
        if (b.index !== null ? b.index === info.index : info.named === b.name || info.exported === b.name) { hit = b; break; }
      } else if (b.kind === 'offset') {
        if (node.src.offset === b.offset && offsetOf(currentSite(t).site) === b.offset) { hit = b; break; }
      }
    }
    if (hit !== undefined || this.modeStops(level)) {
      this.pause({ kind: 'instr', t, level }, hit === undefined ? null : `breakpoint ${hit.id}: ${describe(hit)}`);
    }
  }

  private onTrap(t: Configuration, e: Trap): void {
    if (this.trapsSeen.has(e)) return;
    this.trapsSeen.add(e);
    const bp = this.breakpoints.find((b) => b.kind === 'trap');
    if (bp === undefined) return;
    this.pause({ kind: 'trap', t, error: e }, `breakpoint ${bp.id}: trap`);
  }

  /** Whether the stepping mode stops at a place of this level (counting the step down). */
  private modeStops(level: number): boolean {
    const m = this.mode;
    switch (m.kind) {
      case 'continue': return false;
      case 'step': return --m.count <= 0;
      case 'next':
        if (level > m.level) return false;
        m.level = level;
        return --m.count <= 0;
      case 'finish': return level < m.level;
    }
  }

  /** The level of an instruction of `t`, or (t null) of an ABI step. */
  private level(t: Configuration | null): number {
    this.active = this.active.filter((c) => c.status === 'running');
    if (t !== null && !this.active.includes(t)) this.active.push(t);
    let sum = 0;
    for (const c of this.active) {
      if (c === t) return sum + c.depth;
      sum += c.depth;
    }
    return sum + 0.5;
  }

  // ---- stopped -----------------------------------------------------------------------

  private pause(place: Place, reason: string | null): void {
    this.place = place;
    this.mode = { kind: 'continue' };
    if (reason !== null) this.out(`${reason}\n`);
    this.showPlace();
    this.commands();
  }

  /** Reads and runs commands until one resumes the program. */
  private commands(): void {
    for (;;) {
      this.out('(cmr) ');
      let line = this.opts.input.next();
      if (line === null) {
        this.out('\n(end of input: quitting)\n');
        this.quitted = true;
        throw new DebugQuit();
      }
      if (!this.opts.input.interactive) this.out(`${line}\n`);
      line = line.trim();
      if (line === '' && this.opts.input.interactive) line = this.lastCommand;
      if (line === '' || line.startsWith('#')) continue;
      this.lastCommand = line;
      let resume = false;
      try {
        resume = this.command(line);
      } catch (e) {
        if (e instanceof DebugQuit) throw e;
        this.failures++;
        this.opts.err(`error: ${e instanceof Error ? e.message : String(e)}\n`);
      }
      if (resume) return;
    }
  }

  /** Runs one command; true when it resumes the program. */
  private command(line: string): boolean {
    const [word, ...args] = line.split(/\s+/);
    switch (word) {
      case 's': case 'step': this.mode = { kind: 'step', count: count(args) }; return true;
      case 'n': case 'next': this.mode = { kind: 'next', count: count(args), level: this.placeLevel() }; return true;
      case 'finish': case 'fin': this.mode = { kind: 'finish', level: this.placeLevel() }; return true;
      case 'c': case 'continue': this.mode = { kind: 'continue' }; return true;
      case 'b': case 'break': this.addBreakpoint(args); return false;
      case 'd': case 'delete': this.deleteBreakpoints(args); return false;
      case 'breaks': case 'info':
        if (word === 'info' && ['f', 'func', 'functions'].includes(args[0] ?? '')) {
          this.listFunctions(args[1]);
          return false;
        }
        if (word === 'info' && !['b', 'break', 'breaks', 'breakpoints'].includes(args[0] ?? '')) throw new Error('info takes breakpoints (info break) or functions (info functions [TEXT])');
        this.listBreakpoints();
        return false;
      case 'where': case 'bt': case 'backtrace': this.showBacktrace(); return false;
      case 'stack': this.showStack(); return false;
      case 'locals': this.showLocals(); return false;
      case 'globals': this.showGlobals(); return false;
      case 'tables': this.showTables(); return false;
      case 'x': this.showMemory(args); return false;
      case 'l': case 'list': this.showList(); return false;
      case 'abi': this.showAbi(); return false;
      case 'instance': this.showInstance(); return false;
      case 'task': this.showTask(); return false;
      case 'handles': this.showHandles(); return false;
      case 'h': case 'help': this.out(HELP); return false;
      case 'q': case 'quit': this.quitted = true; throw new DebugQuit();
      default: throw new Error(`unknown command \`${word}\` (help lists the commands)`);
    }
  }

  private placeLevel(): number {
    const p = this.place;
    if (p.kind === 'instr' || p.kind === 'abi') return p.level;
    return 0;
  }

  // ---- breakpoints ---------------------------------------------------------------------

  private addBreakpoint(args: string[]): void {
    const [what, arg] = args;
    if (what === undefined) throw new Error('break what? (break $func | break FUNC-INDEX | break @OFFSET | break abi KIND | break trap)');
    const id = this.nextId;
    let bp: Breakpoint;
    if (what === 'trap') bp = { id, kind: 'trap' };
    else if (what === 'abi') {
      const k = (arg ?? 'any') as AbiKind;
      if (!ABI_KINDS.includes(k)) throw new Error(`break abi takes one of ${ABI_KINDS.join(', ')}; got \`${arg}\``);
      bp = { id, kind: 'abi', what: k };
    } else if (what.startsWith('@')) {
      const offset = parseNumber(what.slice(1));
      if (offset === null) throw new Error(`break @OFFSET: \`${what.slice(1)}\` is not a number (decimal or 0x…)`);
      bp = { id, kind: 'offset', offset };
    } else if (/^\d+$/.test(what)) {
      this.opts.functions?.checkIndex(Number(what));
      bp = { id, kind: 'func', name: null, index: Number(what) };
    } else {
      // `$fib` or `fib`: a name of the name section, or an export name.
      const name = what.replace(/^\$/, '');
      this.opts.functions?.checkName(name);
      bp = { id, kind: 'func', name, index: null };
    }
    this.nextId++;
    this.breakpoints.push(bp);
    this.out(`breakpoint ${id}: ${describe(bp)}\n`);
  }

  /**
   * At the end of a script, whose modules were not known when its `break`s
   * were set: each function breakpoint that no module the script made could
   * have matched is a failed command, reported now with the names there were.
   */
  reportUnmatched(functions: FunctionNames): void {
    for (const b of this.breakpoints) {
      if (b.kind !== 'func') continue;
      try {
        if (b.index !== null) functions.checkIndex(b.index);
        else functions.checkName(b.name!);
      } catch (e) {
        this.failures++;
        this.opts.err(`error: breakpoint ${b.id} (${describe(b)}) matched nothing by the end of the script: ${(e as Error).message}\n`);
      }
    }
  }

  private listFunctions(text: string | undefined): void {
    const fns = this.opts.functions ?? null;
    if (fns === null) throw new Error('the functions of a script are known as it runs its modules; `bt` names those running');
    const names = fns.matching(text);
    if (names.length === 0) this.out(text === undefined ? 'no named functions\n' : `no function name contains \`${text}\`\n`);
    for (const n of names) this.out(`$${n}\n`);
  }

  private deleteBreakpoints(args: string[]): void {
    if (args.length === 0) {
      this.breakpoints.length = 0;
      this.out('deleted every breakpoint\n');
      return;
    }
    for (const a of args) {
      const i = this.breakpoints.findIndex((b) => String(b.id) === a);
      if (i < 0) throw new Error(`no breakpoint ${a}`);
      this.breakpoints.splice(i, 1);
      this.out(`deleted breakpoint ${a}\n`);
    }
  }

  private listBreakpoints(): void {
    if (this.breakpoints.length === 0) this.out('no breakpoints\n');
    for (const b of this.breakpoints) this.out(`${b.id}: ${describe(b)}\n`);
  }

  // ---- views -------------------------------------------------------------------------------

  /** The configuration the views read: the stopped one, else the innermost running one. */
  private frameConfig(): Configuration | null {
    const p = this.place;
    if (p.kind === 'instr' || p.kind === 'trap') return p.t;
    const running = this.active.filter((c) => c.status === 'running');
    return running[running.length - 1] ?? null;
  }

  private needFrame(): Configuration {
    const t = this.frameConfig();
    if (t === null || t.func === null) throw new Error('no wasm frame here (the program is at a canonical ABI step of the host, or not running)');
    return t;
  }

  private showPlace(): void {
    const p = this.place;
    if (p.kind === 'abi') {
      this.out(`abi: ${p.event.text}\n`);
      const e = p.event;
      if ((e.kind === 'store' || e.kind === 'load') && e.byteLength > 0) this.dump(this.abiMemory(), e.addr, Math.min(e.byteLength, 64));
      return;
    }
    if (p.kind === 'trap') this.out(`trap: ${p.error.message}\n`);
    if (p.kind === 'instr' || p.kind === 'trap') this.out(`${this.describeFrame(p.t.func!, p.t.pc, p.t.body, true)}\n`);
  }

  /** `$fib @0x2d: local.get $n` and, when known, the source line under it. */
  private describeFrame(f: WasmFunc, pc: number, body: readonly PNode[], current: boolean): string {
    const node = body[current ? pc - 1 : pc - 2];
    const site = node !== undefined ? siteOf(node) : undefined;
    const info = funcInfo(f);
    const off = offsetOf(site);
    let s = `${info.name}${off !== null ? ` @0x${off.toString(16)}` : ''}: ${siteText(f, site, body[pc - 1]?.src ?? null)}`;
    const src = sourceOf(f, site, this.opts.sources);
    if (src !== null) s += `\n    ${this.opts.sources!.file}:${src.line}  ${src.text}`;
    return s;
  }

  private showBacktrace(): void {
    const configs = this.active.filter((c) => c.status === 'running');
    const p = this.place;
    if ((p.kind === 'trap' || p.kind === 'instr') && !configs.includes(p.t)) configs.push(p.t);
    if (configs.length === 0) {
      this.out('no wasm frames (at the host)\n');
      return;
    }
    let k = 0;
    for (let c = configs.length - 1; c >= 0; c--) {
      const t = configs[c]!;
      if (t.func === null) continue;
      // The innermost frame is at its saved position; each caller at its call instruction.
      this.out(`#${k++} ${this.describeFrame(t.func, t.pc, t.body, true)}\n`);
      for (let d = t.depth - 1; d >= 1; d--) {
        const fr = t.frames[d]!;
        this.out(`#${k++} ${this.describeFrame(fr.func!, fr.pc, fr.body, false)}\n`);
      }
      if (c > 0) this.out('   (called by the host: the canonical ABI or an import)\n');
    }
  }

  private showStack(): void {
    const t = this.needFrame();
    const f = t.func!;
    const base = t.fp + localCount(f);
    const n = t.sp - base;
    if (n <= 0) {
      this.out('value stack: empty\n');
      return;
    }
    const types = typesAt(f, currentSite(t).site);
    const known = types !== null && types.length === n;
    this.out(`value stack (${n}, top last):\n`);
    for (let i = 0; i < n; i++) this.out(`  [${i}] ${formatSlot(t, base + i, known ? types[i]! : 0)}\n`);
  }

  private showLocals(): void {
    const t = this.needFrame();
    const f = t.func!;
    const code = f.code;
    if (code.localTypes.length === 0) {
      this.out('no locals\n');
      return;
    }
    code.localTypes.forEach((ty, i) => {
      const kind = i < code.nparams ? 'param' : 'local';
      this.out(`  ${kind} ${localName(f, i)}: ${formatSlot(t, t.fp + i, ty)}\n`);
    });
  }

  /** The module instance the views of globals, tables and memory read. */
  private moduleInst(): ModuleInst {
    const t = this.frameConfig();
    const inst = t?.func?.inst ?? this.lastInst;
    if (inst === null) throw new Error('no module instance yet (the program has not run any wasm)');
    return inst;
  }

  private showGlobals(): void {
    const inst = this.moduleInst();
    if (inst.globals.length === 0) this.out('no globals\n');
    inst.globals.forEach((g, i) => {
      const ty = g.type.type;
      this.out(`  global ${i} (${g.type.mutable ? 'mut ' : ''}${valTypeName(ty)}) = ${formatTyped(g.value, ty, typeSpaceOf(g.type))}\n`);
    });
  }

  private showTables(): void {
    const inst = this.moduleInst();
    if (inst.tables.length === 0) this.out('no tables\n');
    inst.tables.forEach((tab, i) => {
      const size = tab.size();
      this.out(`  table ${i} (${valTypeName(tab.type.elem)}), size ${size}\n`);
      for (let k = 0; k < Math.min(size, 32); k++) {
        const r = tab.get(k);
        this.out(`    [${k}] ${r === null ? 'null' : r instanceof WasmFunc ? funcInfo(r).name : describeRef(r)}\n`);
      }
      if (size > 32) this.out(`    … ${size - 32} more\n`);
    });
  }

  private showMemory(args: string[]): void {
    const addr = args[0] === undefined ? null : parseNumber(args[0]);
    if (addr === null) throw new Error('x ADDR [LEN]: an address, decimal or 0x…');
    const len = args[1] === undefined ? 64 : parseNumber(args[1]);
    if (len === null || len > 4096) throw new Error('x ADDR [LEN]: LEN is a number of bytes, at most 4096');
    const p = this.place;
    const mem = p.kind === 'abi' && this.frameConfig() === null ? this.abiMemory() : (this.moduleInst().mems[0] ?? null);
    this.dump(mem, addr, len);
  }

  /** The memory of the canonical ABI's current task (its `memory` option), else memory 0 of the last instance. */
  private abiMemory(): MemoryInst | null {
    return currentThread()?.task.opts.memory ?? this.lastInst?.mems[0] ?? null;
  }

  private dump(mem: MemoryInst | null, addr: number, len: number): void {
    if (mem === null) throw new Error('no memory here');
    mem.refresh();
    const u8 = mem.u8;
    if (addr + len > u8.length) throw new Error(`${addr}+${len} is past the end of memory (${u8.length} bytes)`);
    for (let row = addr; row < addr + len; row += 16) {
      const end = Math.min(row + 16, addr + len);
      const bytes = [...u8.subarray(row, end)];
      const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');
      const text = bytes.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
      this.out(`  0x${row.toString(16).padStart(8, '0')}: ${hex.padEnd(47)}  |${text}|\n`);
    }
  }

  /** Nearby instructions of the current body, the current one marked. */
  private showList(): void {
    const t = this.needFrame();
    const f = t.func!;
    const { site } = currentSite(t);
    if (site === undefined) throw new Error('no instruction here');
    const from = Math.max(0, site.index - 5), to = Math.min(site.list.length, site.index + 6);
    for (let i = from; i <= to; i++) {
      const s = { list: site.list, index: i };
      const src = sourceOf(f, s, this.opts.sources);
      this.out(`${i === site.index ? '=>' : '  '} ${siteText(f, s, null).padEnd(28)}${src !== null ? `  ${src.line}: ${src.text}` : ''}\n`);
    }
  }

  private component(): ComponentInstance {
    const c = currentThread()?.task.inst ?? this.lastComponent;
    if (c === null) throw new Error('no component instance (not a component, or no component call yet)');
    return c;
  }

  private showInstance(): void {
    const p = this.place;
    const t = this.frameConfig();
    if (t?.func != null || p.kind === 'instr') {
      const inst = this.moduleInst();
      this.out(`core instance: ${inst.funcs.length} functions, ${inst.tables.length} tables, ${inst.mems.length} memories, ${inst.globals.length} globals; exports: ${[...inst.exports.keys()].join(', ') || '(none)'}\n`);
    }
    if (currentThread() === null && this.lastComponent === null) return;
    const c = this.component();
    this.out(`component instance ${c.name}: may enter ${c.mayEnter}, may leave ${c.mayLeave}, backpressure ${c.backpressure}, handles ${[...c.handles].length}, threads ${[...c.threads].length}\n`);
  }

  private showTask(): void {
    const th = currentThread();
    if (th === null) {
      this.out('no task (no component call is running)\n');
      return;
    }
    const task = th.task;
    const o = task.opts;
    const params = task.ft.params.map((p) => `${p.name}: ${formatType(p.type)}`).join(', ');
    const result = task.ft.result === null ? '' : ` -> ${formatType(task.ft.result)}`;
    this.out(`task of ${task.inst.name}: ${task.ft.async ? 'async ' : ''}func(${params})${result}\n`);
    this.out(`  state ${TaskState[task.state]}, caller ${task.callerIsHost ? 'the host' : 'a component'}, borrows ${task.numBorrows}\n`);
    this.out(`  options: string-encoding=${o.stringEncoding}, memory ${o.memory !== null ? 'yes' : 'none'}, realloc ${fname(o.realloc)}, post-return ${fname(o.postReturn)}${o.async ? ', async' : ''}${o.callback !== null ? `, callback ${fname(o.callback)}` : ''}\n`);
  }

  private showHandles(): void {
    const c = this.component();
    const rows = c.handles.array.map((e, i) => [i, e] as const).filter(([, e]) => e !== null);
    if (rows.length === 0) this.out(`handle table of ${c.name}: empty\n`);
    else this.out(`handle table of ${c.name}:\n`);
    for (const [i, e] of rows) {
      if (e instanceof ResourceHandle) {
        this.out(`  ${i}: ${e.own ? 'own' : 'borrow'} ${resourceName(e.rt)} rep ${e.rep}${e.numLends > 0 ? ` (lent ${e.numLends})` : ''}\n`);
      } else this.out(`  ${i}: ${e!.constructor.name}\n`);
    }
  }

  /** The canonical ABI steps of the call in progress, and where in it the program is. */
  private showAbi(): void {
    if (this.abiLog.length === 0) {
      this.out('no canonical ABI step yet\n');
      return;
    }
    this.out('canonical ABI steps of this call:\n');
    for (const e of this.abiLog) this.out(`  ${e.text}\n`);
    const phase = this.abiPhase();
    if (phase !== null) this.out(`now: ${phase}\n`);
  }

  /**
   * Where a lifted call is (canon lift: the parameters lowered into the
   * callee one by one, its core function run, the results lifted out,
   * post-return), from the steps traced so far and the current task's type;
   * with the core function running at the bottom of the wasm frames.
   */
  private abiPhase(): string | null {
    const task = currentThread()?.task;
    const running = this.active.filter((c) => c.status === 'running');
    const entry = running[0]?.depth ? running[0].frames[1]!.func ?? running[0].func : null;
    const inWasm = entry !== null && entry !== undefined ? `, in core code entered at ${funcInfo(entry).name}` : '';
    if (task === undefined) return inWasm === '' ? null : inWasm.slice(2);
    const log = this.abiLog;
    if (log.some((e) => e.kind === 'call' && e.phase === 'post-return')) return `post-return${inWasm}`;
    const lifted = log.filter((e) => e.kind === 'lift' && e.what === 'result').length;
    if (lifted > 0) return `lifting the results (${lifted} done)${inWasm}`;
    const params = task.ft.params;
    const lowered = log.filter((e) => e.kind === 'lower' && e.what === 'param').length;
    if (lowered < params.length && !log.some((e) => e.kind === 'spill' && e.direction === 'lower' && e.what === 'params')) {
      const p = params[lowered]!;
      return `lowering parameter ${lowered} (${p.name}: ${formatType(p.type)}) into the callee${inWasm}`;
    }
    return `the callee's core function runs with the lowered parameters${inWasm}`;
  }
}

/** `ADDR` in decimal or 0x hex. */
function parseNumber(s: string): number | null {
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

function count(args: string[]): number {
  if (args.length === 0) return 1;
  const n = parseNumber(args[0]!);
  if (n === null || n < 1) throw new Error(`expected a count, got \`${args[0]}\``);
  return n;
}

function describe(b: Breakpoint): string {
  switch (b.kind) {
    case 'func': return b.index !== null ? `function ${b.index}` : `function ${b.name}`;
    case 'offset': return `instruction at offset 0x${b.offset.toString(16)}`;
    case 'abi': return `canonical ABI step: ${b.what}`;
    case 'trap': return 'trap';
  }
}

function abiMatches(what: AbiKind, e: TraceEvent): boolean {
  if (what === 'any') return true;
  if (what === 'task') return e.kind === 'async';
  return e.kind === what;
}

function fname(f: FuncInst | null): string {
  if (f === null) return 'none';
  return f instanceof WasmFunc ? funcInfo(f).name : 'host function';
}

function describeRef(r: unknown): string {
  return typeof r === 'object' && r !== null ? r.constructor.name : String(r);
}



/** What `help` prints: every command and each of its names (the README's debugger section lists the same, test/debug.test.ts). */
export const HELP = `commands:
  s, step [N]              run to the next instruction or canonical ABI step (into calls)
  n, next [N]              the same, over calls (the next place in this function or its callers)
  finish, fin              run until the current function returns
  c, continue              run until a breakpoint
  b, break $f | F          break on entering function $f (name section, or export name) or index F
  info functions [T]       the function names break takes (those containing T)
  b, break @OFF            break at the instruction at byte offset OFF of its module (decimal or 0x…)
  b, break abi KIND        break at a canonical ABI step: lift lower realloc store load spill handle call task dtor any
  b, break trap            break where a trap happens
  d, delete [N…]           delete breakpoints (all without N)
  breaks, info break       list the breakpoints
  bt, where, backtrace     the call stack, with names
  stack                    the value stack of the current frame, typed
  locals                   the current function's parameters and locals
  globals, tables          the current instance's globals and tables
  x ADDR [LEN]             dump LEN (default 64) bytes of memory at ADDR
  l, list                  the instructions around the current one
  abi                      the canonical ABI steps of the call in progress (flat values, addresses, types)
  instance, task, handles  the component instance, its current task, its handle table
  h, help                  this list
  q, quit                  stop the program and leave
`;
