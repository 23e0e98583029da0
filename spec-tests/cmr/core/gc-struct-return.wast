;; A struct.new the function's return follows (the interpreter makes the
;; struct where the return leaves it, at the frame base: P.struct_new_ret).
;; Its operands read before that slot is written (a function with no
;; parameter, whose first operand sits at the frame base; a parameter passed
;; through), fields in operand order when calls make them, a struct of nulls
;; only, a return from inside a block with values below it, a function of
;; two results (the struct is not the only one), a struct passed in and a
;; new one returned around it, deep recursion building a tree and walking it,
;; and null traps on what such a function returns.

(module
  (type $pair (struct (field i32) (field i32)))
  (type $node (struct (field $l (ref null $node)) (field $r (ref null $node))))
  (type $box (struct (field (ref null $node)) (field i32)))
  (global $n (mut i32) (i32.const 0))

  ;; No parameter: the first operand is at the frame base, where the struct goes.
  (func $k (result (ref $pair)) (struct.new $pair (i32.const 5) (i32.const -6)))
  (func (export "no-param") (result i32 i32)
    (local $p (ref $pair))
    (local.set $p (call $k))
    (struct.get $pair 0 (local.get $p))
    (struct.get $pair 1 (local.get $p)))

  ;; Fields made by calls, in operand order.
  (func $next (result i32) (global.set $n (i32.add (global.get $n) (i32.const 1))) (global.get $n))
  (func $counted (param i32) (result (ref $pair))
    (struct.new $pair (i32.add (call $next) (local.get 0)) (call $next)))
  (func (export "order") (result i32 i32)
    (local $p (ref $pair))
    (global.set $n (i32.const 10))
    (local.set $p (call $counted (i32.const 100)))
    (struct.get $pair 0 (local.get $p))
    (struct.get $pair 1 (local.get $p)))

  ;; A leaf: nulls only (no operand on the stack).
  (func $leaf (result (ref $node)) (struct.new $node (ref.null $node) (ref.null $node)))
  (func (export "leaf") (result i32 i32)
    (local $t (ref $node))
    (local.set $t (call $leaf))
    (ref.is_null (struct.get $node $l (local.get $t)))
    (ref.is_null (struct.get $node $r (local.get $t))))

  ;; A struct passed in, and returned inside a new one (the parameter at the frame base is an operand).
  (func $wrap (param $t (ref null $node)) (param $k i32) (result (ref $box))
    (struct.new $box (local.get $t) (local.get $k)))
  (func (export "wrap") (result i32 i32 i32)
    (local $t (ref $node)) (local $b (ref $box))
    (local.set $t (struct.new $node (call $leaf) (ref.null $node)))
    (local.set $b (call $wrap (local.get $t) (i32.const 42)))
    (ref.eq (struct.get $box 0 (local.get $b)) (local.get $t))
    (struct.get $box 1 (local.get $b))
    (ref.is_null (struct.get $node $r (ref.as_non_null (struct.get $box 0 (local.get $b))))))

  ;; An explicit return from a block with values below the struct.
  (func $early (param $x i32) (result (ref $pair))
    (drop (block (result i32)
      (i32.const 77)
      (i32.const 78)
      (br_if 0 (i32.eqz (local.get $x)))
      (drop)
      (return (struct.new $pair (local.get $x) (i32.const 1)))))
    (struct.new $pair (i32.const 0) (local.get $x)))
  (func (export "early") (param i32) (result i32 i32)
    (local $p (ref $pair))
    (local.set $p (call $early (local.get 0)))
    (struct.get $pair 0 (local.get $p))
    (struct.get $pair 1 (local.get $p)))

  ;; Two results: the struct is the second, on top of the first.
  (func $two (param $x i32) (result i32 (ref $pair))
    (i32.mul (local.get $x) (i32.const 3))
    (struct.new $pair (local.get $x) (i32.const 9)))
  (func (export "two") (param i32) (result i32 i32 i32)
    (local $p (ref $pair))
    (call $two (local.get 0))
    (local.set $p)
    (struct.get $pair 0 (local.get $p))
    (struct.get $pair 1 (local.get $p)))

  ;; A tree built by recursion (each level's struct made of two calls' results) and walked.
  (func $make (param $d i32) (result (ref $node))
    (if (result (ref $node)) (i32.le_s (local.get $d) (i32.const 0))
      (then (struct.new $node (ref.null $node) (ref.null $node)))
      (else (struct.new $node (call $make (i32.sub (local.get $d) (i32.const 1)))
                              (call $make (i32.sub (local.get $d) (i32.const 2)))))))
  (func $count (param $t (ref null $node)) (result i32)
    (if (result i32) (ref.is_null (local.get $t))
      (then (i32.const 0))
      (else (i32.add (i32.const 1)
              (i32.add (call $count (struct.get $node $l (local.get $t)))
                       (i32.mul (i32.const 1000) (call $count (struct.get $node $r (local.get $t)))))))))
  (func (export "tree") (param i32) (result i32) (call $count (call $make (local.get 0))))

  ;; What a leaf holds is null: reading through it traps.
  (func (export "null-child") (result i32)
    (struct.get $node $l (ref.as_non_null (struct.get $node $l (call $leaf))))
    (drop)
    (i32.const 0))
  (func (export "null-field") (result i32)
    (ref.is_null (struct.get $node $l (struct.get $node $l (call $leaf)))))
  ;; Exported: the host reads the struct a struct.new returns.
  (func (export "leaf-ref") (result (ref null $node)) (struct.new $node (ref.null $node) (ref.null $node)))
)

(assert_return (invoke "no-param") (i32.const 5) (i32.const -6))
(assert_return (invoke "order") (i32.const 111) (i32.const 12))
(assert_return (invoke "leaf") (i32.const 1) (i32.const 1))
(assert_return (invoke "wrap") (i32.const 1) (i32.const 42) (i32.const 1))
(assert_return (invoke "early" (i32.const 4)) (i32.const 4) (i32.const 1))
(assert_return (invoke "early" (i32.const 0)) (i32.const 0) (i32.const 0))
(assert_return (invoke "two" (i32.const 5)) (i32.const 15) (i32.const 5) (i32.const 9))
;; make(d) is a leaf for d <= 0, else make(d-1) on the left and make(d-2) on
;; the right; count weighs right subtrees by 1000, so that swapped children
;; change the sum: count(make(d)) = 1 + count(make(d-1)) + 1000 count(make(d-2)).
(assert_return (invoke "tree" (i32.const 0)) (i32.const 1))
(assert_return (invoke "tree" (i32.const 1)) (i32.const 1002))
(assert_return (invoke "tree" (i32.const 2)) (i32.const 2003))
(assert_return (invoke "tree" (i32.const 3)) (i32.const 1004004))
(assert_return (invoke "tree" (i32.const 12)) (i32.const -1625535611))
(assert_trap (invoke "null-child") "null reference")
(assert_trap (invoke "null-field") "null structure reference")
(assert_return (invoke "leaf-ref") (ref.struct))
