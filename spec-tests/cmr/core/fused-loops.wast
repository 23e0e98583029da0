;; Shapes the interpreter fuses into one node (fuse.ts, simd/fuse.ts) that
;; the official suites test only instruction by instruction: a vector
;; operation whose result is stored, a loop step compared with a computed
;; bound, a dot product's step and an i32 load tested for zero (and
;; (local OP constant) OP value into a local, a shape tried and left unfused). Each must wrap, trap and leave memory
;; exactly as the instructions one by one do.

(module
  (memory 1)

  ;; y[i] = a * x[i] + y[i] over n floats (x at 0, y at 32768): a vector
  ;; operation stored (vlane_st) in a loop whose bound is n << 2 (step_brif_k).
  (func (export "axpy") (param $n i32) (param $a f32) (local $i i32) (local $av v128)
    (local.set $av (f32x4.splat (local.get $a)))
    (loop $l
      (v128.store offset=32768 (local.get $i)
        (f32x4.add (f32x4.mul (local.get $av) (v128.load (local.get $i))) (v128.load offset=32768 (local.get $i))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 16))) (i32.shl (local.get $n) (i32.const 2))))))
  (func (export "f32") (param i32) (result f32) (f32.load (local.get 0)))
  (func (export "set-f32") (param i32 f32) (f32.store (local.get 0) (local.get 1)))
  (func (export "word") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "set-word") (param i32 i32) (i32.store (local.get 0) (local.get 1)))

  ;; The stored vector at p + 65520 (vlane_st): the store traps when p > 0,
  ;; after the load from q succeeded, and writes nothing.
  (func (export "add-store") (param $p i32) (param $q i32)
    (v128.store offset=65520 (local.get $p) (i32x4.add (v128.const i32x4 1 1 1 1) (v128.load (local.get $q)))))

  ;; Steps of i from a start to a bound computed each time, unsigned: the
  ;; step wraps around 2^32, so the loop ends after the wrap; returns the count.
  (func (export "wrap-steps") (param $i i32) (param $n i32) (result i32) (local $c i32)
    (loop $l
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 0x40000000))) (i32.shl (local.get $n) (i32.const 1)))))
    (local.get $c))
  ;; The bound reads the local just stepped (its new value): i < i * 2 holds until i * 2 wraps.
  (func (export "self-bound") (param $i i32) (result i32) (local $c i32)
    (loop $l
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br_if $l (i32.lt_s (local.tee $i (i32.add (local.get $i) (i32.const 1000000))) (i32.mul (local.get $i) (i32.const 2)))))
    (local.get $c))

  ;; acc = acc * 31 + (i ^ (acc >>> 7)): wrapping multiplication, unsigned shift.
  (func (export "mix") (param $acc i32) (param $i i32) (result i32)
    (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) (i32.xor (local.get $i) (i32.shr_u (local.get $acc) (i32.const 7)))))
    (local.get $acc))
  ;; acc = (acc - 3) - (i rotl (acc >> 2)): an operation that does not commute keeps its operand order.
  (func (export "mix-sub") (param $acc i32) (param $i i32) (result i32)
    (local.set $acc (i32.sub (i32.sub (local.get $acc) (i32.const 3)) (i32.rotl (local.get $i) (i32.shr_s (local.get $acc) (i32.const 2)))))
    (local.get $acc))

  ;; acc + x[j] * y[base + ((k * n + j) << 3)] (f64_madd_lbase_idx).
  (func (export "dot-step") (param $j i32) (param $k i32) (param $n i32) (param $base i32) (param $acc f64) (result f64)
    (local.set $acc (f64.add (local.get $acc)
      (f64.mul (f64.load (local.get $j))
               (f64.load (i32.add (local.get $base) (i32.shl (i32.add (i32.mul (local.get $k) (local.get $n)) (local.get $j)) (i32.const 3)))))))
    (local.get $acc))
  (func (export "set-f64") (param i32 f64) (f64.store (local.get 0) (local.get 1)))

  ;; Whether the 16-bit value at p is zero (if_load_z): only the loaded bytes count.
  (func (export "zero16") (param $p i32) (result i32)
    (if (result i32) (i32.eqz (i32.load16_s offset=2 (local.get $p))) (then (i32.const 1)) (else (i32.const 0))))
)

;; y = 2 * x + y over 8 floats, x[i] = i, y[i] = 1: y[i] = 2i + 1.
(invoke "set-f32" (i32.const 0) (f32.const 0))
(invoke "set-f32" (i32.const 4) (f32.const 1))
(invoke "set-f32" (i32.const 8) (f32.const 2))
(invoke "set-f32" (i32.const 12) (f32.const 3))
(invoke "set-f32" (i32.const 16) (f32.const 4))
(invoke "set-f32" (i32.const 20) (f32.const 5))
(invoke "set-f32" (i32.const 24) (f32.const 6))
(invoke "set-f32" (i32.const 28) (f32.const -inf))
(invoke "set-f32" (i32.const 32768) (f32.const 1))
(invoke "set-f32" (i32.const 32772) (f32.const 1))
(invoke "set-f32" (i32.const 32776) (f32.const 1))
(invoke "set-f32" (i32.const 32780) (f32.const 1))
(invoke "set-f32" (i32.const 32784) (f32.const 1))
(invoke "set-f32" (i32.const 32788) (f32.const 1))
(invoke "set-f32" (i32.const 32792) (f32.const 1))
(invoke "set-f32" (i32.const 32796) (f32.const inf))
(invoke "axpy" (i32.const 8) (f32.const 2))
(assert_return (invoke "f32" (i32.const 32768)) (f32.const 1))
(assert_return (invoke "f32" (i32.const 32780)) (f32.const 7))
(assert_return (invoke "f32" (i32.const 32792)) (f32.const 13))
;; -inf * 2 + inf: NaN, stored through the fused node
(assert_return (invoke "f32" (i32.const 32796)) (f32.const nan:arithmetic))
;; the loop stopped at the bound: the float after y's eighth is untouched
(assert_return (invoke "f32" (i32.const 32800)) (f32.const 0))

