;; Calls the interpreter fuses with the node before them (fuse.ts,
;; gc/prepare.ts): a direct call whose argument is local OP constant
;; (call_lk), a reference field's get from a local's struct as the argument
;; (call_sgl), a constant returned (return_k), local.get; i32.eqz as a test,
;; and struct.new of ref.nulls only. Each must wrap, trap and recurse as the
;; instructions one by one do.

(module
  (func $id (param i32) (result i32) (local.get 0))
  ;; The argument wraps around 2^32 both ways.
  (func (export "dec") (param i32) (result i32) (call $id (i32.sub (local.get 0) (i32.const 1))))
  (func (export "inc") (param i32) (result i32) (call $id (i32.add (local.get 0) (i32.const 1))))
  (func (export "shl") (param i32) (result i32) (call $id (i32.shl (local.get 0) (i32.const 31))))
  ;; fib: call_lk twice, an if on local < 2 returning the local.
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1))) (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  ;; A second argument computed before the fused one.
  (func $pair (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1)))
  (func (export "pair") (param i32) (result i32) (call $pair (i32.const 100) (i32.add (local.get 0) (i32.const -5))))
  ;; Deep recursion through call_lk (the interpreter's stacks grow mid-call) down to a constant returned.
  (func $down (export "down") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 7)) (else (call $down (i32.sub (local.get 0) (i32.const 1))))))
  ;; local.get; i32.eqz as a br_if's test.
  (func (export "is-zero") (param i32) (result i32)
    (block $z (br_if $z (i32.eqz (local.get 0))) (return (i32.const 0))) (i32.const 1))
  (func (export "f32-k") (result f32) (f32.const -0x1.8p+1)))

(assert_return (invoke "dec" (i32.const 0)) (i32.const -1))
(assert_return (invoke "dec" (i32.const 0x80000000)) (i32.const 0x7fffffff))
(assert_return (invoke "inc" (i32.const 0x7fffffff)) (i32.const 0x80000000))
(assert_return (invoke "inc" (i32.const -1)) (i32.const 0))
(assert_return (invoke "shl" (i32.const 3)) (i32.const 0x80000000))
(assert_return (invoke "fib" (i32.const 0)) (i32.const 0))
(assert_return (invoke "fib" (i32.const 1)) (i32.const 1))
(assert_return (invoke "fib" (i32.const 20)) (i32.const 6765))
(assert_return (invoke "pair" (i32.const 5)) (i32.const 100))
(assert_return (invoke "pair" (i32.const 0x80000004)) (i32.const -2147483547))
(assert_return (invoke "down" (i32.const 0)) (i32.const 7))
(assert_return (invoke "down" (i32.const 3000)) (i32.const 7))
(assert_return (invoke "is-zero" (i32.const 0)) (i32.const 1))
(assert_return (invoke "is-zero" (i32.const 0x80000000)) (i32.const 0))
(assert_return (invoke "is-zero" (i32.const -1)) (i32.const 0))
(assert_return (invoke "f32-k") (f32.const -0x1.8p+1))

(module
  (type $node (struct (field $l (ref null $node)) (field $r (ref null $node))))
  (type $box (struct (field $v i32)))
  ;; A leaf: struct.new of ref.nulls only.
  (func $make (export "make") (param $d i32) (result (ref $node))
    (if (result (ref $node)) (i32.eqz (local.get $d))
      (then (struct.new $node (ref.null $node) (ref.null $node)))
      (else (struct.new $node (call $make (i32.sub (local.get $d) (i32.const 1)))
                              (call $make (i32.sub (local.get $d) (i32.const 1)))))))
  ;; The walk: a field's get from a local's struct as the call's argument (call_sgl).
  (func $check (param $t (ref null $node)) (result i32)
    (if (result i32) (ref.is_null (local.get $t))
      (then (i32.const 0))
      (else (i32.add (i32.const 1)
              (i32.add (call $check (struct.get $node $l (local.get $t)))
                       (call $check (struct.get $node $r (local.get $t))))))))
  (func (export "count") (param $d i32) (result i32) (call $check (call $make (local.get $d))))
  ;; ref.as_non_null of a null field traps before the call.
  (func $strict (param (ref $node)) (result i32) (i32.const 1))
  (func (export "strict-leaf") (result i32) (local $t (ref null $node))
    (local.set $t (call $make (i32.const 0)))
    (call $strict (ref.as_non_null (struct.get $node $l (local.get $t)))))
  ;; A null struct in the local traps before the call.
  (func (export "null-struct") (result i32) (local $t (ref null $node))
    (call $check (struct.get $node $l (local.get $t))))
  ;; A numeric field as the argument.
  (func $plus1 (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "field") (param i32) (result i32) (local $b (ref null $box))
    (local.set $b (struct.new $box (local.get 0)))
    (call $plus1 (struct.get $box $v (local.get $b))))
  ;; The leaf's fields are null.
  (func (export "leaf-null") (result i32)
    (i32.add (ref.is_null (struct.get $node $l (call $make (i32.const 0))))
             (ref.is_null (struct.get $node $r (call $make (i32.const 0)))))))

(assert_return (invoke "count" (i32.const 0)) (i32.const 1))
(assert_return (invoke "count" (i32.const 10)) (i32.const 2047))
(assert_trap (invoke "strict-leaf") "null reference")
(assert_trap (invoke "null-struct") "null structure reference")
(assert_return (invoke "field" (i32.const 0x7fffffff)) (i32.const 0x80000000))
(assert_return (invoke "leaf-null") (i32.const 2))
