;; A recursive Fibonacci, the debugger's example (README "Debug"):
;;
;;   cmr debug examples/fib.wat --invoke 'fib(i32.const 5)'
;;
;; fib(n) = n for n < 2, else fib(n - 1) + fib(n - 2).
(module
  (func $fib (export "fib") (param $n i32) (result i32)
    (local $a i32)
    (if (result i32) (i32.lt_s (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else
        (local.set $a (call $fib (i32.sub (local.get $n) (i32.const 1))))
        (i32.add (local.get $a)
                 (call $fib (i32.sub (local.get $n) (i32.const 2))))))))
