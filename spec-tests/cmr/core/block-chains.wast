;; Chains of blocks at the starts of bodies, as compilers lower a switch
;; (nested blocks and one br_table): the interpreter splices each plain
;; block into the body around it (prepare.ts; session 10 linked such chains
;; instead), so every way out of each block must still land after it. Each case leaves
;; by another label, and code after each inner block adds its own weight, so
;; a wrong landing place changes the sum. Also: blocks with parameters, a
;; loop and a try_table inside a chain, a chain as a loop's body entered
;; again by every back-edge, a chain inside an if's arm, a chain ending at
;; an if (which still tests its condition), and a trap inside
;; the innermost body.

(module
  ;; switch (k) { case 0: +1; case 1: +10; case 2: +100; case 3: +1000 } (falling through), default: 10000.
  (func (export "switch") (param $k i32) (result i32)
    (local $r i32)
    (block $out
      (block $default
        (block $c3
          (block $c2
            (block $c1
              (block $c0
                (br_table $c0 $c1 $c2 $c3 $default (local.get $k)))
              (local.set $r (i32.add (local.get $r) (i32.const 1))))
            (local.set $r (i32.add (local.get $r) (i32.const 10))))
          (local.set $r (i32.add (local.get $r) (i32.const 100))))
        (local.set $r (i32.add (local.get $r) (i32.const 1000)))
        (br $out))
      (local.set $r (i32.const 10000)))
    (local.get $r))

  ;; The same switch as a loop's body: every back-edge enters the chain again.
  (func (export "switch-loop") (param $n i32) (result i32)
    (local $i i32) (local $r i32)
    (loop $next
      (block $c2
        (block $c1
          (block $c0
            (br_table $c0 $c1 $c2 (i32.rem_u (local.get $i) (i32.const 3))))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br $c2))
        (local.set $r (i32.add (local.get $r) (i32.const 100))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $r))

  ;; Blocks with parameters and results: the values pass through the skipped entries.
  (func (export "params") (param $a i32) (param $b i32) (result i32)
    (local.get $a) (local.get $b)
    (block (param i32 i32) (result i32)
      (block (param i32 i32) (result i32)
        (block (param i32 i32) (result i32)
          (i32.sub))
        (i32.const 1000) (i32.mul))
      (i32.const 7) (i32.add)))

  ;; A loop in the chain: its back-edge lands at the loop's start, inside the chain.
  (func (export "loop-in-chain") (param $n i32) (result i32)
    (local $i i32)
    (block $out (result i32)
      (block
        (loop $l
          (block
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
          (br $out (i32.mul (local.get $i) (i32.const 3)))))
      (i32.const -1)))

  ;; Inside an if's arms.
  (func (export "in-if") (param $c i32) (param $k i32) (result i32)
    (if (result i32) (local.get $c)
      (then
        (block $b (result i32)
          (block $a (result i32)
            (block (result i32)
              (br_table $a $b (i32.const 20) (local.get $k))))
          (i32.const 30) (i32.add)))
      (else (i32.const 40))))

  ;; A chain ending at an if: the if still tests its condition.
  (func (export "if-first") (param $c i32) (result i32)
    (block (result i32)
      (block (result i32)
        (if (result i32) (local.get $c) (then (i32.const 1)) (else (i32.const 2))))))

  ;; A trap in the innermost body.
  (func (export "trap") (param $d i32) (result i32)
    (block (result i32)
      (block (result i32)
        (block (result i32)
          (i32.div_u (i32.const 12) (local.get $d))))))
)

(assert_return (invoke "switch" (i32.const 0)) (i32.const 1111))
(assert_return (invoke "switch" (i32.const 1)) (i32.const 1110))
(assert_return (invoke "switch" (i32.const 2)) (i32.const 1100))
(assert_return (invoke "switch" (i32.const 3)) (i32.const 1000))
(assert_return (invoke "switch" (i32.const 4)) (i32.const 10000))
(assert_return (invoke "switch" (i32.const -1)) (i32.const 10000))
(assert_return (invoke "switch-loop" (i32.const 1)) (i32.const 1))
(assert_return (invoke "switch-loop" (i32.const 2)) (i32.const 101))
(assert_return (invoke "switch-loop" (i32.const 3)) (i32.const 101))
(assert_return (invoke "switch-loop" (i32.const 7)) (i32.const 203))
(assert_return (invoke "params" (i32.const 9) (i32.const 4)) (i32.const 5007))
(assert_return (invoke "params" (i32.const 4) (i32.const 9)) (i32.const -4993))
(assert_return (invoke "loop-in-chain" (i32.const 0)) (i32.const 3))
(assert_return (invoke "loop-in-chain" (i32.const 5)) (i32.const 15))
(assert_return (invoke "in-if" (i32.const 1) (i32.const 0)) (i32.const 50))
(assert_return (invoke "in-if" (i32.const 1) (i32.const 1)) (i32.const 20))
(assert_return (invoke "in-if" (i32.const 1) (i32.const 5)) (i32.const 20))
(assert_return (invoke "in-if" (i32.const 0) (i32.const 0)) (i32.const 40))
(assert_return (invoke "if-first" (i32.const 0)) (i32.const 2))
(assert_return (invoke "if-first" (i32.const 1)) (i32.const 1))
(assert_return (invoke "trap" (i32.const 4)) (i32.const 3))
(assert_trap (invoke "trap" (i32.const 0)) "integer divide by zero")

;; A try_table in a chain: the throw in the innermost body finds the
;; handler of the try_table its entry skipped.
(module
  (tag $e (param i32))
  (func $throw (param i32) (throw $e (local.get 0)))
  (func (export "caught") (param $x i32) (result i32)
    (block $h (result i32)
      (block
        (try_table (catch $e $h)
          (block
            (block
              (call $throw (i32.add (local.get $x) (i32.const 1)))))))
      (i32.const -1))))

(assert_return (invoke "caught" (i32.const 41)) (i32.const 42))
