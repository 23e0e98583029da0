;; The interpreter's vector fast forms (interpreter.ts's v128 cases,
;; simd/fuse.ts), which the official suites reach only instruction by
;; instruction: v128 local moves and 8-byte-aligned loads and stores move
;; two doubles, other addresses four words, so every bit pattern must come
;; through both (signalling-NaN and V8-hole-NaN halves, -0); the lane-wise
;; add/sub/mul read their right operand from the stack or straight from
;; memory (OP, OP_ld, a v128 local and a load: OP_lld) and write their
;; result to the stack or straight to memory (vlane_st), so operand order,
;; lane order, f32 rounding, i32 wrapping, NaNs, unaligned addresses, a
;; store overlapping the load, and the last byte of memory are checked for
;; each.

(module
  (memory 1)
  (func (export "mov") (param $v v128) (result v128) (local $t v128) (local $u v128)
    (local.set $t (local.get $v))
    (local.set $u (local.tee $t (local.get $t)))
    (local.get $u))
  ;; vstore_l (the address a local) and vstore (the address computed)
  (func (export "store") (param $p i32) (param $v v128) (v128.store (local.get $p) (local.get $v)))
  (func (export "store-at") (param $p i32) (param $v v128) (v128.store offset=8 (i32.sub (local.get $p) (i32.const 8)) (local.get $v)))
  ;; vload_l and vload
  (func (export "load") (param $p i32) (result v128) (v128.load (local.get $p)))
  (func (export "load-at") (param $p i32) (result v128) (v128.load offset=8 (i32.sub (local.get $p) (i32.const 8))))
  (func (export "load-last") (param $p i32) (result v128) (v128.load offset=65520 (local.get $p)))

  ;; OP: both operands on the stack
  (func (export "f32-sub") (param v128 v128) (result v128) (f32x4.sub (local.get 0) (local.get 1)))
  (func (export "f32-add") (param v128 v128) (result v128) (f32x4.add (local.get 0) (local.get 1)))
  (func (export "f64-sub") (param v128 v128) (result v128) (f64x2.sub (local.get 0) (local.get 1)))
  (func (export "i32-sub") (param v128 v128) (result v128) (i32x4.sub (local.get 0) (local.get 1)))
  (func (export "i32-mul") (param v128 v128) (result v128) (i32x4.mul (local.get 0) (local.get 1)))
  ;; OP_ld: the left operand a load (not a local), the right one loaded from q
  (func (export "f32-sub-ld") (param $p i32) (param $q i32) (result v128) (f32x4.sub (v128.load (local.get $p)) (v128.load (local.get $q))))
  (func (export "f64-mul-ld") (param $p i32) (param $q i32) (result v128) (f64x2.mul (v128.load (local.get $p)) (v128.load (local.get $q))))
  (func (export "i32-sub-ld") (param $p i32) (param $q i32) (result v128) (i32x4.sub (v128.load (local.get $p)) (v128.load (local.get $q))))
  ;; OP_lld: a v128 local minus a load
  (func (export "f32-sub-lld") (param $v v128) (param $q i32) (result v128) (f32x4.sub (local.get $v) (v128.load offset=4 (local.get $q))))
  (func (export "f32-mul-lld") (param $v v128) (param $q i32) (result v128) (f32x4.mul (local.get $v) (v128.load (local.get $q))))
  (func (export "f64-sub-lld") (param $v v128) (param $q i32) (result v128) (f64x2.sub (local.get $v) (v128.load (local.get $q))))
  (func (export "i32-mul-lld") (param $v v128) (param $q i32) (result v128) (i32x4.mul (local.get $v) (v128.load (local.get $q))))
  ;; vlane_st: each form's result stored at d
  (func (export "f32-sub-st") (param $d i32) (param $v v128) (param $w v128) (v128.store (local.get $d) (f32x4.sub (local.get $v) (local.get $w))))
  (func (export "f32-sub-ld-st") (param $d i32) (param $p i32) (param $q i32) (v128.store (local.get $d) (f32x4.sub (v128.load (local.get $p)) (v128.load (local.get $q)))))
  (func (export "f32-sub-lld-st") (param $d i32) (param $v v128) (param $q i32) (v128.store (local.get $d) (f32x4.sub (local.get $v) (v128.load (local.get $q)))))
  (func (export "f64-sub-lld-st") (param $d i32) (param $v v128) (param $q i32) (v128.store (local.get $d) (f64x2.sub (local.get $v) (v128.load (local.get $q)))))
  (func (export "i32-sub-lld-st") (param $d i32) (param $v v128) (param $q i32) (v128.store offset=2 (local.get $d) (i32x4.sub (local.get $v) (v128.load (local.get $q)))))
  ;; y = a * x + y, the kernel's shape: mul OP_lld, then add OP_ld loading where the result is stored (vlane2_st)
  (func (export "axpy") (param $a v128) (param $x i32) (param $y i32)
    (v128.store (local.get $y) (f32x4.add (f32x4.mul (local.get $a) (v128.load (local.get $x))) (v128.load (local.get $y)))))
  ;; the same on i32 and f64 lanes, the second operation a subtraction (product - y)
  (func (export "i32-muls") (param $a v128) (param $x i32) (param $y i32)
    (v128.store offset=3 (local.get $y) (i32x4.sub (i32x4.mul (local.get $a) (v128.load (local.get $x))) (v128.load offset=3 (local.get $y)))))
  (func (export "f64-adds") (param $a v128) (param $x i32) (param $y i32)
    (v128.store (local.get $y) (f64x2.sub (f64x2.add (local.get $a) (v128.load (local.get $x))) (v128.load (local.get $y)))))
)

