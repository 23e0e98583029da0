;; The `memory` canonical option names a plain linear memory: a shared
;; memory would let other threads race with lifting and lowering.

(assert_invalid
  (component
    (core module $m
      (memory (export "m") 1 1 shared)
      (func (export "f") (param i32 i32))
      (func (export "r") (param i32 i32 i32 i32) (result i32) (i32.const 0)))
    (core instance $i (instantiate $m))
    (func (export "f") (param "s" string)
      (canon lift (core func $i "f") (memory (core memory $i "m")) (realloc (core func $i "r")))))
  "canonical option `memory` must not name a shared memory")

;; The same with an unshared memory is valid.
(component
  (core module $m
    (memory (export "m") 1 1)
    (func (export "f") (param i32 i32))
    (func (export "r") (param i32 i32 i32 i32) (result i32) (i32.const 0)))
  (core instance $i (instantiate $m))
  (func (export "f") (param "s" string)
    (canon lift (core func $i "f") (memory (core memory $i "m")) (realloc (core func $i "r")))))
