;; Plain blocks spliced into the body around them (prepare.ts): no node
;; enters a block and none leaves it; a branch to a block's label continues
;; in the enclosing body after the block's last node, a position preparation
;; learns only at the block's end, and every branch form that names it (br,
;; br_if, br_table entries, the fused compare-and-branch and loop forms, a
;; catch clause, br_on_null, a null test's br_if) is made to land there
;; then. No fusion may join the nodes on both sides of a block's end that is
;; branched to: the fused-forms functions below each end a block with the
;; first node of a pattern and begin the code after it with the rest, and
;; take the branch, so that a fused node across the end would skip what the
;; branch must run (their results then differ).

(module
  (memory 1)
  (data (i32.const 16) "\2a\00\00\00\07\00\00\00")

  ;; Out of nested blocks at several depths, carrying a value; the code after
  ;; each block adds its own weight, so a wrong landing place changes the sum.
  (func (export "depths") (param $k i32) (result i32)
    (block $d3 (result i32)
      (block $d2 (result i32)
        (block $d1 (result i32)
          (block $d0 (result i32)
            (br_if $d0 (i32.const 1) (i32.eq (local.get $k) (i32.const 0)))
            (br_if $d1 (i32.const 2) (i32.eq (local.get $k) (i32.const 1)))
            (br_if $d2 (i32.const 3) (i32.eq (local.get $k) (i32.const 2)))
            (br_if $d3 (i32.const 4) (i32.eq (local.get $k) (i32.const 3)))
            (drop) (drop) (drop) (drop)
            (i32.const 5))
          (i32.const 10) (i32.add))
        (i32.const 100) (i32.add))
      (i32.const 1000) (i32.add)))

  ;; Two values out of three blocks, with values below them that stay.
  (func (export "two-values") (param $k i32) (result i32 i32)
    (i32.const 7)
    (block $o (param i32) (result i32 i32 i32)
      (i32.const 1)
      (block $m (param i32 i32) (result i32 i32 i32)
        (i32.const 2)
        (block $i (param i32 i32 i32) (result i32 i32 i32)
          (br_if $o (local.get $k)))
        (drop) (i32.const 20)))
    (i32.add)
    (i32.add)
    (i32.const 0))

  ;; br_table to spliced labels, a loop's and the function's.
  (func (export "table") (param $k i32) (param $n i32) (result i32)
    (local $r i32) (local $i i32)
    (block $done
      (loop $again
        (block $c2
          (block $c1
            (block $c0
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_table $c0 $c1 $c2 $again $done $c1
                (select (local.get $k) (i32.const 4) (i32.lt_u (local.get $i) (local.get $n)))))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $done))
          (local.set $r (i32.add (local.get $r) (i32.const 10)))
          (br $done))
        (local.set $r (i32.add (local.get $r) (i32.const 100))))
      (local.set $r (i32.add (local.get $r) (i32.const 1000))))
    (i32.add (local.get $r) (i32.mul (local.get $i) (i32.const 10000))))

  ;; br_table carrying a value to spliced labels.
  (func (export "table-value") (param $k i32) (result i32)
    (block $b (result i32)
      (block $a (result i32)
        (br_table $a $b $a (i32.const 5) (local.get $k)))
      (i32.const 10) (i32.mul))
    (i32.const 1) (i32.add))

  ;; Blocks with parameters and results, branched out of with both.
  (func (export "params") (param $a i32) (param $b i32) (param $c i32) (result i32)
    (local.get $a) (local.get $b)
    (block $x (param i32 i32) (result i32)
      (block $y (param i32 i32) (result i32)
        (br_if $x (i32.sub) (local.get $c))
        (i32.const 100) (i32.add))
      (i32.const 1000) (i32.add)))

  ;; A block in a loop (continue), the loop in a block (break), as clang writes them.
  (func (export "loop") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (block $break
      (loop $head
        (br_if $break (i32.ge_u (local.get $i) (local.get $n)))
        (block $continue
          (br_if $continue (i32.and (local.get $i) (i32.const 1)))
          (local.set $s (i32.add (local.get $s) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $head)))
    (local.get $s))

  ;; Blocks in an if's arms, and a branch from an arm out of a block around the if.
  (func (export "if") (param $c i32) (param $k i32) (result i32)
    (block $out (result i32)
      (if (result i32) (local.get $c)
        (then
          (block $t (result i32)
            (br_if $out (i32.const 7) (i32.eq (local.get $k) (i32.const 1)))
            (drop)
            (br_if $t (i32.const 8) (i32.eq (local.get $k) (i32.const 2)))
            (drop)
            (i32.const 9))
          (i32.const 10) (i32.add))
        (else
          (block $e (result i32)
            (br_if $e (i32.const 30) (local.get $k))
            (drop)
            (i32.const 40))
          (i32.const 100) (i32.add)))
      (i32.const 1000) (i32.add)))

  ;; Traps inside spliced blocks, after a branch not taken.
  (func (export "trap") (param $d i32) (param $k i32) (result i32)
    (block $a (result i32)
      (block $b (result i32)
        (br_if $a (i32.const -1) (local.get $k))
        (drop)
        (i32.div_u (i32.const 12) (local.get $d)))
      (i32.const 1) (i32.add)))
  (func (export "unreachable") (param $k i32) (result i32)
    (block $a
      (block $b
        (br_if $b (local.get $k))
        (unreachable)))
    (i32.const 3))
  (func (export "load-trap") (param $p i32) (result i32)
    (block $a (result i32)
      (block (result i32)
        (i32.load (local.get $p)))))

  ;; A block ending the function: its branches return.
  (func (export "ends") (param $k i32) (result i32)
    (local.get $k)
    (block $b (param i32) (result i32)
      (br_if $b (i32.const 9) (local.get $k))
      (drop) (drop) (i32.const 4)))
  (func (export "ends-moved") (param $k i32) (result i32)
    (block $b (result i32)
      (i32.const 1) (i32.const 2)
      (br_if $b (i32.const 9) (local.get $k))
      (drop) (drop) (drop) (i32.const 4)))

  ;; ---- the fused forms across a block's end --------------------------------
  ;; i32.const; local.set (set_k)
  (func (export "set_k") (param $c i32) (result i32)
    (local $x i32)
    (local.set $x (i32.const 1))
    (block $b (result i32)
      (br_if $b (i32.const 7) (local.get $c))
      (drop)
      (i32.const 5))
    (local.set $x)
    (local.get $x))
  ;; local.get; local.get; i32.add (bin_ll)
  (func (export "bin_ll") (param $a i32) (param $b i32) (param $c i32) (result i32)
    (block $x (result i32)
      (br_if $x (i32.const 100) (local.get $c))
      (drop)
      (local.get $a))
    (local.get $b) (i32.add))
  ;; local.get; i32.load (load_l)
  (func (export "load_l") (param $p i32) (param $c i32) (result i32)
    (block $x (result i32)
      (br_if $x (i32.const 20) (local.get $c))
      (drop)
      (local.get $p))
    (i32.load))
  ;; local.get; i32.eqz; if (if_lk)
  (func (export "if_lk") (param $v i32) (param $c i32) (result i32)
    (block $x (result i32)
      (br_if $x (i32.const 0) (local.get $c))
      (drop)
      (local.get $v))
    (if (result i32) (i32.eqz) (then (i32.const 1)) (else (i32.const 2))))
  ;; local.get; local.get; i32.lt_u; br_if (brif_ll)
  (func (export "brif_ll") (param $a i32) (param $b i32) (param $c i32) (result i32)
    (block $out
      (block $x (result i32)
        (br_if $x (i32.const 0) (local.get $c))
        (drop)
        (local.get $a))
      (local.get $b)
      (br_if $out (i32.lt_u))
      (return (i32.const 60)))
    (i32.const 50))
  ;; stack address; local.get; i32.store (store_sl)
  (func (export "store_sl") (param $v i32) (param $c i32) (result i32)
    (i32.store (i32.const 0) (i32.const 0))
    (i32.const 0)
    (block $x (result i32)
      (br_if $x (i32.const 9) (local.get $c))
      (drop)
      (local.get $v))
    (i32.store)
    (i32.load (i32.const 0)))
  ;; local.set d (local a + k); local.get d; local.get n; i32.lt_u; br_if (step_brif),
  ;; the step inside a block a branch skips: s counts iterations, i steps on every other one.
  (func (export "step_brif") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (block $skip
        (br_if $skip (i32.and (local.get $s) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1))))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $s))
  ;; local.tee i (local i + 1); (local n << 1); i32.lt_u; br_if (step_brif_k),
  ;; the tee ending a block that a branch leaves with another value.
  (func (export "step_brif_k") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (block $b (result i32)
        (br_if $b (i32.const 0) (i32.and (local.get $s) (i32.const 1)))
        (drop)
        (local.tee $i (i32.add (local.get $i) (i32.const 1))))
      (br_if $l (i32.lt_u (i32.shl (local.get $n) (i32.const 1)))))
    (i32.add (local.get $s) (i32.mul (local.get $i) (i32.const 1000))))
  ;; A loop whose first node tests and leaves by a block's label, stepped at
  ;; its back-edge (back_ll / step_back_lk: the test's branch is resolved
  ;; after the back-edge copied it).
  (func (export "back") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s (i32.add (local.get $s) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (i32.add (local.get $s) (i32.const 1000)))
  (func (export "back-plain") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s (i32.add (local.get $s) (i32.const 3)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $s (i32.add (local.get $s) (local.get $i)))
        (br $l)))
    (local.get $s))
  ;; A null test's br_if (brif_null) to a spliced label.
  (func (export "null") (param $r externref) (result i32)
    (block $b (result i32)
      (i32.const 1)
      (br_if $b (ref.is_null (local.get $r)))
      (drop)
      (i32.const 2))
    (i32.const 10) (i32.add))
  ;; Nested blocks ending together, both branched to.
  (func (export "together") (param $k i32) (result i32)
    (local $x i32)
    (block $a
      (block $b
        (br_if $a (i32.eq (local.get $k) (i32.const 1)))
        (br_if $b (i32.eq (local.get $k) (i32.const 2)))
        (local.set $x (i32.const 5))))
    (local.set $x (i32.add (local.get $x) (i32.const 1)))
    (local.get $x))
)