;; Bit patterns through local moves: the halves are a signalling NaN, V8's hole NaN, -0 and a denormal.
(assert_return (invoke "mov" (v128.const i64x2 0x7ff0000000000001 0xfff7fffffff7ffff)) (v128.const i64x2 0x7ff0000000000001 0xfff7fffffff7ffff))
(assert_return (invoke "mov" (v128.const i64x2 0x8000000000000000 0x0000000000000001)) (v128.const i64x2 0x8000000000000000 0x0000000000000001))
(assert_return (invoke "mov" (v128.const i32x4 0x7f800001 0xff800001 0x7fa00000 0xffffffff)) (v128.const i32x4 0x7f800001 0xff800001 0x7fa00000 0xffffffff))

;; Stored aligned, read back aligned and across the alignment (and the other way round).
(invoke "store" (i32.const 16) (v128.const i64x2 0x7ff0000000000001 0xfff7fffffff7ffff))
(assert_return (invoke "load" (i32.const 16)) (v128.const i64x2 0x7ff0000000000001 0xfff7fffffff7ffff))
(assert_return (invoke "load-at" (i32.const 20)) (v128.const i32x4 0x7ff00000 0xfff7ffff 0xfff7ffff 0))
(assert_return (invoke "load" (i32.const 12)) (v128.const i32x4 0 0x00000001 0x7ff00000 0xfff7ffff))
(invoke "store-at" (i32.const 36) (v128.const i64x2 0x7ff4000000000000 0x8000000000000000))
(assert_return (invoke "load-at" (i32.const 36)) (v128.const i64x2 0x7ff4000000000000 0x8000000000000000))
(assert_return (invoke "load" (i32.const 40)) (v128.const i32x4 0x7ff40000 0 0x80000000 0))
(assert_return (invoke "load" (i32.const 35)) (v128.const i32x4 0 0xf4000000 0x7f 0))
(invoke "store" (i32.const 35) (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16))
(assert_return (invoke "load" (i32.const 32)) (v128.const i8x16 0 0 0 1 2 3 4 5 6 7 8 9 10 11 12 13))
(assert_return (invoke "load-at" (i32.const 48)) (v128.const i8x16 14 15 16 0x80 0 0 0 0 0 0 0 0 0 0 0 0))

