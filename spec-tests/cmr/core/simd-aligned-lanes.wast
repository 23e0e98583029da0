;; The interpreter's lane-wise vector case (interpreter.ts: OP_ld, OP_lld,
;; vlane_st, vlane2_st) reads and writes memory lanes through the memory's
;; Float32Array and Int32Array when the address is a multiple of 4 (of 8
;; for f64 lanes, the Float64Array), through the DataView otherwise. Each
;; path must give the same bits: one rounding of an f32 lane to nearest
;; even (denormals included), i32 lanes wrapping, NaNs arithmetic, lane
;; order, a store overlapping its load, the bounds at memory's end. The
;; addresses below are 4-aligned but not 16-aligned (and, for f64 lanes,
;; 4- but not 8-aligned), so a path that used the wrong word or lane fails.

(module
  (memory 1)
  (func (export "store") (param $p i32) (param $v v128) (v128.store (local.get $p) (local.get $v)))
  (func (export "load") (param $p i32) (result v128) (v128.load (local.get $p)))
  ;; OP_ld: two loads
  (func (export "f32-sub-ld") (param $p i32) (param $q i32) (result v128) (f32x4.sub (v128.load (local.get $p)) (v128.load (local.get $q))))
  (func (export "i32-sub-ld") (param $p i32) (param $q i32) (result v128) (i32x4.sub (v128.load (local.get $p)) (v128.load (local.get $q))))
  (func (export "f64-sub-ld") (param $p i32) (param $q i32) (result v128) (f64x2.sub (v128.load (local.get $p)) (v128.load (local.get $q))))
  ;; vlane_st: OP_lld's result stored at d
  (func (export "f32-mul-st") (param $d i32) (param $v v128) (param $q i32) (v128.store (local.get $d) (f32x4.mul (local.get $v) (v128.load (local.get $q)))))
  (func (export "i32-add-st") (param $d i32) (param $v v128) (param $q i32) (v128.store (local.get $d) (i32x4.add (local.get $v) (v128.load (local.get $q)))))
  (func (export "f64-add-st") (param $d i32) (param $v v128) (param $q i32) (v128.store (local.get $d) (f64x2.add (local.get $v) (v128.load (local.get $q)))))
  ;; vlane2_st: y = a * x + y
  (func (export "axpy") (param $a v128) (param $x i32) (param $y i32)
    (v128.store (local.get $y) (f32x4.add (f32x4.mul (local.get $a) (v128.load (local.get $x))) (v128.load (local.get $y)))))
  ;; the other operation pairs on f32 lanes: (a - x) * y and (a + x) - y
  (func (export "sub-mul") (param $a v128) (param $x i32) (param $y i32)
    (v128.store (local.get $y) (f32x4.mul (f32x4.sub (local.get $a) (v128.load (local.get $x))) (v128.load (local.get $y)))))
  (func (export "add-sub") (param $a v128) (param $x i32) (param $y i32)
    (v128.store (local.get $y) (f32x4.sub (f32x4.add (local.get $a) (v128.load (local.get $x))) (v128.load (local.get $y)))))
  (func (export "i32-axpy") (param $a v128) (param $x i32) (param $y i32)
    (v128.store offset=4 (local.get $y) (i32x4.add (i32x4.mul (local.get $a) (v128.load (local.get $x))) (v128.load offset=4 (local.get $y)))))
)

;; OP_ld, 4-aligned: left minus right, lane by lane, lanes in order
(invoke "store" (i32.const 1028) (v128.const f32x4 10 20 30 -0))
(invoke "store" (i32.const 1060) (v128.const f32x4 1 2 -3 0))
(assert_return (invoke "f32-sub-ld" (i32.const 1028) (i32.const 1060)) (v128.const f32x4 9 18 33 -0))
(assert_return (invoke "f32-sub-ld" (i32.const 1060) (i32.const 1028)) (v128.const f32x4 -9 -18 -33 0))
;; a signalling NaN read from memory comes out of arithmetic as an arithmetic NaN
(invoke "store" (i32.const 1092) (v128.const i32x4 0x7f800001 0xff800123 0x7fc00000 0x00000001))
(assert_return (invoke "f32-sub-ld" (i32.const 1092) (i32.const 1060))
  (v128.const f32x4 nan:arithmetic nan:arithmetic nan:canonical 0x1p-149))