(assert_return (invoke "depths" (i32.const 0)) (i32.const 1111))
(assert_return (invoke "depths" (i32.const 1)) (i32.const 1102))
(assert_return (invoke "depths" (i32.const 2)) (i32.const 1003))
(assert_return (invoke "depths" (i32.const 3)) (i32.const 4))
(assert_return (invoke "depths" (i32.const 4)) (i32.const 1115))
(assert_return (invoke "two-values" (i32.const 0)) (i32.const 28) (i32.const 0))
(assert_return (invoke "two-values" (i32.const 1)) (i32.const 10) (i32.const 0))
(assert_return (invoke "table" (i32.const 0) (i32.const 5)) (i32.const 10001))
(assert_return (invoke "table" (i32.const 1) (i32.const 5)) (i32.const 10010))
(assert_return (invoke "table" (i32.const 2) (i32.const 5)) (i32.const 11100))
(assert_return (invoke "table" (i32.const 3) (i32.const 5)) (i32.const 50000))
(assert_return (invoke "table" (i32.const 4) (i32.const 5)) (i32.const 10000))
(assert_return (invoke "table" (i32.const 5) (i32.const 5)) (i32.const 10010))
(assert_return (invoke "table" (i32.const 9) (i32.const 5)) (i32.const 10010))
(assert_return (invoke "table" (i32.const 0) (i32.const 0)) (i32.const 10000))
(assert_return (invoke "table-value" (i32.const 0)) (i32.const 51))
(assert_return (invoke "table-value" (i32.const 1)) (i32.const 6))
(assert_return (invoke "table-value" (i32.const 7)) (i32.const 51))
(assert_return (invoke "params" (i32.const 9) (i32.const 4) (i32.const 0)) (i32.const 1105))
(assert_return (invoke "params" (i32.const 9) (i32.const 4) (i32.const 1)) (i32.const 5))
(assert_return (invoke "loop" (i32.const 0)) (i32.const 0))
(assert_return (invoke "loop" (i32.const 10)) (i32.const 20))
(assert_return (invoke "if" (i32.const 1) (i32.const 0)) (i32.const 1019))
(assert_return (invoke "if" (i32.const 1) (i32.const 1)) (i32.const 7))
(assert_return (invoke "if" (i32.const 1) (i32.const 2)) (i32.const 1018))
(assert_return (invoke "if" (i32.const 0) (i32.const 0)) (i32.const 1140))
(assert_return (invoke "if" (i32.const 0) (i32.const 1)) (i32.const 1130))
(assert_return (invoke "trap" (i32.const 4) (i32.const 0)) (i32.const 4))
(assert_return (invoke "trap" (i32.const 0) (i32.const 1)) (i32.const -1))
(assert_trap (invoke "trap" (i32.const 0) (i32.const 0)) "integer divide by zero")
(assert_return (invoke "unreachable" (i32.const 1)) (i32.const 3))
(assert_trap (invoke "unreachable" (i32.const 0)) "unreachable")
(assert_return (invoke "load-trap" (i32.const 16)) (i32.const 42))
(assert_trap (invoke "load-trap" (i32.const 65536)) "out of bounds memory access")
(assert_return (invoke "ends" (i32.const 0)) (i32.const 4))
(assert_return (invoke "ends" (i32.const 3)) (i32.const 9))
(assert_return (invoke "ends-moved" (i32.const 0)) (i32.const 4))
(assert_return (invoke "ends-moved" (i32.const 3)) (i32.const 9))
(assert_return (invoke "set_k" (i32.const 0)) (i32.const 5))
(assert_return (invoke "set_k" (i32.const 1)) (i32.const 7))
(assert_return (invoke "bin_ll" (i32.const 3) (i32.const 4) (i32.const 0)) (i32.const 7))
(assert_return (invoke "bin_ll" (i32.const 3) (i32.const 4) (i32.const 1)) (i32.const 104))
(assert_return (invoke "load_l" (i32.const 16) (i32.const 0)) (i32.const 42))
(assert_return (invoke "load_l" (i32.const 16) (i32.const 1)) (i32.const 7))
(assert_return (invoke "if_lk" (i32.const 0) (i32.const 0)) (i32.const 1))
(assert_return (invoke "if_lk" (i32.const 3) (i32.const 0)) (i32.const 2))
(assert_return (invoke "if_lk" (i32.const 3) (i32.const 1)) (i32.const 1))
(assert_return (invoke "brif_ll" (i32.const 5) (i32.const 3) (i32.const 0)) (i32.const 60))
(assert_return (invoke "brif_ll" (i32.const 5) (i32.const 7) (i32.const 0)) (i32.const 50))
(assert_return (invoke "brif_ll" (i32.const 5) (i32.const 3) (i32.const 1)) (i32.const 50))
(assert_return (invoke "brif_ll" (i32.const 0) (i32.const 0) (i32.const 1)) (i32.const 60))
(assert_return (invoke "store_sl" (i32.const 33) (i32.const 0)) (i32.const 33))
(assert_return (invoke "store_sl" (i32.const 33) (i32.const 1)) (i32.const 9))
(assert_return (invoke "step_brif" (i32.const 1)) (i32.const 2))
(assert_return (invoke "step_brif" (i32.const 5)) (i32.const 10))
(assert_return (invoke "step_brif_k" (i32.const 1)) (i32.const 2004))
(assert_return (invoke "step_brif_k" (i32.const 3)) (i32.const 6012))
(assert_return (invoke "back" (i32.const 0)) (i32.const 1000))
(assert_return (invoke "back" (i32.const 5)) (i32.const 1010))
(assert_return (invoke "back-plain" (i32.const 0)) (i32.const 0))
(assert_return (invoke "back-plain" (i32.const 4)) (i32.const 22))
(assert_return (invoke "null" (ref.null extern)) (i32.const 11))
(assert_return (invoke "null" (ref.extern 1)) (i32.const 12))
(assert_return (invoke "together" (i32.const 0)) (i32.const 6))
(assert_return (invoke "together" (i32.const 1)) (i32.const 1))
(assert_return (invoke "together" (i32.const 2)) (i32.const 1))