;; The last 16 bytes of memory, at an aligned and an unaligned address; one byte further traps.
(invoke "store" (i32.const 65520) (v128.const i32x4 1 2 3 4))
(invoke "store-at" (i32.const 65519) (v128.const i32x4 0x11111111 0x22222222 0x33333333 0x44444444))
(assert_return (invoke "load" (i32.const 65520)) (v128.const i32x4 0x22111111 0x33222222 0x44333333 0x00444444))
(assert_return (invoke "load-at" (i32.const 65519)) (v128.const i32x4 0x11111111 0x22222222 0x33333333 0x44444444))
(assert_return (invoke "load-last" (i32.const 0)) (v128.const i32x4 0x22111111 0x33222222 0x44333333 0x00444444))
(assert_trap (invoke "load" (i32.const 65521)) "out of bounds memory access")
(assert_trap (invoke "load-at" (i32.const 65528)) "out of bounds memory access")
(assert_trap (invoke "load-last" (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "load-last" (i32.const -16)) "out of bounds memory access")
(assert_trap (invoke "store" (i32.const 65521) (v128.const i32x4 9 9 9 9)) "out of bounds memory access")
(assert_trap (invoke "store-at" (i32.const 65524) (v128.const i32x4 9 9 9 9)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 65520)) (v128.const i32x4 0x22111111 0x33222222 0x44333333 0x00444444))

;; OP: left minus right, lane by lane; one rounding to f32 (1 + 2^-24 ties to 1; 1 + 2^-23 is exact)
(assert_return (invoke "f32-sub" (v128.const f32x4 10 20 30 40) (v128.const f32x4 1 2 3 -4)) (v128.const f32x4 9 18 27 44))
(assert_return (invoke "f32-add" (v128.const f32x4 1 1 1 3) (v128.const f32x4 0x1p-24 0x1p-23 -0x1p-25 1)) (v128.const f32x4 1 0x1.000002p+0 1 4))
(assert_return (invoke "f32-add" (v128.const f32x4 nan 1 -nan:0x200000 inf) (v128.const f32x4 1 nan:0x200000 1 -inf))
  (v128.const f32x4 nan:canonical nan:arithmetic nan:arithmetic nan:canonical))
(assert_return (invoke "f64-sub" (v128.const f64x2 1 0x1p-60) (v128.const f64x2 3 1)) (v128.const f64x2 -2 -0x1.ffffffffffffffp-1))
(assert_return (invoke "i32-sub" (v128.const i32x4 0 1 0x80000000 5) (v128.const i32x4 1 0 1 7)) (v128.const i32x4 -1 1 0x7fffffff -2))
(assert_return (invoke "i32-mul" (v128.const i32x4 0x10000 -3 0x7fffffff 6) (v128.const i32x4 0x10000 5 2 7)) (v128.const i32x4 0 -15 -2 42))

;; OP_ld: operands from two addresses, the right one unaligned
(invoke "store" (i32.const 256) (v128.const f32x4 10 20 30 40))
(invoke "store" (i32.const 273) (v128.const f32x4 1 2 3 -4))
(assert_return (invoke "f32-sub-ld" (i32.const 256) (i32.const 273)) (v128.const f32x4 9 18 27 44))
(assert_return (invoke "f32-sub-ld" (i32.const 273) (i32.const 256)) (v128.const f32x4 -9 -18 -27 -44))
(invoke "store" (i32.const 289) (v128.const f64x2 1.5 -0x1p-1000))
(invoke "store" (i32.const 320) (v128.const f64x2 4 0x1p-100))
(assert_return (invoke "f64-mul-ld" (i32.const 289) (i32.const 320)) (v128.const f64x2 6 -0x1p-1100))
(invoke "store" (i32.const 338) (v128.const i32x4 1 2 3 0x80000000))
(assert_return (invoke "i32-sub-ld" (i32.const 256) (i32.const 338)) (v128.const i32x4 0x411fffff 0x419ffffe 0x41effffd 0xc2200000))
(assert_trap (invoke "f32-sub-ld" (i32.const 0) (i32.const 65521)) "out of bounds memory access")

