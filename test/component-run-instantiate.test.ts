// Component instantiation (src/component/runtime): the walk over
// definitions in order, aliases, nested components, import checks, resource
// identity per instantiation, component-to-component calls on both core
// engines and across them, and the trace hook.

import { expect } from 'chai';
import { decodeComponent } from '../src/component/binary/decode.js';
import { validateComponent } from '../src/component/valid/validate.js';
import { watToBinary } from '../src/text/wat.js';
import { Interpreter } from '../src/core/exec/index.js';
import { NativeEngine } from '../src/core/native/index.js';
import { LinkError, Trap } from '../src/core/errors.js';
import type { CoreEngine } from '../src/core/runtime/instance.js';
import {
  callComponentFunc, dropResourceValue, hostComponentFunc, ResourceValue, type ComponentFunc, type ComponentValue, type TraceEvent,
} from '../src/component/canon/index.js';
import { ResourceType } from '../src/component/syntax/types.js';
import {
  instantiateComponent, type ComponentExtern, type ComponentInstanceHandle, type InstantiateOptions,
} from '../src/component/runtime/index.js';
import { copyingLibc } from './support/libc.js';

const engines: CoreEngine[] = [new Interpreter(), new NativeEngine()];

async function run(
  wat: string, engine: CoreEngine, imports = new Map<string, ComponentExtern>(), options: InstantiateOptions = {},
): Promise<ComponentInstanceHandle> {
  const ast = decodeComponent(await watToBinary(wat));
  return instantiateComponent(ast, validateComponent(ast), imports, engine, options);
}

function fn(inst: ComponentInstanceHandle, ...path: string[]): ComponentFunc {
  const f = inst.func(...path);
  if (f === undefined) throw new Error(`no function ${path.join('.')}`);
  return f;
}

const call = (inst: ComponentInstanceHandle, name: string, ...args: ComponentValue[]) => callComponentFunc(fn(inst, name), args);

/** Core start functions append their id to a log in the order they run. */
const startOrder = `(component
  (core module $Log
    (memory (export "mem") 1)
    (global $n (mut i32) (i32.const 0))
    (func (export "append") (param i32)
      (i32.store8 (global.get $n) (local.get 0))
      (global.set $n (i32.add (global.get $n) (i32.const 1))))
    (func (export "get") (param i32) (result i32) (i32.load8_u (local.get 0)))
    (func (export "len") (result i32) (global.get $n)))
  (core module $M
    (import "log" "append" (func $append (param i32)))
    (import "cfg" "id" (global $id i32))
    (func $start (call $append (global.get $id)))
    (start $start))
  (core module $Id3 (global (export "id") i32 (i32.const 3)))
  (core module $Id1 (global (export "id") i32 (i32.const 1)))
  (core instance $log (instantiate $Log))
  (core instance $id3 (instantiate $Id3))
  (core instance $id1 (instantiate $Id1))
  (core instance (instantiate $M (with "log" (instance $log)) (with "cfg" (instance $id3))))
  (core instance (instantiate $M (with "log" (instance $log)) (with "cfg" (instance $id1))))
  (core instance (instantiate $M (with "log" (instance $log)) (with "cfg" (instance $id3))))
  (func (export "get") (param "i" u32) (result u32) (canon lift (core func $log "get")))
  (func (export "len") (result u32) (canon lift (core func $log "len")))
)`;

/** Aliases of every kind: core export, export (through a nested instance), outer (type, core module, component). */
const aliases = `(component
  (core module $A (func (export "seven") (result i32) (i32.const 7)))
  (core instance $a (instantiate $A))
  (alias core export $a "seven" (core func $seven))
  (core instance $syn (export "renamed" (func $seven)))
  (core module $B
    (import "x" "renamed" (func $r (result i32)))
    (func (export "run") (result i32) (i32.add (call $r) (i32.const 1))))
  (core instance $b (instantiate $B (with "x" (instance $syn))))
  (type $t (func (result u32)))
  (component $Inner
    (alias outer 1 $t (type $t'))
    (alias outer 1 $A (core module $A'))
    (core instance $a (instantiate $A'))
    (func (export "f") (type $t') (canon lift (core func $a "seven")))
  )
  (component $Outer
    (alias outer 1 $Inner (component $Inner'))
    (instance $i (instantiate $Inner'))
    (export "i" (instance $i))
  )
  (instance $o (instantiate $Outer))
  (alias export $o "i" (instance $i))
  (alias export $i "f" (func $f))
  (func (export "run") (type $t) (canon lift (core func $b "run")))
  (export "f" (func $f))
  (export "o" (instance $o))
)`;