(invoke "store" (i32.const 1124) (v128.const i32x4 0x80000000 0 -1 5))
(invoke "store" (i32.const 1156) (v128.const i32x4 1 0x80000000 0x7fffffff -7))
(assert_return (invoke "i32-sub-ld" (i32.const 1124) (i32.const 1156)) (v128.const i32x4 0x7fffffff 0x80000000 0x80000000 12))
;; f64 lanes at 4- but not 8-aligned addresses (the DataView) and at 8-aligned ones (the Float64Array)
(invoke "store" (i32.const 1188) (v128.const f64x2 1 0x1p-1074))
(invoke "store" (i32.const 1220) (v128.const f64x2 0x1p-53 -0x1p-1074))
(assert_return (invoke "f64-sub-ld" (i32.const 1188) (i32.const 1220)) (v128.const f64x2 0x1.fffffffffffffp-1 0x1p-1073))
(invoke "store" (i32.const 1248) (v128.const i64x2 0x7ff0000000000001 0x3ff0000000000000))
(invoke "store" (i32.const 1264) (v128.const f64x2 1 0x1p-52))
(assert_return (invoke "f64-sub-ld" (i32.const 1248) (i32.const 1264)) (v128.const f64x2 nan:arithmetic 0x1.ffffffffffffep-1))

;; vlane_st, 4-aligned: one rounding to f32 when stored, to nearest even, denormals too:
;; (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24 rounds down (a tie, to even); 2^-149 * 0.5 ties to 0;
;; 2^-149 * 1.5 ties to 2^-148; 0x1.fffffep127 * 2 overflows to inf
(invoke "store" (i32.const 1284) (v128.const f32x4 0x1.001p+0 0x1p-149 0x1p-149 0x1.fffffep127))
(invoke "f32-mul-st" (i32.const 1316) (v128.const f32x4 0x1.001p+0 0.5 1.5 2) (i32.const 1284))
(assert_return (invoke "load" (i32.const 1316)) (v128.const f32x4 0x1.002p+0 0 0x1p-148 inf))
(invoke "f32-mul-st" (i32.const 1316) (v128.const f32x4 -1 -0.5 -1.5 -2) (i32.const 1284))
(assert_return (invoke "load" (i32.const 1316)) (v128.const f32x4 -0x1.001p+0 -0 -0x1p-148 -inf))
;; i32 lanes wrap when stored
(invoke "store" (i32.const 1348) (v128.const i32x4 1 -1 0x80000000 0x40000000))
(invoke "i32-add-st" (i32.const 1380) (v128.const i32x4 0x7fffffff 1 -1 0x40000000) (i32.const 1348))
(assert_return (invoke "load" (i32.const 1380)) (v128.const i32x4 0x80000000 0 0x7fffffff 0x80000000))
;; the store overlaps its load one lane up, both 4-aligned: every lane is read before any is written
(invoke "store" (i32.const 1412) (v128.const i32x4 1 2 3 4))
(invoke "i32-add-st" (i32.const 1416) (v128.const i32x4 10 20 30 40) (i32.const 1412))
(assert_return (invoke "load" (i32.const 1412)) (v128.const i32x4 1 11 22 33))
(assert_return (invoke "load" (i32.const 1416)) (v128.const i32x4 11 22 33 44))
;; f64 results stored at a 4- but not 8-aligned address and at an 8-aligned one
(invoke "store" (i32.const 1444) (v128.const f64x2 0x1p53 -0))
(invoke "f64-add-st" (i32.const 1476) (v128.const f64x2 1 -0) (i32.const 1444))
(assert_return (invoke "load" (i32.const 1476)) (v128.const f64x2 0x1p53 -0))
(invoke "f64-add-st" (i32.const 1504) (v128.const f64x2 2 0) (i32.const 1444))
(assert_return (invoke "load" (i32.const 1504)) (v128.const f64x2 0x1.0000000000001p53 0))
;; memory's last 16 bytes, 4-aligned: fine; 4 bytes further traps and writes nothing
(invoke "i32-add-st" (i32.const 65520) (v128.const i32x4 1 2 3 4) (i32.const 1412))
(assert_return (invoke "load" (i32.const 65520)) (v128.const i32x4 2 13 25 37))
(assert_trap (invoke "i32-add-st" (i32.const 65524) (v128.const i32x4 0 0 0 0) (i32.const 1412)) "out of bounds memory access")
(assert_trap (invoke "f32-mul-st" (i32.const 1316) (v128.const f32x4 0 0 0 0) (i32.const 65524)) "out of bounds memory access")
(assert_trap (invoke "f64-add-st" (i32.const 65528) (v128.const f64x2 0 0) (i32.const 1444)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 65520)) (v128.const i32x4 2 13 25 37))
(assert_return (invoke "load" (i32.const 1316)) (v128.const f32x4 -0x1.001p+0 -0 -0x1p-148 -inf))

