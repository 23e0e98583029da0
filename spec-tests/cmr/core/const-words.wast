;; i64.const and f64.const as the interpreter prepares them (prepare.ts):
;; the 64 bits as two int32 words, a low and b high, each `| 0` so that
;; V8 keeps them Smis (test/node-fields.test.ts checks that). The words
;; here are the ones V8's Number(bigint) returns boxed, 2^31 - 1 and -2^31,
;; and their neighbours, in each half: a word written back wrong, sign
;; extended, or read unsigned shows in the result's bits.

(module
  (func (export "i64-lo-max") (result i64) (i64.const 0x00000000_7fffffff))
  (func (export "i64-lo-min") (result i64) (i64.const 0x00000000_80000000))
  (func (export "i64-hi-max") (result i64) (i64.const 0x7fffffff_00000000))
  (func (export "i64-hi-min") (result i64) (i64.const -0x80000000_00000000))
  (func (export "i64-both") (result i64) (i64.const 0x7fffffff_80000000))
  (func (export "i64-both2") (result i64) (i64.const 0x80000000_7fffffff))
  (func (export "i64-all") (result i64) (i64.const -1))
  ;; In arithmetic, so a fused or specialised form gets them too.
  (func (export "i64-add") (param i64) (result i64)
    (i64.add (local.get 0) (i64.const 0x7fffffff_80000000)))
  (func (export "i64-store") (result i64)
    (i64.store (i32.const 8) (i64.const 0x80000000_7fffffff))
    (i64.load (i32.const 8)))
  (memory 1)
  (func (export "f64-neg0") (result f64) (f64.const -0))
  (func (export "f64-neg0-bits") (result i64) (i64.reinterpret_f64 (f64.const -0)))
  (func (export "f64-lo-max-bits") (result i64)
    (i64.reinterpret_f64 (f64.const 0x1.000007fffffffp+0)))
  (func (export "f64-lo-min-bits") (result i64)
    (i64.reinterpret_f64 (f64.const 0x1.0000080000000p+0)))
  (func (export "f64-min") (result f64) (f64.const -0x1.fffffffffffffp+1023))
  (func (export "f64-nan-bits") (result i64)
    (i64.reinterpret_f64 (f64.const nan:0xfffff80000000)))
)

(assert_return (invoke "i64-lo-max") (i64.const 0x7fffffff))
(assert_return (invoke "i64-lo-min") (i64.const 0x80000000))
(assert_return (invoke "i64-hi-max") (i64.const 0x7fffffff_00000000))
(assert_return (invoke "i64-hi-min") (i64.const -0x80000000_00000000))
(assert_return (invoke "i64-both") (i64.const 0x7fffffff_80000000))
(assert_return (invoke "i64-both2") (i64.const 0x80000000_7fffffff))
(assert_return (invoke "i64-all") (i64.const -1))
(assert_return (invoke "i64-add" (i64.const 0x00000001_80000000)) (i64.const -0x7fffffff_00000000))
(assert_return (invoke "i64-add" (i64.const 0)) (i64.const 0x7fffffff_80000000))
(assert_return (invoke "i64-store") (i64.const 0x80000000_7fffffff))
(assert_return (invoke "f64-neg0") (f64.const -0))
(assert_return (invoke "f64-neg0-bits") (i64.const 0x80000000_00000000))
(assert_return (invoke "f64-lo-max-bits") (i64.const 0x3ff00000_7fffffff))
(assert_return (invoke "f64-lo-min-bits") (i64.const 0x3ff00000_80000000))
(assert_return (invoke "f64-min") (f64.const -0x1.fffffffffffffp+1023))
(assert_return (invoke "f64-nan-bits") (i64.const 0x7fffffff_80000000))