/** A resource defined by the component: each instantiation makes its own type. */
const resources = `(component
  (core module $D
    (global $dropped (mut i32) (i32.const 0))
    (func (export "dtor") (param i32) (global.set $dropped (local.get 0)))
    (func (export "dropped") (result i32) (global.get $dropped)))
  (core instance $d (instantiate $D))
  (alias core export $d "dtor" (core func $dtor))
  (type $R (resource (rep i32) (dtor (core func $dtor))))
  (core func $new (canon resource.new $R))
  (core func $rep (canon resource.rep $R))
  (core module $M
    (import "" "new" (func $new (param i32) (result i32)))
    (import "" "rep" (func $rep (param i32) (result i32)))
    (func (export "make") (param i32) (result i32) (call $new (local.get 0)))
    (func (export "get") (param i32) (result i32) (local.get 0)))
  (core instance $m (instantiate $M (with "" (instance (export "new" (func $new)) (export "rep" (func $rep))))))
  (export $R' "r" (type $R))
  (func (export "make") (param "rep" u32) (result (own $R')) (canon lift (core func $m "make")))
  (func (export "get") (param "r" (borrow $R')) (result u32) (canon lift (core func $m "get")))
  (func (export "dropped") (result u32) (canon lift (core func $d "dropped")))
)`;

/**
 * Strings between two components: $C keeps strings in UTF-16, $D in UTF-8;
 * $D passes its argument to $C, which returns it with "!" appended.
 */
const transcoding = `(component
  (component $C
${copyingLibc('$Libc')}
    (core instance $libc (instantiate $Libc))
    (core module $M
      (import "libc" "mem" (memory 1))
      (import "libc" "realloc" (func $realloc (param i32 i32 i32 i32) (result i32)))
      ;; (ptr, len in code units) -> return area at 8: (ptr, len + 1) with u"!" appended
      (func (export "bang") (param $p i32) (param $n i32) (result i32)
        (local $q i32)
        (local.set $q (call $realloc (i32.const 0) (i32.const 0) (i32.const 2) (i32.shl (i32.add (local.get $n) (i32.const 1)) (i32.const 1))))
        (memory.copy (local.get $q) (local.get $p) (i32.shl (local.get $n) (i32.const 1)))
        (i32.store16 (i32.add (local.get $q) (i32.shl (local.get $n) (i32.const 1))) (i32.const 33))
        (i32.store (i32.const 8) (local.get $q))
        (i32.store (i32.const 12) (i32.add (local.get $n) (i32.const 1)))
        (i32.const 8)))
    (core instance $m (instantiate $M (with "libc" (instance $libc))))
    (func (export "bang") (param "s" string) (result string)
      (canon lift (core func $m "bang") string-encoding=utf16 (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
  )
  (component $D
    (import "bang" (func $bang (param "s" string) (result string)))
${copyingLibc('$Libc')}
    (core instance $libc (instantiate $Libc))
    (core func $bang' (canon lower (func $bang) (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
    (core module $M
      (import "" "bang" (func $bang (param i32 i32 i32)))
      ;; passes its argument on and returns $C's answer (the return area at 16)
      (func (export "run") (param $p i32) (param $n i32) (result i32)
        (call $bang (local.get $p) (local.get $n) (i32.const 16))
        (i32.const 16)))
    (core instance $m (instantiate $M (with "" (instance (export "bang" (func $bang'))))))
    (func (export "run") (param "s" string) (result string)
      (canon lift (core func $m "run") (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
  )
  (instance $c (instantiate $C))
  (instance $d (instantiate $D (with "bang" (func $c "bang"))))
  (export "run" (func $d "run"))
)`;

