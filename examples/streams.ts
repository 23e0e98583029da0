import { Engine, Store, Component, Linker } from 'cmr';

const engine = new Engine();
// double(in) returns a stream at once, then reads `in` four values at a time and writes each doubled.
const doubler = await Component.fromText(engine, `(component
  (type $s (stream u32))
  (core module $Mem (memory (export "m") 1))
  (core instance $mem (instantiate $Mem))
  (core func $new (canon stream.new $s))
  (core func $read (canon stream.read $s (memory (core memory $mem "m"))))
  (core func $write (canon stream.write $s (memory (core memory $mem "m"))))
  (core func $dropr (canon stream.drop-readable $s))
  (core func $dropw (canon stream.drop-writable $s))
  (core func $ret (canon task.return (result $s)))
  (core module $M
    (import "" "m" (memory 1))
    (import "" "new" (func $new (result i64)))
    (import "" "read" (func $read (param i32 i32 i32) (result i32)))
    (import "" "write" (func $write (param i32 i32 i32) (result i32)))
    (import "" "dropr" (func $dropr (param i32)))
    (import "" "dropw" (func $dropw (param i32)))
    (import "" "ret" (func $ret (param i32)))
    (func (export "double") (param $in i32)
      (local $ends i64) (local $out i32) (local $r i32) (local $n i32) (local $i i32)
      (local.set $ends (call $new))
      (local.set $out (i32.wrap_i64 (i64.shr_u (local.get $ends) (i64.const 32))))
      (call $ret (i32.wrap_i64 (local.get $ends)))
      (loop $next
        ;; blocks until values arrive; the result is a copy result (1: the writer dropped) | count << 4
        (local.set $r (call $read (local.get $in) (i32.const 0) (i32.const 4)))
        (local.set $n (i32.shr_u (local.get $r) (i32.const 4)))
        (local.set $i (i32.const 0))
        (loop $each (if (i32.lt_u (local.get $i) (local.get $n)) (then
          (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.shl (i32.load (i32.shl (local.get $i) (i32.const 2))) (i32.const 1)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $each))))
        ;; blocks until the host reads (it takes up to 64 values at a time: all of them)
        (if (local.get $n) (then (drop (call $write (local.get $out) (i32.const 0) (local.get $n)))))
        (br_if $next (i32.ne (i32.and (local.get $r) (i32.const 0xf)) (i32.const 1))))
      (call $dropr (local.get $in))
      (call $dropw (local.get $out))))
  (core instance $i (instantiate $M (with "" (instance (export "m" (memory $mem "m")) (export "new" (func $new))
    (export "read" (func $read)) (export "write" (func $write)) (export "dropr" (func $dropr))
    (export "dropw" (func $dropw)) (export "ret" (func $ret))))))
  (func (export "double") async (param "in" $s) (result $s) (canon lift (core func $i "double") async)))`);
const store = new Store(engine);
const double = (await new Linker(engine).instantiate(store, doubler)).getFunc('double')!;

// The host's stream goes in as an async generator (a ReadableStream or an array would do too)...
async function* numbers() {
  for (let i = 1; i <= 6; i++) yield i;
}
const [doubled] = await double.call(store, [numbers() as never]);
// ...and the guest's comes back as a web ReadableStream, read here with for-await.
const out: number[] = [];
for await (const v of doubled as unknown as AsyncIterable<number>) out.push(v);
console.log(out.join(' ')); // 2 4 6 8 10 12