;; The store traps (p + 65520 + 16 > 65536) and leaves memory as it was.
(invoke "set-word" (i32.const 65532) (i32.const 77))
(assert_return (invoke "add-store" (i32.const 0) (i32.const 0)))
;; lane 3: the bits of f32 3 (0x40400000) + 1
(assert_return (invoke "word" (i32.const 65532)) (i32.const 0x40400001))
(invoke "set-word" (i32.const 65532) (i32.const 77))
(assert_trap (invoke "add-store" (i32.const 1) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "add-store" (i32.const -1) (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "word" (i32.const 65532)) (i32.const 77))
;; the load traps first, whatever the store's address
(assert_trap (invoke "add-store" (i32.const 0) (i32.const 65521)) "out of bounds memory access")
(assert_return (invoke "word" (i32.const 65532)) (i32.const 77))

;; 0xc0000000 + 2^30 wraps to 0 < 2 * 3: the loop goes on until the next step is not below 6.
(assert_return (invoke "wrap-steps" (i32.const 0xc0000000) (i32.const 3)) (i32.const 2))
;; the bound 0x60000000 << 1 = 0xc0000000, compared unsigned
(assert_return (invoke "wrap-steps" (i32.const 0) (i32.const 0x60000000)) (i32.const 3))
(assert_return (invoke "wrap-steps" (i32.const 0) (i32.const 0)) (i32.const 1))
;; 1000000 k < 2000000 k until 2000000 k overflows (k = 1074: 2 147 483 648 wraps negative)
(assert_return (invoke "self-bound" (i32.const 0)) (i32.const 1074))
(assert_return (invoke "self-bound" (i32.const -5000000)) (i32.const 1))

(assert_return (invoke "mix" (i32.const 0) (i32.const 5)) (i32.const 5))
(assert_return (invoke "mix" (i32.const -1) (i32.const 0)) (i32.const 0x01ffffe0))
(assert_return (invoke "mix" (i32.const 0x7fffffff) (i32.const -1)) (i32.const 0x7effffe1))
;; 97 - (1 rotl 25)
(assert_return (invoke "mix-sub" (i32.const 100) (i32.const 1)) (i32.const -33554335))
;; -2^31 - 3 wraps; -2^31 >> 2 rotates by 0
(assert_return (invoke "mix-sub" (i32.const -0x80000000) (i32.const 3)) (i32.const 0x7ffffffa))

;; x[1] = 1.5 at 8, y at base 968 + ((2 * 3 + 8) << 3) = 1080: 0.25
(invoke "set-f64" (i32.const 8) (f64.const 1.5))
(invoke "set-f64" (i32.const 1080) (f64.const 0.25))
(assert_return (invoke "dot-step" (i32.const 8) (i32.const 2) (i32.const 3) (i32.const 968) (f64.const 10)) (f64.const 10.375))
(assert_return (invoke "dot-step" (i32.const 8) (i32.const 2) (i32.const 3) (i32.const 968) (f64.const nan)) (f64.const nan:arithmetic))
;; the element's address wraps around 2^32 back into memory: (2^29 + 8) << 3 = 64, at 968 + 64 (zero)
(assert_return (invoke "dot-step" (i32.const 8) (i32.const 0x20000000) (i32.const 1) (i32.const 968) (f64.const 1)) (f64.const 1))
;; an element overrunning the memory's end by one byte (at 65465 + 64) traps
(assert_trap (invoke "dot-step" (i32.const 8) (i32.const 0) (i32.const 0) (i32.const 65465) (f64.const 1)) "out of bounds memory access")
(assert_trap (invoke "dot-step" (i32.const 65536) (i32.const 0) (i32.const 0) (i32.const 0) (f64.const 1)) "out of bounds memory access")

(invoke "set-word" (i32.const 100) (i32.const 0x0000ffff))
(assert_return (invoke "zero16" (i32.const 98)) (i32.const 0))
(assert_return (invoke "zero16" (i32.const 100)) (i32.const 1))
(invoke "set-word" (i32.const 100) (i32.const 0xffff0000))
(assert_return (invoke "zero16" (i32.const 98)) (i32.const 1))
(assert_return (invoke "zero16" (i32.const 65532)) (i32.const 1))
(assert_trap (invoke "zero16" (i32.const 65533)) "out of bounds memory access")
(assert_trap (invoke "zero16" (i32.const -2)) "out of bounds memory access")
