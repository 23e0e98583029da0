// Components of the async API's tests, shared by more than one test file.

/**
 * `run(x)` calls the host's `slow(x)` with an async lower, waits for its
 * subtask, and returns what it wrote (callback lifted, so several `run`
 * tasks can wait at once).
 */
export const relayText = `(component
  (import "slow" (func $slow async (param "x" u32) (result u32)))
  (core module $Mem (memory (export "mem") 1))
  (core instance $mem (instantiate $Mem))
  (core func $slow (canon lower (func $slow) async (memory (core memory $mem "mem"))))
  (core func $new (canon waitable-set.new))
  (core func $join (canon waitable.join))
  (core func $sdrop (canon subtask.drop))
  (core func $ret (canon task.return (result u32)))
  (core func $ctx.get (canon context.get i32 0))
  (core func $ctx.set (canon context.set i32 0))
  (core module $M
    (import "" "mem" (memory 1))
    (import "" "slow" (func $slow (param i32 i32) (result i32)))
    (import "" "new" (func $new (result i32)))
    (import "" "join" (func $join (param i32 i32)))
    (import "" "sdrop" (func $sdrop (param i32)))
    (import "" "ret" (func $ret (param i32)))
    (import "" "ctx.get" (func $ctx.get (result i32)))
    (import "" "ctx.set" (func $ctx.set (param i32)))
    (global $next (mut i32) (i32.const 100))
    (func (export "run") (param i32) (result i32)
      (local $r i32) (local $ws i32) (local $out i32)
      ;; each task has its own result slot, kept in its context
      (local.set $out (global.get $next))
      (global.set $next (i32.add (global.get $next) (i32.const 4)))
      (call $ctx.set (local.get $out))
      (local.set $r (call $slow (local.get 0) (local.get $out)))
      (if (i32.ne (i32.and (local.get $r) (i32.const 0xf)) (i32.const 1)) (then unreachable))
      (local.set $ws (call $new))
      (call $join (i32.shr_u (local.get $r) (i32.const 4)) (local.get $ws))
      (i32.or (i32.const 2 (; WAIT ;)) (i32.shl (local.get $ws) (i32.const 4))))
    (func (export "cb") (param $code i32) (param $index i32) (param $payload i32) (result i32)
      (if (i32.ne (local.get $code) (i32.const 1 (; SUBTASK ;))) (then unreachable))
      (if (i32.ne (local.get $payload) (i32.const 2 (; RETURNED ;))) (then unreachable))
      (call $sdrop (local.get $index))
      (call $ret (i32.load (call $ctx.get)))
      (i32.const 0 (; EXIT ;))))
  (core instance $m (instantiate $M (with "" (instance
    (export "mem" (memory $mem "mem")) (export "slow" (func $slow)) (export "new" (func $new))
    (export "join" (func $join)) (export "sdrop" (func $sdrop)) (export "ret" (func $ret))
    (export "ctx.get" (func $ctx.get)) (export "ctx.set" (func $ctx.set))))))
  (func (export "run") async (param "x" u32) (result u32)
    (canon lift (core func $m "run") async (callback (core func $m "cb")))))`;
