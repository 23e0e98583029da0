;; v128 values as the interpreter moves them, beside the lanes the official
;; SIMD suite checks: a v128 lives outside the 8-byte value slots, so every
;; way a value moves must carry its 16 bytes. The suite tests instructions
;; with values straight from parameters; these test the moves: branches
;; that keep values while dropping others below them (br, br_if, br_table,
;; a loop's parameters), returns from frames with locals, select, globals,
;; calls with mixed scalar and vector arguments, fresh locals after a call
;; left other values in their slots, and a stack that grows mid-call.

(module
  (global $g (mut v128) (v128.const i32x4 1 2 3 4))
  (global $k v128 (v128.const i64x2 -1 0x0123456789abcdef))
  (global (export "g") (mut v128) (v128.const f32x4 1.5 -0 nan inf))

  ;; br out of two blocks, dropping an i64 and a v128 below the kept v128
  (func (export "br-keeps") (result v128)
    (block (result v128)
      (i64.const 7)
      (v128.const i32x4 9 9 9 9)
      (block (result v128)
        (v128.const i32x4 10 20 30 40)
        (br 1))
      (drop) (drop) (drop)
      (v128.const i32x4 0 0 0 0)))

  ;; br_if with a value, taken and not taken
  (func (export "br_if-keeps") (param i32) (result v128)
    (block (result v128)
      (f64.const 1)
      (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)
      (local.get 0)
      (br_if 0)
      (drop) (drop)
      (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 -1)))

  ;; br_table to a block and to the function: both keep the vector
  (func (export "br_table-keeps") (param i32) (result v128)
    (i32.const 5)
    (block (result v128)
      (i32.const 6)
      (v128.const i16x8 1 -1 2 -2 3 -3 4 -4)
      (local.get 0)
      (br_table 0 1))
    (return))

  ;; a loop whose parameter is a vector: add 1 to lane 0 until it is 5
  (func (export "loop-param") (result v128) (local v128)
    (v128.const i32x4 0 100 200 300)
    (loop (param v128) (result v128)
      (i64.const 0) (drop)
      (i32x4.add (v128.const i32x4 1 0 0 0))
      (local.tee 0)
      (br_if 0 (i32.lt_s (i32x4.extract_lane 0 (local.get 0)) (i32.const 5)))))

  (func $id (param v128) (result v128) (local i64 v128 f32) (local.get 0))

  ;; return from a frame with locals: the result moves down to the frame base
  (func (export "return-moves") (param i32 v128 i64) (result v128 i32)
    (local v128 f64)
    (local.set 3 (i32x4.mul (local.get 1) (v128.const i32x4 2 2 2 2)))
    (call $id (local.get 3))
    (local.get 0))

  ;; mixed arguments, the vector between scalars
  (func $mix (param i32 v128 f64 v128 i64) (result v128)
    (i64x2.add (local.get 1) (local.get 3)))
  (func (export "call-mixed") (result v128)
    (call $mix (i32.const 1) (v128.const i64x2 1 2) (f64.const 3) (v128.const i64x2 10 20) (i64.const 4)))

  ;; select, untyped and typed
  (func (export "select") (param i32) (result v128)
    (select (v128.const i32x4 1 1 1 1) (v128.const i32x4 2 2 2 2) (local.get 0)))
  (func (export "select-t") (param i32) (result v128)
    (select (result v128) (v128.const i32x4 3 3 3 3) (v128.const i32x4 4 4 4 4) (local.get 0)))

  ;; globals
  (func (export "global-roundtrip") (result v128)
    (global.set $g (i32x4.add (global.get $g) (global.get $k)))
    (global.get $g))

  ;; a declared v128 local starts as zero even where an earlier call left a value
  (func $dirty (result v128) (local v128 v128) (local.set 0 (v128.const i32x4 -1 -1 -1 -1)) (local.set 1 (local.get 0)) (local.get 1))
  (func $fresh (result v128) (local v128) (local.get 0))
  (func (export "locals-zero") (result v128)
    (drop (call $dirty))
    (call $fresh))

  ;; recursion deep enough to grow the stacks mid-call (past the 4096 slots a
  ;; configuration starts with), with vectors live in every frame
  (func $deep (export "deep") (param $n i32) (param $v v128) (result v128)
    (local $keep v128)
    (local.set $keep (local.get $v))
    (if (result v128) (i32.eqz (local.get $n))
      (then (local.get $v))
      (else
        (i32x4.add
          (call $deep (i32.sub (local.get $n) (i32.const 1)) (i32x4.add (local.get $v) (v128.const i32x4 1 1 1 1)))
          (i32x4.sub (local.get $keep) (local.get $v))))))
)

(assert_return (invoke "br-keeps") (v128.const i32x4 10 20 30 40))
(assert_return (invoke "br_if-keeps" (i32.const 1)) (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16))
(assert_return (invoke "br_if-keeps" (i32.const 0)) (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 -1))
(assert_return (invoke "br_table-keeps" (i32.const 0)) (v128.const i16x8 1 -1 2 -2 3 -3 4 -4))
(assert_return (invoke "br_table-keeps" (i32.const 1)) (v128.const i16x8 1 -1 2 -2 3 -3 4 -4))
(assert_return (invoke "loop-param") (v128.const i32x4 5 100 200 300))
(assert_return (invoke "return-moves" (i32.const 7) (v128.const i32x4 1 2 3 -4) (i64.const 0))
  (v128.const i32x4 2 4 6 -8) (i32.const 7))
(assert_return (invoke "call-mixed") (v128.const i64x2 11 22))
(assert_return (invoke "select" (i32.const 1)) (v128.const i32x4 1 1 1 1))
(assert_return (invoke "select" (i32.const 0)) (v128.const i32x4 2 2 2 2))
(assert_return (invoke "select-t" (i32.const 1)) (v128.const i32x4 3 3 3 3))
(assert_return (invoke "select-t" (i32.const 0)) (v128.const i32x4 4 4 4 4))
(assert_return (invoke "global-roundtrip") (v128.const i32x4 0 1 0x89abcdf2 0x0123456b))
(assert_return (invoke "global-roundtrip") (v128.const i32x4 -1 0 0x13579be1 0x02468ad2))
(assert_return (get "g") (v128.const f32x4 1.5 -0 nan inf))
(assert_return (invoke "locals-zero") (v128.const i32x4 0 0 0 0))
(assert_return (invoke "deep" (i32.const 1000) (v128.const i32x4 0 1 2 3)) (v128.const i32x4 1000 1001 1002 1003))

;; An exception's v128 payload, thrown and caught across frames (native: where the host has exnref).
(module
  (tag $t (param i32 v128))
  (func $thrower (param v128) (local v128)
    (local.set 1 (i8x16.add (local.get 0) (local.get 0)))
    (throw $t (i32.const 3) (local.get 1)))
  (func (export "catch") (param v128) (result i32 v128)
    (block $h (result i32 v128)
      (try_table (catch $t $h)
        (call $thrower (local.get 0)))
      (i32.const 0) (v128.const i32x4 0 0 0 0))))

(assert_return (invoke "catch" (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 127))
  (i32.const 3) (v128.const i8x16 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30 -2))
