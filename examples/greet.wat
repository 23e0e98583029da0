;; The README's `cmr run` example: a component exporting
;; `greet: func(name: string) -> string`, at the top level and again inside
;; the interface `docs:hello/greeter`.
;;
;;   cmr run examples/greet.wat --invoke 'greet(str.const "you")'
;;   cmr run examples/greet.wat --invoke 'docs:hello/greeter#greet(str.const "you")'
;;
;; both print (str.const "hello, you").
(component
  (core module $m
    (memory (export "mem") 1)
    ;; "hello, " at 0; the result's pointer/length pair at 8; allocations from 1024.
    (data (i32.const 0) "hello, ")
    (global $next (mut i32) (i32.const 1024))
    ;; A bump allocator: canon lift calls it to place the argument.
    (func $realloc (export "realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $next) (i32.sub (local.get $align) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get $align))))
      (global.set $next (i32.add (local.get $p) (local.get $size)))
      (local.get $p))
    ;; greet(ptr, len): "hello, " followed by the name, returned through the pair at 8.
    (func (export "greet") (param $ptr i32) (param $len i32) (result i32)
      (local $out i32)
      (local.set $out (call $realloc (i32.const 0) (i32.const 0) (i32.const 1) (i32.add (local.get $len) (i32.const 7))))
      (memory.copy (local.get $out) (i32.const 0) (i32.const 7))
      (memory.copy (i32.add (local.get $out) (i32.const 7)) (local.get $ptr) (local.get $len))
      (i32.store (i32.const 8) (local.get $out))
      (i32.store (i32.const 12) (i32.add (local.get $len) (i32.const 7)))
      (i32.const 8)))
  (core instance $i (instantiate $m))
  (func $greet (param "name" string) (result string)
    (canon lift (core func $i "greet") (memory (core memory $i "mem")) (realloc (core func $i "realloc"))))
  (export "greet" (func $greet))
  (instance $greeter (export "greet" (func $greet)))
  (export "docs:hello/greeter" (instance $greeter)))
