;; The interpreter's call and return path (interpreter.ts, configuration.ts's
;; Frame): a call saves the caller's fp, position and function in the free
;; frame and moves to the next one, growing the stacks (GROW) when there is
;; none; a return reloads them, and moves the results to the frame base
;; unless a fused return put the function's one number there already. Each
;; test below computes a value that comes out wrong if a frame's fp, body,
;; position or function, a result's words, or an instance's memory is not
;; restored exactly, on recursions deep enough to grow the stacks mid-call
;; many times (the frames start at 64).

(module
  ;; An operand left on the stack below each call (local.get $n), and a
  ;; declared local set after the call, read back: sum 1..n.
  (func $sum (export "sum") (param $n i32) (result i32) (local $t i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else
        (local.set $t (i32.add (local.get $n) (call $sum (i32.sub (local.get $n) (i32.const 1)))))
        (local.get $t))))
  ;; Frames of two sizes alternating (5 and 1 declared locals), the locals
  ;; checked to start at zero on every entry: n + the number of levels.
  (func $big (param $n i32) (result i32) (local i32 i64 f64 i32 i32)
    (if (i32.or (local.get 1) (i32.or (i32.wrap_i64 (local.get 2)) (i32.or (local.get 4) (local.get 5))))
      (then (unreachable)))
    (local.set 1 (i32.const 1)) (local.set 2 (i64.const -1)) (local.set 4 (i32.const 2)) (local.set 5 (i32.const 3))
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (local.get 5) (call $small (i32.sub (local.get $n) (i32.const 1)))))))
  (func $small (param $n i32) (result i32) (local i32)
    (if (local.get 1) (then (unreachable)))
    (local.set 1 (i32.const 7))
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.sub (call $big (i32.sub (local.get $n) (i32.const 1))) (i32.const 2)))))
  (func (export "alternate") (param i32) (result i32) (call $big (local.get 0)))
  ;; i64 and f64 results (one number, both words) through deep recursion.
  (func $sum64 (export "sum64") (param $n i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (i64.const 0x100000000))
      (else (i64.add (local.get $n) (call $sum64 (i64.sub (local.get $n) (i64.const 1)))))))
  (func $halve (export "halve") (param $n i32) (result f64)
    (if (result f64) (i32.eqz (local.get $n))
      (then (f64.const 1))
      (else (f64.mul (f64.const 0.5) (call $halve (i32.sub (local.get $n) (i32.const 1)))))))
  ;; Two results (the general move of values), the second a reference.
  (func $two (param $n i32) (result i32 externref)
    (if (result i32 externref) (i32.eqz (local.get $n))
      (then (i32.const 0) (ref.null extern))
      (else
        (call $two (i32.sub (local.get $n) (i32.const 1)))
        (drop)
        (i32.add (i32.const 1))
        (ref.null extern))))
  (func (export "two") (param i32) (result i32 i32)
    (call $two (local.get 0)) (ref.is_null))
  ;; No end: the stack is exhausted, and the configuration works after.
  (func $forever (export "forever") (param i32) (result i32)
    (i32.add (i32.const 1) (call $forever (local.get 0)))))

(assert_return (invoke "sum" (i32.const 0)) (i32.const 0))
(assert_return (invoke "sum" (i32.const 100)) (i32.const 5050))
(assert_return (invoke "sum" (i32.const 6000)) (i32.const 18003000))
(assert_return (invoke "alternate" (i32.const 0)) (i32.const 0))
(assert_return (invoke "alternate" (i32.const 1)) (i32.const 3))
(assert_return (invoke "alternate" (i32.const 2)) (i32.const 1))
(assert_return (invoke "alternate" (i32.const 10001)) (i32.const 5003))
(assert_return (invoke "sum64" (i64.const 10000)) (i64.const 0x102fb0408))
(assert_return (invoke "halve" (i32.const 1074)) (f64.const 0x0.0000000000001p-1022))
(assert_return (invoke "halve" (i32.const 1075)) (f64.const 0))
(assert_return (invoke "two" (i32.const 5000)) (i32.const 5000) (i32.const 1))
(assert_exhaustion (invoke "forever" (i32.const 0)) "call stack exhausted")
(assert_return (invoke "sum" (i32.const 7000)) (i32.const 24503500))