;; OP_lld: a local minus memory at q (+4), unaligned; the left operand is the local
(invoke "store" (i32.const 401) (v128.const f32x4 1 2 3 -4))
(assert_return (invoke "f32-sub-lld" (v128.const f32x4 10 20 30 40) (i32.const 397)) (v128.const f32x4 9 18 27 44))
(invoke "store" (i32.const 420) (v128.const f32x4 nan:0x200000 -0 0x1p127 3))
(assert_return (invoke "f32-mul-lld" (v128.const f32x4 2 0 4 nan) (i32.const 420)) (v128.const f32x4 nan:arithmetic -0 inf nan:canonical))
(assert_return (invoke "f32-mul-lld" (v128.const f32x4 2 -1 0.5 1) (i32.const 420)) (v128.const f32x4 nan:arithmetic 0 0x1p126 3))
(invoke "store" (i32.const 436) (v128.const f64x2 0.25 -inf))
(assert_return (invoke "f64-sub-lld" (v128.const f64x2 1 -inf) (i32.const 436)) (v128.const f64x2 0.75 nan:canonical))
(invoke "store" (i32.const 452) (v128.const i32x4 0x10000 5 2 7))
(assert_return (invoke "i32-mul-lld" (v128.const i32x4 0x10000 -3 0x7fffffff 6) (i32.const 452)) (v128.const i32x4 0 -15 -2 42))
(assert_return (invoke "i32-mul-lld" (v128.const i32x4 1 1 1 1) (i32.const 65520)) (v128.const i32x4 0x22111111 0x33222222 0x44333333 0x00444444))
(assert_trap (invoke "i32-mul-lld" (v128.const i32x4 1 1 1 1) (i32.const 65521)) "out of bounds memory access")

;; vlane_st: each form's result in memory, at aligned and unaligned addresses
(invoke "f32-sub-st" (i32.const 512) (v128.const f32x4 10 20 30 40) (v128.const f32x4 1 2 3 -4))
(assert_return (invoke "load" (i32.const 512)) (v128.const f32x4 9 18 27 44))
(invoke "f32-sub-ld-st" (i32.const 531) (i32.const 256) (i32.const 273))
(assert_return (invoke "load" (i32.const 531)) (v128.const f32x4 9 18 27 44))
(invoke "f32-sub-lld-st" (i32.const 548) (v128.const f32x4 10 20 30 40) (i32.const 401))
(assert_return (invoke "load" (i32.const 548)) (v128.const f32x4 9 18 27 44))
(invoke "f64-sub-lld-st" (i32.const 565) (v128.const f64x2 1 -inf) (i32.const 436))
(assert_return (invoke "load" (i32.const 565)) (v128.const f64x2 0.75 nan:canonical))
(invoke "i32-sub-lld-st" (i32.const 580) (v128.const i32x4 0 1 0x80000000 5) (i32.const 452))
(assert_return (invoke "load" (i32.const 582)) (v128.const i32x4 -0x10000 -4 0x7ffffffe -2))
;; the store overlaps the load, one lane up: every lane is read before any is written (lane by lane, 20 - 9 would come out)
(invoke "store" (i32.const 600) (v128.const i32x4 1 2 3 4))
(invoke "i32-sub-lld-st" (i32.const 602) (v128.const i32x4 10 20 30 40) (i32.const 600))
(assert_return (invoke "load" (i32.const 600)) (v128.const i32x4 1 9 18 27))
(assert_return (invoke "load" (i32.const 604)) (v128.const i32x4 9 18 27 36))
;; the store's last byte is memory's last; one further traps and writes nothing
(invoke "f32-sub-lld-st" (i32.const 65520) (v128.const f32x4 10 20 30 40) (i32.const 401))
(assert_return (invoke "load" (i32.const 65520)) (v128.const f32x4 9 18 27 44))
(assert_trap (invoke "f32-sub-lld-st" (i32.const 65521) (v128.const f32x4 0 0 0 0) (i32.const 401)) "out of bounds memory access")
(assert_trap (invoke "i32-sub-lld-st" (i32.const 65519) (v128.const i32x4 0 0 0 0) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "f32-sub-st" (i32.const -1) (v128.const f32x4 0 0 0 0) (v128.const f32x4 0 0 0 0)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 65520)) (v128.const f32x4 9 18 27 44))