for (const engine of engines) {
  describe(`component instantiation (${engine.name})`, () => {
    it('runs core instantiations, start functions included, in definition order', async () => {
      const inst = await run(startOrder, engine);
      expect(call(inst, 'len')).to.deep.equal([3]);
      expect([0, 1, 2].map((i) => call(inst, 'get', i)[0])).to.deep.equal([3, 1, 3]);
    });

    it('resolves core export, export and outer aliases', async () => {
      const inst = await run(aliases, engine);
      expect(call(inst, 'run')).to.deep.equal([8]);
      expect(call(inst, 'f')).to.deep.equal([7]);
      // Nested instance exports by path.
      expect(callComponentFunc(fn(inst, 'o', 'i', 'f'), [])).to.deep.equal([7]);
      expect(inst.lookup(['o', 'i', 'nope'])).to.equal(undefined);
    });

    it('gives every instantiation its own resource types', async () => {
      const a = await run(resources, engine);
      const b = await run(resources, engine);
      const ra = a.lookup(['r']);
      const rb = b.lookup(['r']);
      expect(ra?.kind).to.equal('type');
      expect(ra!.value).to.be.instanceOf(ResourceType);
      expect(ra!.value).to.not.equal(rb!.value);
      const [h] = call(a, 'make', 42) as [ResourceValue];
      expect(h).to.be.instanceOf(ResourceValue);
      expect(h.type).to.equal(ra!.value);
      expect(call(a, 'get', new ResourceValue(h.type, h.rep, false))).to.deep.equal([42]);
      // A handle of a's resource is not one of b's.
      expect(() => call(b, 'get', new ResourceValue(h.type, h.rep, false))).to.throw(TypeError);
      // Dropping the owned handle runs a's destructor, not b's.
      dropResourceValue(h);
      expect(call(a, 'dropped')).to.deep.equal([42]);
      expect(call(b, 'dropped')).to.deep.equal([0]);
    });

    it('transcodes strings between components (UTF-8 caller, UTF-16 callee)', async () => {
      const inst = await run(transcoding, engine);
      expect(call(inst, 'run', 'héllo, 🌍')).to.deep.equal(['héllo, 🌍!']);
      expect(call(inst, 'run', '')).to.deep.equal(['!']);
    });

    it('runs async built-ins, after their may-leave check', async () => {
      const inst = await run(`(component
        (core func $inc (canon backpressure.inc))
        (core func $drop (canon waitable-set.drop))
        (core module $M
          (import "" "inc" (func $inc))
          (import "" "drop" (func $drop (param i32)))
          (func (export "f") (call $inc))
          (func (export "g") (result i32) (i32.const 0))
          (func (export "g-pr") (param i32) (call $drop (i32.const 1))))
        (core instance $m (instantiate $M (with "" (instance (export "inc" (func $inc)) (export "drop" (func $drop))))))
        (func (export "f") (canon lift (core func $m "f")))
        (func (export "g") (result u32) (canon lift (core func $m "g") (post-return (core func $m "g-pr"))))
      )`, engine);
      expect(call(inst, 'f')).to.deep.equal([]);
      expect(() => call(inst, 'g')).to.throw(Trap, 'cannot leave component instance');
    });
  });
}

describe('component instantiation across engines', () => {
  it('runs the core modules of one component on different engines', async () => {
    let i = 0;
    const used = new Set<string>();
    const inst = await run(transcoding, engines[0]!, new Map(), {
      engineFor: () => {
        const e = engines[i++ % 2]!;
        used.add(e.name);
        return e;
      },
    });
    expect(used).to.deep.equal(new Set(['interp', 'native']));
    expect(call(inst, 'run', 'ok')).to.deep.equal(['ok!']);
  });

  it('links a component instance made on one engine into a component on the other', async () => {
    const provider = await run(`(component
      (core module $M
        (global $g (mut i32) (i32.const 0))
        (func (export "bump") (result i32) (global.set $g (i32.add (global.get $g) (i32.const 1))) (global.get $g)))
      (core instance $m (instantiate $M))
      (func (export "bump") (result u32) (canon lift (core func $m "bump"))))`, engines[1]!);
    const user = await run(`(component
      (import "svc" (instance $svc (export "bump" (func (result u32)))))
      (core func $bump (canon lower (func $svc "bump")))
      (core module $M
        (import "" "bump" (func $bump (result i32)))
        (func (export "twice") (result i32) (drop (call $bump)) (call $bump)))
      (core instance $m (instantiate $M (with "" (instance (export "bump" (func $bump))))))
      (func (export "twice") (result u32) (canon lift (core func $m "twice"))))`,
    engines[0]!, new Map([['svc', { kind: 'instance', value: provider }]]));
    expect(call(user, 'twice')).to.deep.equal([2]);
    expect(call(provider, 'bump')).to.deep.equal([3]);
  });
});

