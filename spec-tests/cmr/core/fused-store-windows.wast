;; Stores whose address a local.get pushed before the value's nodes, which
;; the interpreter fuses (fuse.ts's store_ls, simd/fuse.ts's vstore_l) by
;; reading the local at the store, when every node between is one whose
;; stack effect and written local node-effects.ts knows (session 13: that
;; table replaced a hand list, and took in more nodes: select, i64.mul,
;; a division that traps, nodes that push nothing and write a local).
;; Checked against the instructions one by one, on both engines:
;; - a node in the middle of the value's nodes that writes the address's
;;   local and pushes nothing (local.set fused into set_k, mov, bin_lk_set,
;;   load_l_set; v128: set_k): the store must use the local's value from
;;   before;
;; - select, i64.mul of two loads: the value stored as computed;
;; - a division by zero in the value's nodes traps before the store's bounds
;;   check (an address out of bounds too), with the global written before
;;   it kept and the memory unchanged.

(module
  (memory 1)
  (global $g (mut i32) (i32.const 0))
  ;; i32 lanes 1 2 3 4 at 0 and 10 20 30 40 at 16; the i64s 6 and 7 at 32 and 40; the i32 3 at 48.
  (data (i32.const 0) "\01\00\00\00\02\00\00\00\03\00\00\00\04\00\00\00\0a\00\00\00\14\00\00\00\1e\00\00\00\28\00\00\00")
  (data (i32.const 32) "\06\00\00\00\00\00\00\00\07\00\00\00\00\00\00\00\03\00\00\00")
  (func (export "ld") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "ld64") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "g") (result i32) (global.get $g))

  ;; local.set $p (a constant: set_k) between the value's nodes.
  (func (export "st-set-k-p") (param $p i32) (param $v i32) (result i32)
    local.get $p
    local.get $v
    i32.const 1
    local.set $p
    i32.const 2
    i32.add
    i32.store
    local.get $p)
  ;; local.get $q; local.set $p (mov) between them.
  (func (export "st-mov-p") (param $p i32) (param $v i32) (param $q i32) (result i32)
    local.get $p
    local.get $v
    local.get $q
    local.set $p
    i32.const 2
    i32.add
    i32.store
    local.get $p)
  ;; local.set $p (local $v + 3: bin_lk_set) between them.
  (func (export "st-step-p") (param $p i32) (param $v i32) (result i32)
    local.get $p
    local.get $v
    local.get $v
    i32.const 3
    i32.add
    local.set $p
    i32.const 2
    i32.add
    i32.store
    local.get $p)
  ;; local.set $p (a load from local $q: load_l_set) between them.
  (func (export "st-load-set-p") (param $p i32) (param $v i32) (param $q i32) (result i32)
    local.get $p
    local.get $v
    local.get $q
    i32.load
    local.set $p
    i32.const 2
    i32.add
    i32.store
    local.get $p)

  (func (export "st-select") (param $p i32) (param $v i32) (param $c i32)
    (i32.store (local.get $p) (select (local.get $v) (i32.const 9) (local.get $c))))
  (func (export "st-mul64") (param $p i32) (param $q i32)
    (i64.store (local.get $p) (i64.mul (i64.load (local.get $q)) (i64.load offset=8 (local.get $q)))))
  (func (export "st-div") (param $p i32) (param $q i32) (param $v i32)
    (global.set $g (i32.const 1))
    (i32.store (local.get $p) (i32.div_s (i32.load (local.get $q)) (local.get $v)))
    (global.set $g (i32.const 2)))

  ;; v128: local.set $b (set_k) between the value's nodes.
  (func (export "vst-set-k-b") (param $b i32) (param $q i32) (result i32)
    local.get $b
    local.get $q
    v128.load
    i32.const 64
    local.set $b
    local.get $q
    v128.load offset=16
    i32x4.add
    v128.store
    local.get $b))

(assert_return (invoke "st-set-k-p" (i32.const 100) (i32.const 5)) (i32.const 1))
(assert_return (invoke "ld" (i32.const 100)) (i32.const 7))
(assert_return (invoke "ld" (i32.const 1)) (i32.const 0x02000000))
(assert_return (invoke "st-mov-p" (i32.const 104) (i32.const 6) (i32.const 200)) (i32.const 200))
(assert_return (invoke "ld" (i32.const 104)) (i32.const 8))
(assert_return (invoke "ld" (i32.const 200)) (i32.const 0))
(assert_return (invoke "st-step-p" (i32.const 108) (i32.const 300)) (i32.const 303))
(assert_return (invoke "ld" (i32.const 108)) (i32.const 302))
(assert_return (invoke "ld" (i32.const 303)) (i32.const 0))
(assert_return (invoke "st-load-set-p" (i32.const 112) (i32.const 20) (i32.const 48)) (i32.const 3))
(assert_return (invoke "ld" (i32.const 112)) (i32.const 22))
(assert_return (invoke "ld" (i32.const 0)) (i32.const 1))

(assert_return (invoke "st-select" (i32.const 120) (i32.const 5) (i32.const 1)))
(assert_return (invoke "ld" (i32.const 120)) (i32.const 5))
(assert_return (invoke "st-select" (i32.const 120) (i32.const 5) (i32.const 0)))
(assert_return (invoke "ld" (i32.const 120)) (i32.const 9))
(assert_return (invoke "st-mul64" (i32.const 128) (i32.const 32)))
(assert_return (invoke "ld64" (i32.const 128)) (i64.const 42))
(assert_trap (invoke "st-mul64" (i32.const 65530) (i32.const 32)) "out of bounds memory access")

;; The division traps first, even with the address out of bounds.
(assert_return (invoke "st-div" (i32.const 136) (i32.const 48) (i32.const 3)))
(assert_return (invoke "ld" (i32.const 136)) (i32.const 1))
(assert_return (invoke "g") (i32.const 2))
(assert_trap (invoke "st-div" (i32.const 136) (i32.const 48) (i32.const 0)) "integer divide by zero")
(assert_return (invoke "g") (i32.const 1))
(assert_return (invoke "ld" (i32.const 136)) (i32.const 1))
(assert_trap (invoke "st-div" (i32.const 65536) (i32.const 48) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "st-div" (i32.const 65536) (i32.const 48) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "g") (i32.const 1))

(assert_return (invoke "vst-set-k-b" (i32.const 144) (i32.const 0)) (i32.const 64))
(assert_return (invoke "ld" (i32.const 144)) (i32.const 11))
(assert_return (invoke "ld" (i32.const 156)) (i32.const 44))
(assert_return (invoke "ld" (i32.const 64)) (i32.const 0))