;; vlane2_st, 4-aligned: the product rounded to f32 before the sum ((1 + 2^-12)^2 + (-1 - 2^-11) is 0, not 2^-24)
(invoke "store" (i32.const 1540) (v128.const f32x4 0x1.001p+0 1 2 nan:0x200000))
(invoke "store" (i32.const 1572) (v128.const f32x4 -0x1.002p+0 10 -inf 1))
(invoke "axpy" (v128.const f32x4 0x1.001p+0 3 inf 1) (i32.const 1540) (i32.const 1572))
(assert_return (invoke "load" (i32.const 1572)) (v128.const f32x4 0 13 nan:canonical nan:arithmetic))
;; x and y overlapping one lane apart
(invoke "store" (i32.const 1604) (v128.const f32x4 1 2 3 4))
(invoke "store" (i32.const 1620) (v128.const f32x4 5 0 0 0))
(invoke "axpy" (v128.const f32x4 10 10 10 10) (i32.const 1604) (i32.const 1608))
(assert_return (invoke "load" (i32.const 1604)) (v128.const f32x4 1 12 23 34))
(assert_return (invoke "load" (i32.const 1620)) (v128.const f32x4 45 0 0 0))
;; i32 lanes: the product wraps, then the sum, at y + 4
(invoke "store" (i32.const 1636) (v128.const i32x4 0x10000 0x7fffffff -1 3))
(invoke "store" (i32.const 1672) (v128.const i32x4 5 1 0x7fffffff -5))
(invoke "i32-axpy" (v128.const i32x4 0x10000 2 1 -7) (i32.const 1636) (i32.const 1668))
(assert_return (invoke "load" (i32.const 1672)) (v128.const i32x4 5 -1 0x7ffffffe -26))
(assert_trap (invoke "axpy" (v128.const f32x4 1 1 1 1) (i32.const 1540) (i32.const 65524)) "out of bounds memory access")

;; (a - x) * y and (a + x) - y, the first result rounded to f32 before the second operation
;; (1 + 2^-24 ties to 1: 1 * 3 is 3, not 3 + 2^-22; 1 - 1 is 0, not 2^-24), at 4-aligned
;; addresses and, for the same values, unaligned ones (the shared path)
(invoke "store" (i32.const 1700) (v128.const f32x4 -0x1p-24 2 -0 nan:0x200000))
(invoke "store" (i32.const 1716) (v128.const f32x4 3 -0.5 -1 1))
(invoke "sub-mul" (v128.const f32x4 1 0x1p127 0 5) (i32.const 1700) (i32.const 1716))
(assert_return (invoke "load" (i32.const 1716)) (v128.const f32x4 3 -0x1p126 -0 nan:arithmetic))
(invoke "store" (i32.const 1733) (v128.const f32x4 -0x1p-24 2 -0 nan:0x200000))
(invoke "store" (i32.const 1751) (v128.const f32x4 3 -0.5 -1 1))
(invoke "sub-mul" (v128.const f32x4 1 0x1p127 0 5) (i32.const 1733) (i32.const 1751))
(assert_return (invoke "load" (i32.const 1751)) (v128.const f32x4 3 -0x1p126 -0 nan:arithmetic))
(invoke "store" (i32.const 1764) (v128.const f32x4 0x1p-24 -0 inf 0x1p-149))
(invoke "store" (i32.const 1780) (v128.const f32x4 1 0 inf 0x1p-149))
(invoke "add-sub" (v128.const f32x4 1 -0 1 0x1p-149) (i32.const 1764) (i32.const 1780))
(assert_return (invoke "load" (i32.const 1780)) (v128.const f32x4 0 -0 nan:canonical 0x1p-149))
(invoke "store" (i32.const 1797) (v128.const f32x4 0x1p-24 -0 inf 0x1p-149))
(invoke "store" (i32.const 1814) (v128.const f32x4 1 0 inf 0x1p-149))
(invoke "add-sub" (v128.const f32x4 1 -0 1 0x1p-149) (i32.const 1797) (i32.const 1814))
(assert_return (invoke "load" (i32.const 1814)) (v128.const f32x4 0 -0 nan:canonical 0x1p-149))
;; the x load traps first (nothing stored); then the store's bounds
(invoke "store" (i32.const 65520) (v128.const f32x4 1 1 1 1))
(assert_trap (invoke "sub-mul" (v128.const f32x4 1 1 1 1) (i32.const 65524) (i32.const 65520)) "out of bounds memory access")
(assert_trap (invoke "add-sub" (v128.const f32x4 1 1 1 1) (i32.const 1700) (i32.const 65524)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 65520)) (v128.const f32x4 1 1 1 1))