describe('components as values', () => {
  // $C closes $Inner over the module it was given: each instance of $C
  // exports a component whose core module is that instance's argument.
  const closure = `(component
    (component $C
      (import "m" (core module $M (export "get" (func (result i32)))))
      (component $Inner
        (core instance $m (instantiate $M))
        (func (export "get") (result u32) (canon lift (core func $m "get"))))
      (export "inner" (component $Inner)))
    (core module $M1 (func (export "get") (result i32) (i32.const 410)))
    (instance $c1 (instantiate $C (with "m" (core module $M1))))
    (export "c1" (instance $c1)))`;
  const user = `(component
    (import "c" (instance $c (export "inner" (component (export "get" (func (result u32)))))))
    (alias export $c "inner" (component $I))
    (instance $i (instantiate $I))
    (export "get" (func $i "get")))`;

  for (const engine of engines) {
    it(`instantiates an exported component closure in another component (${engine.name})`, async () => {
      const outer = await run(closure, engine);
      const c1 = outer.lookup(['c1']);
      expect(c1?.kind).to.equal('instance');
      const inst = await run(user, engine, new Map([['c', c1!]]));
      expect(call(inst, 'get')).to.deep.equal([410]);
    });
  }
});

describe('component import checks', () => {
  const importer = `(component
    (import "f" (func $f (param "x" u32) (result u32)))
    (core func $f' (canon lower (func $f)))
    (core module $M
      (import "" "f" (func $f (param i32) (result i32)))
      (func (export "run") (result i32) (call $f (i32.const 20))))
    (core instance $m (instantiate $M (with "" (instance (export "f" (func $f'))))))
    (func (export "run") (result u32) (canon lift (core func $m "run"))))`;
  const engine = engines[0]!;

  it('accepts a host function of the imported type', async () => {
    const f = hostComponentFunc({ kind: 'func', async: false, params: [{ name: 'x', type: 'u32' }], result: 'u32' }, (x) => (x as number) + 1);
    const inst = await run(importer, engine, new Map([['f', { kind: 'func', value: f }]]));
    expect(call(inst, 'run')).to.deep.equal([21]);
  });

  it('refuses a missing import before anything runs', async () => {
    try {
      await run(importer, engine);
      expect.fail('instantiated');
    } catch (e) {
      expect(e).to.be.instanceOf(LinkError);
      expect((e as Error).message).to.equal('component imports func `f`, but a matching implementation was not found in the linker');
    }
  });

  it('refuses an import of the wrong type', async () => {
    const f = hostComponentFunc({ kind: 'func', async: false, params: [{ name: 'x', type: 'string' }], result: 'u32' }, () => 0);
    try {
      await run(importer, engine, new Map([['f', { kind: 'func', value: f }]]));
      expect.fail('instantiated');
    } catch (e) {
      expect(e).to.be.instanceOf(LinkError);
      expect((e as Error).message).to.match(/^component imports func `f`, but a matching implementation was not found in the linker\nfunc `f` has the wrong type\n/);
    }
  });

  it('refuses an import of the wrong sort', async () => {
    try {
      await run(importer, engine, new Map([['f', { kind: 'type', value: 'u32' }]]));
      expect.fail('instantiated');
    } catch (e) {
      expect(e).to.be.instanceOf(LinkError);
    }
  });
});

describe('component tracing', () => {
  it('passes the trace hook to every instance of the instantiation', async () => {
    const events: TraceEvent[] = [];
    const inst = await run(transcoding, engines[0]!, new Map(), { trace: (e) => events.push(e) });
    call(inst, 'run', 'x');
    const kinds = new Set(events.map((e) => e.kind));
    expect(kinds.has('call')).to.equal(true);
    expect(kinds.has('realloc')).to.equal(true);
    // Both nested instances show up, named after their parent.
    const texts = events.map((e) => e.text).join('\n');
    expect(texts).to.match(/component\/\S+/);
  });
});