;; Exceptions: a throw from inside spliced blocks caught by a try_table
;; around them, whose catch clause branches to a spliced label with the
;; payload; blocks inside the try_table's body; a try_table inside a block
;; that its catch leaves.
(module
  (tag $e (param i32))
  (func $throw (param i32) (throw $e (local.get 0)))
  (func (export "caught") (param $x i32) (param $k i32) (result i32)
    (block $h (result i32)
      (block $m
        (try_table (catch $e $h)
          (block $i
            (block $j
              (br_if $m (i32.eq (local.get $k) (i32.const 1)))
              (br_if $j (i32.eq (local.get $k) (i32.const 2)))
              (call $throw (i32.add (local.get $x) (i32.const 1))))
            (call $throw (i32.add (local.get $x) (i32.const 2))))))
      (i32.const -1))
    (i32.const 1000) (i32.add))
  ;; catch_all to a spliced label with nothing, in a loop: each round throws once.
  (func (export "rounds") (param $n i32) (result i32)
    (local $i i32) (local $c i32)
    (loop $l
      (block $caught
        (try_table (catch_all $caught)
          (block
            (br_if 0 (i32.and (local.get $i) (i32.const 1)))
            (call $throw (local.get $i))))
        (local.set $c (i32.add (local.get $c) (i32.const 100))))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $c))
)

