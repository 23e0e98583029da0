;; GC values the official suite reads little of: wide and float fields kept
;; bit for bit (NaN payloads), packed elements from data segments, overlapping
;; array.copy, and casts and indirect calls of functions whose types are
;; declared subtypes of others.

(module
  (type $s (struct (field (mut i64)) (field (mut f64)) (field (mut f32)) (field (mut i8))))
  (type $h (array (mut i16)))
  (type $w (array (mut i64)))
  (data $d "\ff\ff\01\80")

  (func (export "fields") (param i64 f64 f32 i32) (result i64 f64 f32 i32 i32)
    (local $r (ref $s))
    (local.set $r (struct.new $s (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
    (struct.get $s 0 (local.get $r))
    (struct.get $s 1 (local.get $r))
    (struct.get $s 2 (local.get $r))
    (struct.get_s $s 3 (local.get $r))
    (struct.get_u $s 3 (local.get $r)))

  (func (export "halves") (result i32 i32 i32 i32)
    (local $a (ref $h))
    (local.set $a (array.new_data $h $d (i32.const 0) (i32.const 2)))
    (array.get_s $h (local.get $a) (i32.const 0))
    (array.get_u $h (local.get $a) (i32.const 0))
    (array.get_s $h (local.get $a) (i32.const 1))
    (array.get_u $h (local.get $a) (i32.const 1)))

  (func (export "copy-up") (result i64 i64 i64)
    (local $a (ref $w))
    (local.set $a (array.new_fixed $w 3 (i64.const -1) (i64.const 0x1_0000_0002) (i64.const 3)))
    (array.copy $w $w (local.get $a) (i32.const 1) (local.get $a) (i32.const 0) (i32.const 2))
    (array.get $w (local.get $a) (i32.const 0))
    (array.get $w (local.get $a) (i32.const 1))
    (array.get $w (local.get $a) (i32.const 2)))
)

(assert_return (invoke "fields" (i64.const -9223372036854775808) (f64.const nan:0x4000000000001) (f32.const nan:0x200001) (i32.const 0x1ff))
  (i64.const -9223372036854775808) (f64.const nan:0x4000000000001) (f32.const nan:0x200001) (i32.const -1) (i32.const 255))
(assert_return (invoke "halves") (i32.const -1) (i32.const 0xffff) (i32.const -32767) (i32.const 0x8001))
(assert_return (invoke "copy-up") (i64.const -1) (i64.const -1) (i64.const 0x1_0000_0002))

(module
  (type $base (sub (func (result i32))))
  (type $derived (sub $base (func (result i32))))
  (type $other (sub final (func (result i32)))) ;; not $base: final (an open one of the same shape would be $base itself)
  (table 2 funcref)
  (elem (i32.const 0) func $d $o)
  (func $d (type $derived) (i32.const 1))
  (func $o (type $other) (i32.const 2))
  (elem declare func $d $o)

  (func (export "call-as-base") (param i32) (result i32)
    (call_indirect (type $base) (local.get 0)))
  (func (export "test-derived-as-base") (result i32)
    (ref.test (ref $base) (ref.func $d)))
  (func (export "test-other-as-base") (result i32)
    (ref.test (ref $base) (ref.func $o)))
  (func (export "cast-other-as-base")
    (drop (ref.cast (ref $base) (ref.func $o))))
)

(assert_return (invoke "call-as-base" (i32.const 0)) (i32.const 1))
(assert_trap (invoke "call-as-base" (i32.const 1)) "indirect call type mismatch")
(assert_return (invoke "test-derived-as-base") (i32.const 1))
(assert_return (invoke "test-other-as-base") (i32.const 0))
(assert_trap (invoke "cast-other-as-base") "cast failure")

;; A v128 field: the value moves between the vector slots and the object.
(module
  (type $v (struct (field (mut v128))))
  (global $g (ref $v) (struct.new $v (v128.const i32x4 1 2 3 4)))
  (func (export "get") (result v128) (struct.get $v 0 (global.get $g)))
  (func (export "set") (param v128) (struct.set $v 0 (global.get $g) (local.get 0)))
)
(assert_return (invoke "get") (v128.const i32x4 1 2 3 4))
(assert_return (invoke "set" (v128.const i64x2 -1 0x7ff8000000000001)))
(assert_return (invoke "get") (v128.const i64x2 -1 0x7ff8000000000001))

;; An array past what the interpreter allocates traps (the limit is the
;; implementation's): it must not end the process.
(module
  (type $a (array (mut i64)))
  (func (export "huge") (result i32) (array.len (array.new_default $a (i32.const -1))))
)
(assert_trap (invoke "huge") "out of memory")