;; y = a * x + y, each product rounded to f32 before the sum: (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24 rounds to 1 + 2^-11 (a tie, to even), then + (-1 - 2^-11) is 0, not 2^-24
(invoke "store" (i32.const 704) (v128.const f32x4 0x1.001p+0 1 2 nan:0x200000))
(invoke "store" (i32.const 720) (v128.const f32x4 -0x1.002p+0 10 -inf 1))
(invoke "axpy" (v128.const f32x4 0x1.001p+0 3 inf 1) (i32.const 704) (i32.const 720))
(assert_return (invoke "load" (i32.const 720)) (v128.const f32x4 0 13 nan:canonical nan:arithmetic))
(invoke "store" (i32.const 739) (v128.const f32x4 1 2 3 4))
(invoke "store" (i32.const 757) (v128.const f32x4 0.5 0.5 0.5 0.5))
(invoke "axpy" (v128.const f32x4 2 2 2 2) (i32.const 739) (i32.const 757))
(assert_return (invoke "load" (i32.const 757)) (v128.const f32x4 2.5 4.5 6.5 8.5))
(assert_trap (invoke "axpy" (v128.const f32x4 2 2 2 2) (i32.const 0) (i32.const 65521)) "out of bounds memory access")
;; x and y one vector: y = 2y + y
(invoke "store" (i32.const 784) (v128.const f32x4 1 -2 0.5 0x1p127))
(invoke "axpy" (v128.const f32x4 2 2 2 2) (i32.const 784) (i32.const 784))
(assert_return (invoke "load" (i32.const 784)) (v128.const f32x4 3 -6 1.5 inf))
;; the x load traps before anything is stored; y at the memory's last 16 bytes is fine
(invoke "store" (i32.const 65520) (v128.const f32x4 1 1 1 1))
(assert_trap (invoke "axpy" (v128.const f32x4 2 2 2 2) (i32.const 65521) (i32.const 65520)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 65520)) (v128.const f32x4 1 1 1 1))
(invoke "axpy" (v128.const f32x4 2 2 2 2) (i32.const 784) (i32.const 65520))
(assert_return (invoke "load" (i32.const 65520)) (v128.const f32x4 7 -11 4 inf))
;; i32 lanes: the product wraps (2^16 * 2^16 = 0, 0x7fffffff * 2 = -2), then minus y (+3 at y + 3), wrapping again
(invoke "store" (i32.const 800) (v128.const i32x4 0x10000 2 -1 3))
(invoke "store" (i32.const 819) (v128.const i32x4 1 1 0x7fffffff -5))
(invoke "i32-muls" (v128.const i32x4 0x10000 0x7fffffff 0x80000000 7) (i32.const 800) (i32.const 816))
(assert_return (invoke "load" (i32.const 819)) (v128.const i32x4 -1 -3 0x00000001 26))
;; f64 lanes: (a + x) - y; 0x1p53 + 1 rounds to 0x1p53 before the subtraction
(invoke "store" (i32.const 832) (v128.const f64x2 1 -inf))
(invoke "store" (i32.const 848) (v128.const f64x2 0x1p53 -inf))
(invoke "f64-adds" (v128.const f64x2 0x1p53 1) (i32.const 832) (i32.const 848))
(assert_return (invoke "load" (i32.const 848)) (v128.const f64x2 0 nan:canonical))
(assert_trap (invoke "f64-adds" (v128.const f64x2 0 0) (i32.const 832) (i32.const 65528)) "out of bounds memory access")