(assert_return (invoke "caught" (i32.const 41) (i32.const 0)) (i32.const 1042))
(assert_return (invoke "caught" (i32.const 41) (i32.const 1)) (i32.const 999))
(assert_return (invoke "caught" (i32.const 41) (i32.const 2)) (i32.const 1043))
(assert_return (invoke "rounds" (i32.const 1)) (i32.const 1))
(assert_return (invoke "rounds" (i32.const 4)) (i32.const 204))

;; br_on_null and br_on_non_null to spliced labels.
(module
  (type $f (func (result i32)))
  (func $seven (type $f) (i32.const 7))
  (func $eight (type $f) (i32.const 8))
  (elem declare func $seven $eight)
  (func (export "on-null") (param $k i32) (result i32)
    (block $null (result i32)
      (block $b (result i32)
        (i32.const 5)
        (br_on_null $null (select (result (ref null $f)) (ref.null $f) (ref.func $seven) (local.get $k)))
        (call_ref $f)
        (i32.add))
      (i32.const 100) (i32.add))
    (i32.const 1000) (i32.add))
  (func (export "on-non-null") (param $k i32) (result i32)
    (block $got (result (ref $f))
      (block $b
        (br_on_non_null $got (select (result (ref null $f)) (ref.null $f) (ref.func $seven) (local.get $k)))
        (br 1 (ref.func $eight)))
      (return (i32.const -1)))
    (call_ref $f))
)

(assert_return (invoke "on-null" (i32.const 0)) (i32.const 1112))
(assert_return (invoke "on-null" (i32.const 1)) (i32.const 1005))
(assert_return (invoke "on-non-null" (i32.const 0)) (i32.const 7))
(assert_return (invoke "on-non-null" (i32.const 1)) (i32.const 8))
