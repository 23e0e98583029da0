;; An if on ref.is_null whose then arm starts by returning a constant (the
;; interpreter returns it from the test itself: P.if_null_ret), in each form
;; of the test: a reference, a field of a local's struct, a field of the
;; struct on the stack. Each function returns a constant other than the
;; else arm's, so a test read the wrong way round, a wrong constant or a
;; result left in the wrong slot shows; a null struct whose field is tested
;; traps as struct.get would; the constant may be an f32 (its bits kept, a
;; NaN payload too), the if may have no else (the code after it runs), and
;; the function may return more than one value (the if's parameter below
;; the constant).

(module
  (type $node (struct (field $next (ref null $node)) (field $v i32)))

  ;; The reference itself (form 0).
  (func (export "ref") (param $x anyref) (result i32)
    (if (result i32) (ref.is_null (local.get $x))
      (then (i32.const 12))
      (else (i32.const 21))))

  ;; A field of the struct in a local (form 1): a list's length.
  (func $len (param $l (ref null $node)) (result i32)
    (if (result i32) (ref.is_null (struct.get $node $next (local.get $l)))
      (then (i32.const 1))
      (else (i32.add (i32.const 1) (call $len (struct.get $node $next (local.get $l)))))))
  (func $list (param $n i32) (result (ref $node))
    (local $l (ref $node))
    (local.set $l (struct.new $node (ref.null $node) (i32.const 0)))
    (block $done
      (loop $more
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $l (struct.new $node (local.get $l) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $more)))
    (local.get $l))
  (func (export "len") (param $n i32) (result i32) (call $len (call $list (local.get $n))))
  (func (export "len-null") (result i32) (call $len (ref.null $node)))

  ;; A field of the struct on the stack (form 2), the then arm an explicit return; no else.
  (func $stack (param $l (ref null $node)) (result i32)
    (if (ref.is_null (struct.get $node $next (ref.as_non_null (local.get $l))))
      (then (return (i32.const -8))))
    (i32.const 8))
  (func (export "stack") (param $n i32) (result i32) (call $stack (call $list (local.get $n))))

  ;; A field of the struct on the stack whose struct is null: struct.get's trap.
  (func $none (result (ref null $node)) (ref.null $node))
  (func (export "stack-null") (result i32)
    (if (result i32) (ref.is_null (struct.get $node $next (call $none)))
      (then (i32.const 1))
      (else (i32.const 2))))

  ;; An f32 constant: a NaN with a payload, returned by its bits.
  (func $f (param $x anyref) (result f32)
    (if (result f32) (ref.is_null (local.get $x))
      (then (f32.const nan:0x200001))
      (else (f32.const -0.0))))
  (func (export "f32-bits") (param $x anyref) (result i32) (i32.reinterpret_f32 (call $f (local.get $x))))

  ;; Two results: the if's parameter, then the constant.
  (func $two (param $x anyref) (param $k i32) (result i32 i32)
    (local.get $k)
    (if (param i32) (result i32 i32) (ref.is_null (local.get $x))
      (then (i32.const 5) (return))
      (else (i32.const 6))))
  (func (export "two") (param $x anyref) (param $k i32) (result i32 i32) (call $two (local.get $x) (local.get $k)))
)

(assert_return (invoke "ref" (ref.null any)) (i32.const 12))
(assert_return (invoke "ref" (ref.host 1)) (i32.const 21))
(assert_return (invoke "len" (i32.const 0)) (i32.const 1))
(assert_return (invoke "len" (i32.const 1)) (i32.const 2))
(assert_return (invoke "len" (i32.const 100)) (i32.const 101))
(assert_trap (invoke "len-null") "null structure reference")
(assert_return (invoke "stack" (i32.const 0)) (i32.const -8))
(assert_return (invoke "stack" (i32.const 3)) (i32.const 8))
(assert_trap (invoke "stack-null") "null structure reference")
(assert_return (invoke "f32-bits" (ref.null any)) (i32.const 0x7fa00001))
(assert_return (invoke "f32-bits" (ref.host 2)) (i32.const 0x80000000))
(assert_return (invoke "two" (ref.null any) (i32.const 40)) (i32.const 40) (i32.const 5))
(assert_return (invoke "two" (ref.host 2) (i32.const 40)) (i32.const 40) (i32.const 6))
