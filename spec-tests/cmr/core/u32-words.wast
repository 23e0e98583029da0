;; Words of 2^31 and more where the interpreter reads an i32 as unsigned:
;; it keeps them as int32s, where they are negative (interpreter.ts's
;; header says why), so these check that a negative word still means the
;; big unsigned number: the unsigned conversions (2^32 added to a negative
;; word; f32 rounding once, ties to even), br_table's index (the default
;; from the label count on, 2^31 and 2^32 - 1 included), call_indirect's
;; (out of the table) and an array's (out of bounds).

(module
  (func (export "f32.convert_i32_u") (param i32) (result f32) (f32.convert_i32_u (local.get 0)))
  (func (export "f64.convert_i32_u") (param i32) (result f64) (f64.convert_i32_u (local.get 0)))
  (func (export "br_table") (param i32) (result i32)
    (block $d (block $2 (block $1 (block $0
      (br_table $0 $1 $2 $d (local.get 0)))
      (return (i32.const 10)))
      (return (i32.const 11)))
      (return (i32.const 12)))
    (i32.const 99))
  (type $t (func (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $one $two)
  (func $one (result i32) (i32.const 1))
  (func $two (result i32) (i32.const 2))
  (func (export "call_indirect") (param i32) (result i32) (call_indirect (type $t) (local.get 0)))
)

(assert_return (invoke "f32.convert_i32_u" (i32.const 1)) (f32.const 1))
(assert_return (invoke "f32.convert_i32_u" (i32.const 0x7fffffff)) (f32.const 2147483648))
(assert_return (invoke "f32.convert_i32_u" (i32.const 0x80000000)) (f32.const 2147483648))
(assert_return (invoke "f32.convert_i32_u" (i32.const 0x80000081)) (f32.const 2147483904))
(assert_return (invoke "f32.convert_i32_u" (i32.const 0xffffff7f)) (f32.const 4294967040))
(assert_return (invoke "f32.convert_i32_u" (i32.const 0xffffff80)) (f32.const 4294967296))
(assert_return (invoke "f32.convert_i32_u" (i32.const 0xffffffff)) (f32.const 4294967296))
(assert_return (invoke "f64.convert_i32_u" (i32.const 0)) (f64.const 0))
(assert_return (invoke "f64.convert_i32_u" (i32.const 0x7fffffff)) (f64.const 2147483647))
(assert_return (invoke "f64.convert_i32_u" (i32.const 0x80000000)) (f64.const 2147483648))
(assert_return (invoke "f64.convert_i32_u" (i32.const 0xfffffffe)) (f64.const 4294967294))
(assert_return (invoke "f64.convert_i32_u" (i32.const 0xffffffff)) (f64.const 4294967295))

(assert_return (invoke "br_table" (i32.const 0)) (i32.const 10))
(assert_return (invoke "br_table" (i32.const 2)) (i32.const 12))
(assert_return (invoke "br_table" (i32.const 3)) (i32.const 99))
(assert_return (invoke "br_table" (i32.const 0x7fffffff)) (i32.const 99))
(assert_return (invoke "br_table" (i32.const 0x80000000)) (i32.const 99))
(assert_return (invoke "br_table" (i32.const 0xfffffffe)) (i32.const 99))
(assert_return (invoke "br_table" (i32.const 0xffffffff)) (i32.const 99))

(assert_return (invoke "call_indirect" (i32.const 1)) (i32.const 2))
(assert_trap (invoke "call_indirect" (i32.const 2)) "undefined element")
(assert_trap (invoke "call_indirect" (i32.const 0x80000000)) "undefined element")
(assert_trap (invoke "call_indirect" (i32.const 0xffffffff)) "undefined element")

(module
  (type $a (array (mut i32)))
  (type $r (array (mut funcref)))
  (func (export "get") (param i32) (result i32) (array.get $a (array.new $a (i32.const 7) (i32.const 3)) (local.get 0)))
  (func (export "set") (param i32) (result i32) (local $x (ref $a))
    (local.set $x (array.new $a (i32.const 7) (i32.const 3)))
    (array.set $a (local.get $x) (local.get 0) (i32.const 5))
    (array.get $a (local.get $x) (i32.const 2)))
  (func (export "get-ref") (param i32) (result i32) (ref.is_null (array.get $r (array.new $r (ref.null func) (i32.const 3)) (local.get 0))))
)

(assert_return (invoke "get" (i32.const 2)) (i32.const 7))
(assert_trap (invoke "get" (i32.const 3)) "out of bounds array access")
(assert_trap (invoke "get" (i32.const 0x80000000)) "out of bounds array access")
(assert_trap (invoke "get" (i32.const 0xffffffff)) "out of bounds array access")
(assert_return (invoke "set" (i32.const 2)) (i32.const 5))
(assert_trap (invoke "set" (i32.const 3)) "out of bounds array access")
(assert_trap (invoke "set" (i32.const 0x80000000)) "out of bounds array access")
(assert_trap (invoke "set" (i32.const 0xffffffff)) "out of bounds array access")
(assert_return (invoke "get-ref" (i32.const 0)) (i32.const 1))
(assert_trap (invoke "get-ref" (i32.const 0xffffffff)) "out of bounds array access")