;; Calls across instances: each function reads its own instance's memory
;; after its call returns, so a return into the other instance that kept
;; the callee's memory (or function) would read the other's byte.
(module $B
  (memory 1)
  (data (i32.const 0) "\64")
  (table $t 1 funcref)
  (elem (table $t) (i32.const 0) func $g)
  ;; g calls through its table (call_indirect's path): itself at first, A's
  ;; f once the third module has bound it there.
  (type $fn (func (param i32) (result i32)))
  (func $g (export "g") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.load8_u (i32.const 0)))
      (else (i32.add (i32.load8_u (i32.const 0)) (call_indirect $t (type $fn) (i32.sub (local.get $n) (i32.const 1)) (i32.const 0))))))
  (func (export "set") (param funcref) (table.set $t (i32.const 0) (local.get 0)))
  (export "t" (table $t)))
(register "B" $B)

(module $A
  (import "B" "g" (func $g (param i32) (result i32)))
  (memory 1)
  (data (i32.const 0) "\01")
  (func (export "f") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.load8_u (i32.const 0)))
      (else (i32.add (i32.load8_u (i32.const 0)) (call $g (i32.sub (local.get $n) (i32.const 1))))))))
(register "A" $A)

(module $C
  (import "A" "f" (func $f (param i32) (result i32)))
  (import "B" "set" (func $set (param funcref)))
  (import "B" "g" (func $g (param i32) (result i32)))
  (memory 1)
  (data (i32.const 0) "\e8\03")
  (elem declare func $f)
  (func (export "bind") (call $set (ref.func $f)))
  ;; A call into A, which calls B's g, which calls A's f through B's table, and so on.
  (func (export "ping") (param i32) (result i32)
    (i32.add (call $f (local.get 0)) (i32.load16_u (i32.const 0))))
  ;; A tail call into another instance: its memory, not this one's, is read.
  (func (export "tail-g") (param i32) (result i32) (return_call $g (local.get 0))))

(invoke "bind")
;; f, g, f, g ...: A's byte 1 at even depths, B's 100 at odd ones, then C's 1000.
(assert_return (invoke "ping" (i32.const 0)) (i32.const 1001))
(assert_return (invoke "ping" (i32.const 1)) (i32.const 1101))
(assert_return (invoke "ping" (i32.const 5)) (i32.const 1303))
(assert_return (invoke "ping" (i32.const 4001)) (i32.const 203101))
(assert_return (invoke "tail-g" (i32.const 0)) (i32.const 100))
(assert_return (invoke "tail-g" (i32.const 3)) (i32.const 202))

;; Tail calls: from the else arm of a fused test (if_z), with the argument
;; computed by a fused node (local OP constant), to a function with more
;; locals than the caller (its frame grows in place) and back, a million
;; times in constant frame space (acc + 2 per step); and a tail call whose callee then calls deeply.
(module
  (func $count (export "count") (param $n i32) (param $acc i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (local.get $acc))
      (else (return_call $wide (i32.sub (local.get $n) (i32.const 1)) (i32.add (local.get $acc) (i32.const 3))))))
  (func $wide (param $n i32) (param $acc i32) (result i32) (local i64 i64 i64 i64 i32)
    (if (i32.wrap_i64 (local.get 2)) (then (unreachable)))
    (local.set 2 (i64.const 1)) (local.set 6 (i32.const 1))
    (return_call $count (local.get $n) (i32.sub (local.get $acc) (local.get 6))))
  (func $deep (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0))
      (else (i32.add (i32.const 2) (call $deep (i32.sub (local.get $n) (i32.const 1)))))))
  (func (export "tail-then-deep") (param i32) (result i32) (return_call $deep (local.get 0))))

(assert_return (invoke "count" (i32.const 0) (i32.const 5)) (i32.const 5))
(assert_return (invoke "count" (i32.const 3) (i32.const 0)) (i32.const 6))
(assert_return (invoke "count" (i32.const 1000000) (i32.const 0)) (i32.const 2000000))
(assert_return (invoke "tail-then-deep" (i32.const 10000)) (i32.const 20000))

;; An exception thrown at the bottom of a deep recursion unwinds through
;; every frame to the handler of the entry function, which then calls
;; deeply again (the frames are reused) and returns both values.
(module
  (tag $e (param i32))
  (func $dive (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (throw $e (i32.const 42)))
      (else (i32.add (i32.const 1) (call $dive (i32.sub (local.get $n) (i32.const 1)))))))
  (func $sum (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0))
      (else (i32.add (local.get $n) (call $sum (i32.sub (local.get $n) (i32.const 1)))))))
  (func (export "catch-deep") (param $n i32) (result i32 i32)
    (block $h (result i32)
      (try_table (catch $e $h) (drop (call $dive (local.get $n))))
      (i32.const -1))
    (call $sum (local.get $n))))

(assert_return (invoke "catch-deep" (i32.const 0)) (i32.const 42) (i32.const 0))
(assert_return (invoke "catch-deep" (i32.const 10000)) (i32.const 42) (i32.const 50005000))
