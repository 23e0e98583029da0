;; memory64 and table64 where the official suite does not look: addresses
;; beyond what any host can hold. A 64-bit memory may declare 2^48 pages,
;; more than a JS host allocates, so memory.grow past what the host can
;; give returns -1 (the spec lets memory.grow fail for any reason). A u64
;; offset is decoded as such; an address plus offset beyond the memory is
;; an out-of-bounds trap, also where the sum passes 2^53 (cmr computes
;; addresses in doubles). Indices of a 64-bit table above 2^32 are
;; out of bounds, not wrapped to 32 bits.

(module
  (memory $m64 i64 1)
  (func (export "grow-huge") (result i64) (memory.grow $m64 (i64.const 0x1_0000_0000)))
  (func (export "size") (result i64) (memory.size $m64))
  (func (export "store") (param i64 i32) (i32.store8 $m64 (local.get 0) (local.get 1)))
  (func (export "load") (param i64) (result i32) (i32.load8_u $m64 (local.get 0)))
  (func (export "load-far") (param i64) (result i32) (i32.load $m64 offset=0xffff_ffff_ffff_fff0 (local.get 0)))
  (func (export "load-2^53") (param i64) (result i32) (i32.load8_u $m64 offset=0x20_0000_0000_0000 (local.get 0)))
  (func (export "load-4GiB") (param i64) (result i32) (i32.load8_u $m64 offset=0x1_0000_0000 (local.get 0)))
)
(assert_return (invoke "grow-huge") (i64.const -1))
(assert_return (invoke "size") (i64.const 1))
(assert_return (invoke "store" (i64.const 0xffff) (i32.const 42)))
(assert_return (invoke "load" (i64.const 0xffff)) (i32.const 42))
;; The high word of the address counts: 2^32 + 0xffff is not 0xffff.
(assert_trap (invoke "load" (i64.const 0x1_0000_ffff)) "out of bounds memory access")
(assert_trap (invoke "load" (i64.const -1)) "out of bounds memory access")
(assert_trap (invoke "load-far" (i64.const 0)) "out of bounds memory access")
(assert_trap (invoke "load-far" (i64.const 0x10)) "out of bounds memory access")
(assert_trap (invoke "load-2^53" (i64.const 0)) "out of bounds memory access")
(assert_trap (invoke "load-2^53" (i64.const 0xffff_ffff_ffff_ffff)) "out of bounds memory access")
(assert_trap (invoke "load-4GiB" (i64.const 0)) "out of bounds memory access")

(module
  (table $t i64 2 funcref)
  (elem (table $t) (i64.const 1) func $seven)
  (func $seven (result i32) (i32.const 7))
  (func (export "call") (param i64) (result i32) (call_indirect $t (result i32) (local.get 0)))
  (func (export "get-null") (param i64) (result i32) (ref.is_null (table.get $t (local.get 0))))
  (func (export "set-null") (param i64) (table.set $t (local.get 0) (ref.null func)))
  (func (export "fill-null") (param i64 i64) (table.fill $t (local.get 0) (ref.null func) (local.get 1)))
)
(assert_return (invoke "call" (i64.const 1)) (i32.const 7))
(assert_trap (invoke "call" (i64.const 0x1_0000_0001)) "undefined element")
(assert_trap (invoke "call" (i64.const 0)) "uninitialized element")
(assert_return (invoke "get-null" (i64.const 0)) (i32.const 1))
(assert_trap (invoke "get-null" (i64.const 0x1_0000_0000)) "out of bounds table access")
;; Indices whose low word is 2^31 or more (a negative int32 in the slot)
;; and indices of 2^32 or more whose low word is in bounds: out of bounds
;; however the words are read, never a wrapped or negative index.
(assert_trap (invoke "call" (i64.const 0x8000_0000)) "undefined element")
(assert_trap (invoke "call" (i64.const 0xffff_ffff)) "undefined element")
(assert_trap (invoke "get-null" (i64.const 0x8000_0001)) "out of bounds table access")
(assert_trap (invoke "get-null" (i64.const 0xffff_ffff)) "out of bounds table access")
(assert_trap (invoke "set-null" (i64.const 0x8000_0000)) "out of bounds table access")
(assert_trap (invoke "set-null" (i64.const 0x1_0000_0001)) "out of bounds table access")
(assert_trap (invoke "fill-null" (i64.const 0x8000_0000) (i64.const 1)) "out of bounds table access")
(assert_trap (invoke "fill-null" (i64.const 0x1_0000_0000) (i64.const 1)) "out of bounds table access")
(assert_trap (invoke "fill-null" (i64.const 0) (i64.const 0x1_0000_0001)) "out of bounds table access")
(assert_trap (invoke "fill-null" (i64.const 1) (i64.const 0xffff_ffff)) "out of bounds table access")
;; the traps above left the table as it was
(assert_return (invoke "call" (i64.const 1)) (i32.const 7))
