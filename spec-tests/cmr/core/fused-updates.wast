;; Fused nodes of compilers' everyday code (session 12: fuse.ts,
;; scripts/gen-interp.ts), each checked against what the instructions one
;; by one do, on both engines:
;; - update_lk: local.get p; local.get p; i32.load d; [local.tee e];
;;   i32.const k; OP; [local.tee e]; i32.store d (clang's `p->f += k`,
;;   SpiderMonkey's `pc++`, `sp -= 8`): each operation (add, sub, whose
;;   constant is stored negated, down to -2^31; the others through bin32),
;;   wrapping, the old or the new value teed to a local or neither; a trap
;;   at the load (nothing stored, the global written before kept), the
;;   address and the offset of 2^31 or more; and sequences that must not
;;   become one (other offsets, another local, an i64 field, a branch to a
;;   block's end between the load and the add, a narrow store);
;; - load_s_set, load_s_tee: a load from an address computed on the stack
;;   into a local (tee: also pushed), each access (i32 and i64 loads cases
;;   of their own, the others through loadAt), traps, an address of 2^31 or
;;   more;
;; - get2, get3: local.gets before a block or loop start, the values pushed
;;   before the block changes the locals, i64 and f64 locals (both words),
;;   runs of 2 to 5, the get after a get2 across an empty block (get3), a
;;   branch out of the block that drops or keeps them, a loop's back-edge
;;   landing just after them.

(module
  (memory 1)
  (global $g (mut i32) (i32.const 0))
  (func $id (param i32) (result i32) (local.get 0))
  (func (export "g") (result i32) (global.get $g))
  (func (export "rd") (param $a i32) (result i32) (i32.load (call $id (local.get $a))))
  (func (export "rd64") (param $a i32) (result i64) (i64.load (call $id (local.get $a))))
  (func (export "wr") (param $a i32) (param $v i32) (i32.store (call $id (local.get $a)) (local.get $v)))
  (func (export "wr64") (param $a i32) (param $v i64) (i64.store (call $id (local.get $a)) (local.get $v)))

  ;; update_lk, neither value kept: p->f OP= k at offset 4.
  (func (export "add") (param $p i32)
    (global.set $g (i32.const 1))
    (i32.store offset=4 (local.get $p) (i32.add (i32.load offset=4 (local.get $p)) (i32.const 8)))
    (global.set $g (i32.const 2)))
  (func (export "sub") (param $p i32)
    (i32.store offset=4 (local.get $p) (i32.sub (i32.load offset=4 (local.get $p)) (i32.const 8))))
  (func (export "sub-min") (param $p i32)
    (i32.store offset=4 (local.get $p) (i32.sub (i32.load offset=4 (local.get $p)) (i32.const 0x80000000))))
  (func (export "and") (param $p i32)
    (i32.store offset=4 (local.get $p) (i32.and (i32.load offset=4 (local.get $p)) (i32.const 0xff00))))
  (func (export "or") (param $p i32)
    (i32.store offset=4 (local.get $p) (i32.or (i32.load offset=4 (local.get $p)) (i32.const 4))))
  (func (export "shr_s") (param $p i32)
    (i32.store offset=4 (local.get $p) (i32.shr_s (i32.load offset=4 (local.get $p)) (i32.const 33))))
  (func (export "ne") (param $p i32)
    (i32.store offset=4 (local.get $p) (i32.ne (i32.load offset=4 (local.get $p)) (i32.const 5))))
  ;; The old value teed (load_l_tee), the new one teed (a local.tee before the store).
  (func (export "add-old") (param $p i32) (result i32) (local $c i32)
    (global.set $g (i32.const 1))
    (i32.store offset=4 (local.get $p) (i32.add (local.tee $c (i32.load offset=4 (local.get $p))) (i32.const 1)))
    (global.set $g (i32.const 2))
    (local.get $c))
  (func (export "sub-new") (param $p i32) (result i32) (local $c i32)
    (i32.store offset=4 (local.get $p) (local.tee $c (i32.sub (i32.load offset=4 (local.get $p)) (i32.const 8))))
    (local.get $c))
  (func (export "xor-old") (param $p i32) (result i32) (local $c i32)
    (i32.store offset=4 (local.get $p) (i32.xor (local.tee $c (i32.load offset=4 (local.get $p))) (i32.const -1)))
    (local.get $c))
  ;; An offset of 2^31 or more.
  (func (export "add-far") (param $p i32)
    (i32.store offset=0x80000000 (local.get $p) (i32.add (i32.load offset=0x80000000 (local.get $p)) (i32.const 1))))
  ;; Not one update: another offset, another local, an i64 field.
  (func (export "move-up") (param $p i32)
    (i32.store offset=8 (local.get $p) (i32.add (i32.load offset=4 (local.get $p)) (i32.const 1))))
  (func (export "copy-add") (param $p i32) (param $q i32)
    (i32.store offset=4 (local.get $p) (i32.add (i32.load offset=4 (local.get $q)) (i32.const 1))))
  (func (export "add-store8") (param $p i32)
    (i32.store8 offset=4 (local.get $p) (i32.add (i32.load offset=4 (local.get $p)) (i32.const 1))))
  (func (export "add64") (param $p i32)
    (i64.store offset=4 (local.get $p) (i64.add (i64.load offset=4 (local.get $p)) (i64.const 1))))
  ;; A branch to a block's end between the load and the add: the value is
  ;; the loaded one or 100, then + 1.
  (func (export "add-branch") (param $p i32) (param $c i32)
    (i32.store offset=4 (local.get $p)
      (i32.add
        (block $b (result i32) (br_if $b (i32.load offset=4 (local.get $p)) (local.get $c)) (drop) (i32.const 100))
        (i32.const 1))))
  ;; A loop whose back-edge lands on the update: p->f += 3, n times.
  (func (export "add-loop") (param $p i32) (param $n i32)
    (loop $l
      (i32.store offset=4 (local.get $p) (i32.add (i32.load offset=4 (local.get $p)) (i32.const 3)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; load_s_set / load_s_tee: the address from a call.
  (func (export "s-set.i32") (param $a i32) (result i32) (local $x i32)
    (global.set $g (i32.const 1)) (local.set $x (i32.load offset=1 (call $id (local.get $a)))) (global.set $g (i32.const 2)) (local.get $x))
  (func (export "s-tee.i32") (param $a i32) (result i32 i32) (local $x i32)
    (global.set $g (i32.const 1)) (local.tee $x (i32.load offset=1 (call $id (local.get $a)))) (global.set $g (i32.const 2)) (local.get $x))
  (func (export "s-set.i64") (param $a i32) (result i64) (local $x i64)
    (local.set $x (i64.load offset=1 (call $id (local.get $a)))) (local.get $x))
  (func (export "s-tee.i64") (param $a i32) (result i64 i64) (local $x i64)
    (local.tee $x (i64.load offset=1 (call $id (local.get $a)))) (local.get $x))
  (func (export "s-set.f64") (param $a i32) (result i64) (local $x f64)
    (local.set $x (f64.load (call $id (local.get $a)))) (i64.reinterpret_f64 (local.get $x)))
  (func (export "s-tee.f64") (param $a i32) (result i64 i64) (local $x f64)
    (i64.reinterpret_f64 (local.tee $x (f64.load (call $id (local.get $a))))) (i64.reinterpret_f64 (local.get $x)))
  (func (export "s-set.f32") (param $a i32) (result i32) (local $x f32)
    (local.set $x (f32.load (call $id (local.get $a)))) (i32.reinterpret_f32 (local.get $x)))
  (func (export "s-set.i32-load8_s") (param $a i32) (result i32) (local $x i32)
    (local.set $x (i32.load8_s offset=1 (call $id (local.get $a)))) (local.get $x))
  (func (export "s-tee.i32-load16_u") (param $a i32) (result i32 i32) (local $x i32)
    (local.tee $x (i32.load16_u offset=1 (call $id (local.get $a)))) (local.get $x))
  (func (export "s-set.i64-load32_s") (param $a i32) (result i64) (local $x i64)
    (local.set $x (i64.load32_s (call $id (local.get $a)))) (local.get $x))
  (func (export "s-tee.i64-load8_u") (param $a i32) (result i64 i64) (local $x i64)
    (local.tee $x (i64.load8_u (call $id (local.get $a)))) (local.get $x))
  ;; The address's local is the destination (a pointer chase through a computed address).
  (func (export "s-chase") (param $p i32) (result i32)
    (local.set $p (i32.load (i32.add (local.get $p) (i32.const 0)))) (local.set $p (i32.load (call $id (local.get $p)))) (local.get $p))
  (func (export "s-set.far") (param $a i32) (result i32) (local $x i32)
    (local.set $x (i32.load offset=0x80000000 (call $id (local.get $a)))) (local.get $x))

  ;; get2 / get3: the pushes happen before the block writes the locals.
  (func (export "get2") (param $a i32) (param $b i32) (result i32)
    (local.get $a) (local.get $b)
    (block (local.set $a (i32.const 1000)) (local.set $b (i32.const 2000)))
    (i32.sub))
  (func (export "get3") (param $a i32) (param $b i64) (param $c f64) (result i32 i64 f64)
    (local.get $a) (local.get $b) (local.get $c)
    (block (local.set $a (i32.const 0)) (local.set $b (i64.const 0)) (local.set $c (f64.const 0))))
  (func (export "get4") (param $a i32) (param $b i32) (param $c i32) (param $d i32) (result i32 i32 i32 i32)
    (local.get $a) (local.get $b) (local.get $c) (local.get $d)
    (block (local.set $a (i32.const 0)) (local.set $d (i32.const 0))))
  (func (export "get5") (param $a i64) (param $b i32) (param $c i32) (param $d i32) (param $e i64) (result i64 i32 i32 i32 i64)
    (local.get $a) (local.get $b) (local.get $c) (local.get $d) (local.get $e)
    (block (local.set $a (i64.const 0)) (local.set $e (i64.const 0))))
  ;; A get after a get2 across an empty block: get3.
  (func (export "get2-1") (param $a i32) (param $b i64) (param $c i32) (result i32 i64 i32)
    (local.get $a) (local.get $b) (block) (local.get $c)
    (block (local.set $c (i32.const 0))))
  ;; A branch out of the block: the pushes dropped (br to a label of no
  ;; result above them) or kept under the block's result.
  (func (export "get-br") (param $a i32) (param $b i32) (param $c i32) (result i32)
    (block $out
      (local.get $a) (local.get $b) (local.get $c)
      (block $in (br_if $out (i32.eqz (local.get $c))) (local.set $a (i32.const 7)))
      (drop) (i32.sub) (return))
    (i32.const -1))
  (func (export "get-result") (param $a i32) (param $b i32) (result i32)
    (local.get $a) (local.get $b)
    (block $in (result i32) (br_if $in (i32.const 10) (local.get $a)) (drop) (i32.const 20))
    (i32.add) (i32.add))
  ;; A loop's back-edge lands just after the pushes: n pushes of nothing
  ;; left behind; the sum of a - b after the loop sees the old values.
  (func (export "get-loop") (param $a i32) (param $b i32) (param $n i32) (result i32)
    (local.get $a) (local.get $b)
    (loop $l
      (local.set $a (i32.add (local.get $a) (i32.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.sub) (local.get $a) (i32.add))
)

;; update_lk
(invoke "wr" (i32.const 260) (i32.const 0x7ffffff9))
(invoke "add" (i32.const 256))
(assert_return (invoke "rd" (i32.const 260)) (i32.const 0x80000001))
(assert_return (invoke "g") (i32.const 2))
(invoke "sub" (i32.const 256))
(assert_return (invoke "rd" (i32.const 260)) (i32.const 0x7ffffff9))
(invoke "sub-min" (i32.const 256))
(assert_return (invoke "rd" (i32.const 260)) (i32.const 0xfffffff9))
(invoke "and" (i32.const 256))
(assert_return (invoke "rd" (i32.const 260)) (i32.const 0xff00))
(invoke "or" (i32.const 256))
(assert_return (invoke "rd" (i32.const 260)) (i32.const 0xff04))
(invoke "wr" (i32.const 260) (i32.const -64))
(invoke "shr_s" (i32.const 256))
(assert_return (invoke "rd" (i32.const 260)) (i32.const -32))
(invoke "ne" (i32.const 256))
(assert_return (invoke "rd" (i32.const 260)) (i32.const 1))
(invoke "wr" (i32.const 260) (i32.const 41))
(assert_return (invoke "add-old" (i32.const 256)) (i32.const 41))
(assert_return (invoke "rd" (i32.const 260)) (i32.const 42))
(assert_return (invoke "g") (i32.const 2))
(assert_return (invoke "sub-new" (i32.const 256)) (i32.const 34))
(assert_return (invoke "rd" (i32.const 260)) (i32.const 34))
(assert_return (invoke "xor-old" (i32.const 256)) (i32.const 34))
(assert_return (invoke "rd" (i32.const 260)) (i32.const -35))
;; The last word of memory, and past it: the trap at the load, nothing stored.
(invoke "wr" (i32.const 65532) (i32.const 5))
(invoke "add" (i32.const 65528))
(assert_return (invoke "rd" (i32.const 65532)) (i32.const 13))
(invoke "wr" (i32.const 65528) (i32.const 0x01020304))
(assert_trap (invoke "add" (i32.const 65529)) "out of bounds memory access")
(assert_return (invoke "g") (i32.const 1))
(assert_return (invoke "rd" (i32.const 65528)) (i32.const 0x01020304))
(assert_return (invoke "rd" (i32.const 65532)) (i32.const 13))
(assert_trap (invoke "add-old" (i32.const -4)) "out of bounds memory access")
(assert_return (invoke "g") (i32.const 1))
(assert_trap (invoke "sub-new" (i32.const 0x7ffffffc)) "out of bounds memory access")
(assert_trap (invoke "add-far" (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "add-far" (i32.const 0x80000000)) "out of bounds memory access")
;; Not one update.
(invoke "wr" (i32.const 260) (i32.const 10))
(invoke "wr" (i32.const 264) (i32.const 0))
(invoke "move-up" (i32.const 256))
(assert_return (invoke "rd" (i32.const 260)) (i32.const 10))
(assert_return (invoke "rd" (i32.const 264)) (i32.const 11))
(invoke "wr" (i32.const 516) (i32.const 50))
(invoke "copy-add" (i32.const 256) (i32.const 512))
(assert_return (invoke "rd" (i32.const 260)) (i32.const 51))
(assert_return (invoke "rd" (i32.const 516)) (i32.const 50))
(invoke "wr" (i32.const 260) (i32.const 0x1ff))
(invoke "add-store8" (i32.const 256))
(assert_return (invoke "rd" (i32.const 260)) (i32.const 0x100))
(invoke "wr64" (i32.const 260) (i64.const 0xffffffff))
(invoke "add64" (i32.const 256))
(assert_return (invoke "rd64" (i32.const 260)) (i64.const 0x100000000))
(invoke "wr" (i32.const 260) (i32.const 5))
(invoke "add-branch" (i32.const 256) (i32.const 1))
(assert_return (invoke "rd" (i32.const 260)) (i32.const 6))
(invoke "add-branch" (i32.const 256) (i32.const 0))
(assert_return (invoke "rd" (i32.const 260)) (i32.const 101))
(invoke "add-loop" (i32.const 256) (i32.const 5))
(assert_return (invoke "rd" (i32.const 260)) (i32.const 116))
(assert_trap (invoke "add-loop" (i32.const 65532) (i32.const 5)) "out of bounds memory access")

;; load_s_set / load_s_tee
(invoke "wr64" (i32.const 1024) (i64.const 0x8877665544332211))
(invoke "wr64" (i32.const 1032) (i64.const 0xfff4000000000001))
(assert_return (invoke "s-set.i32" (i32.const 1024)) (i32.const 0x55443322))
(assert_return (invoke "g") (i32.const 2))
(assert_return (invoke "s-tee.i32" (i32.const 1024)) (i32.const 0x55443322) (i32.const 0x55443322))
(assert_return (invoke "g") (i32.const 2))
(assert_return (invoke "s-set.i64" (i32.const 1024)) (i64.const 0x0188776655443322))
(assert_return (invoke "s-tee.i64" (i32.const 1024)) (i64.const 0x0188776655443322) (i64.const 0x0188776655443322))
(assert_return (invoke "s-set.f64" (i32.const 1032)) (i64.const 0xfff4000000000001))
(assert_return (invoke "s-tee.f64" (i32.const 1032)) (i64.const 0xfff4000000000001) (i64.const 0xfff4000000000001))
(assert_return (invoke "s-set.f64" (i32.const 1028)) (i64.const 0x0000000188776655))
(assert_return (invoke "s-set.f32" (i32.const 1036)) (i32.const 0xfff40000))
(assert_return (invoke "s-set.i32-load8_s" (i32.const 1030)) (i32.const -120))
(assert_return (invoke "s-tee.i32-load16_u" (i32.const 1029)) (i32.const 0x8877) (i32.const 0x8877))
(assert_return (invoke "s-set.i64-load32_s" (i32.const 1028)) (i64.const 0xffffffff88776655))
(assert_return (invoke "s-tee.i64-load8_u" (i32.const 1031)) (i64.const 0x88) (i64.const 0x88))
(invoke "wr" (i32.const 2048) (i32.const 2056))
(invoke "wr" (i32.const 2056) (i32.const 77))
(assert_return (invoke "s-chase" (i32.const 2048)) (i32.const 77))
(assert_trap (invoke "s-set.i32" (i32.const 65532)) "out of bounds memory access")
(assert_return (invoke "g") (i32.const 1))
(assert_trap (invoke "s-tee.i32" (i32.const -1)) "out of bounds memory access")
(assert_return (invoke "g") (i32.const 1))
(assert_trap (invoke "s-set.i64" (i32.const 65528)) "out of bounds memory access")
(assert_trap (invoke "s-tee.i64" (i32.const 0x80000000)) "out of bounds memory access")
(assert_trap (invoke "s-set.f64" (i32.const 65529)) "out of bounds memory access")
(assert_trap (invoke "s-tee.i32-load16_u" (i32.const 65534)) "out of bounds memory access")
(assert_trap (invoke "s-set.far" (i32.const 0)) "out of bounds memory access")

;; get2 / get3
(assert_return (invoke "get2" (i32.const 10) (i32.const 3)) (i32.const 7))
(assert_return (invoke "get3" (i32.const -1) (i64.const 0x123456789abcdef0) (f64.const -0x1.8p-1000))
  (i32.const -1) (i64.const 0x123456789abcdef0) (f64.const -0x1.8p-1000))
(assert_return (invoke "get4" (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4)) (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4))
(assert_return (invoke "get5" (i64.const -2) (i32.const 2) (i32.const 3) (i32.const 4) (i64.const 0x7fffffff00000001))
  (i64.const -2) (i32.const 2) (i32.const 3) (i32.const 4) (i64.const 0x7fffffff00000001))
(assert_return (invoke "get2-1" (i32.const 5) (i64.const 0xf00000000) (i32.const 6)) (i32.const 5) (i64.const 0xf00000000) (i32.const 6))
(assert_return (invoke "get-br" (i32.const 10) (i32.const 4) (i32.const 1)) (i32.const 6))
(assert_return (invoke "get-br" (i32.const 10) (i32.const 4) (i32.const 0)) (i32.const -1))
(assert_return (invoke "get-result" (i32.const 1) (i32.const 2)) (i32.const 13))
(assert_return (invoke "get-result" (i32.const 0) (i32.const 2)) (i32.const 22))
(assert_return (invoke "get-loop" (i32.const 10) (i32.const 4) (i32.const 3)) (i32.const 19))
