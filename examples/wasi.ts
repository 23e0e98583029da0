import { Engine, Component, Linker, Store, WasiCtxBuilder, addToLinkerSync, runCommand } from 'cmr';

const engine = new Engine();
// A WASI command: prints its arguments, each followed by a space, then what it reads from stdin, then a newline.
const component = await Component.fromText(engine, `(component $c
  (import "wasi:io/error@0.2.0" (instance $io-error (export "error" (type (sub resource)))))
  (alias export $io-error "error" (type $error))
  (import "wasi:io/streams@0.2.0" (instance $streams
    (export "output-stream" (type $os (sub resource)))
    (export "input-stream" (type $is (sub resource)))
    (alias outer $c $error (type $e))
    (type $se (variant (case "last-operation-failed" (own $e)) (case "closed")))
    (export "stream-error" (type $stream-error (eq $se)))
    (export "[method]output-stream.blocking-write-and-flush"
      (func (param "self" (borrow $os)) (param "contents" (list u8)) (result (result (error $stream-error)))))
    (export "[method]input-stream.blocking-read"
      (func (param "self" (borrow $is)) (param "len" u64) (result (result (list u8) (error $stream-error)))))))
  (alias export $streams "output-stream" (type $output-stream))
  (alias export $streams "input-stream" (type $input-stream))
  (import "wasi:cli/environment@0.2.0" (instance $env (export "get-arguments" (func (result (list string))))))
  (import "wasi:cli/stdin@0.2.0" (instance $stdin
    (alias outer $c $input-stream (type $is)) (export "get-stdin" (func (result (own $is))))))
  (import "wasi:cli/stdout@0.2.0" (instance $stdout
    (alias outer $c $output-stream (type $os)) (export "get-stdout" (func (result (own $os))))))
  (core module $libc
    (memory (export "memory") 1)
    (data (i32.const 32) " \\n")
    (global $top (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32) (param $align i32) (param $size i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $top) (i32.sub (local.get $align) (i32.const 1))) (i32.sub (i32.const 0) (local.get $align))))
      (global.set $top (i32.add (local.get $p) (local.get $size)))
      (local.get $p)))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "memory" (core memory $memory))
  (alias core export $libc "realloc" (core func $realloc))
  (core func $args (canon lower (func $env "get-arguments") (memory $memory) (realloc $realloc)))
  (core func $stdin (canon lower (func $stdin "get-stdin")))
  (core func $stdout (canon lower (func $stdout "get-stdout")))
  (core func $read (canon lower (func $streams "[method]input-stream.blocking-read") (memory $memory) (realloc $realloc)))
  (core func $write (canon lower (func $streams "[method]output-stream.blocking-write-and-flush") (memory $memory)))
  (core func $drop-in (canon resource.drop $input-stream))
  (core func $drop-out (canon resource.drop $output-stream))
  (core module $m
    (import "h" "memory" (memory 1))
    (import "h" "args" (func $args (param i32)))
    (import "h" "stdin" (func $stdin (result i32)))
    (import "h" "stdout" (func $stdout (result i32)))
    (import "h" "read" (func $read (param i32 i64 i32)))
    (import "h" "write" (func $write (param i32 i32 i32 i32)))
    (import "h" "drop-in" (func $drop-in (param i32)))
    (import "h" "drop-out" (func $drop-out (param i32)))
    (func (export "run") (result i32)
      (local $out i32) (local $in i32) (local $arg i32) (local $end i32)
      (local.set $out (call $stdout))
      (call $args (i32.const 0)) ;; the list's address and length at 0 and 4; each string's at 8 i and 8 i + 4
      (local.set $arg (i32.load (i32.const 0)))
      (local.set $end (i32.add (local.get $arg) (i32.shl (i32.load (i32.const 4)) (i32.const 3))))
      (block $done (loop $each
        (br_if $done (i32.ge_u (local.get $arg) (local.get $end)))
        (call $write (local.get $out) (i32.load (local.get $arg)) (i32.load offset=4 (local.get $arg)) (i32.const 16))
        (call $write (local.get $out) (i32.const 32) (i32.const 1) (i32.const 16))
        (local.set $arg (i32.add (local.get $arg) (i32.const 8)))
        (br $each)))
      (local.set $in (call $stdin))
      (call $read (local.get $in) (i64.const 100) (i32.const 40)) ;; ok: the bytes' address and length at 44 and 48
      (call $write (local.get $out) (i32.load (i32.const 44)) (i32.load (i32.const 48)) (i32.const 16))
      (call $write (local.get $out) (i32.const 33) (i32.const 1) (i32.const 16))
      (call $drop-in (local.get $in))
      (call $drop-out (local.get $out))
      (i32.const 0)))
  (core instance $i (instantiate $m (with "h" (instance
    (export "memory" (memory $memory)) (export "args" (func $args)) (export "stdin" (func $stdin))
    (export "stdout" (func $stdout)) (export "read" (func $read)) (export "write" (func $write))
    (export "drop-in" (func $drop-in)) (export "drop-out" (func $drop-out))))))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $run (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $run)))`);

const chunks: Uint8Array[] = [];
const ctx = new WasiCtxBuilder()
  .args(['prog', 'a']).env({ K: 'V' })           // .inheritEnv() adds the process's
  .stdin(new TextEncoder().encode('input'))      // or 'inherit', or null (end of input at once)
  .stdout((bytes) => chunks.push(bytes))         // or 'inherit', or null (thrown away)
  .preopenedDir('.', '/', { readOnly: true })    // a host folder, seen by the guest at /
  .wallClock({ now: () => ({ seconds: 0n, nanoseconds: 0 }), resolution: () => ({ seconds: 1n, nanoseconds: 0 }) })
  .monotonicClock({ now: () => 0n, resolution: () => 1n })
  .build();
const linker = addToLinkerSync(new Linker(engine), ctx);   // or (store) => store.data.wasi: a context per store
const store = new Store(engine);
const instance = await linker.instantiate(store, component);
const status = await runCommand(store, instance);           // wasi:cli/run@0.2.x: 0, 1 for err, or exit's status
ctx.close();                                                // releases files the guest left open
console.log(status); // 0
console.log(new TextDecoder().decode(Buffer.concat(chunks))); // prog a input
