;; A string lifted and lowered with string-encoding=latin1+utf16 comes back
;; unchanged, in both of its forms: Latin-1 (one byte per char) and UTF-16
;; (the length's high bit set), including a string that starts in Latin-1
;; and must be inflated to UTF-16 part-way while it is lowered (the
;; guest's realloc is asked to grow the buffer; it must keep the bytes).
;;
;; Found by `cmr fuzz --components`: jco 0.15 cannot run this component at
;; all; its bindings generator panics on latin1+utf16 ("assertion failed:
;; matches!(self.encoding, StringEncoding::UTF8 | StringEncoding::UTF16)",
;; function_bindgen.rs). Reproduce:
;;   cmr wast spec-tests/cmr/component/latin1-utf16-echo.wast --engine interp,native,jco

(component
  (core module $m
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $next) (i32.sub (local.get 2) (i32.const 1))) (i32.sub (i32.const 0) (local.get 2))))
      (global.set $next (i32.add (local.get $p) (local.get 3)))
      (memory.copy (local.get $p) (local.get 0) (select (local.get 1) (local.get 3) (i32.lt_u (local.get 1) (local.get 3))))
      (local.get $p))
    ;; echo: the string's pointer and tagged length, returned through memory.
    (func (export "echo") (param i32 i32) (result i32)
      (i32.store (i32.const 8) (local.get 0))
      (i32.store (i32.const 12) (local.get 1))
      (i32.const 8)))
  (core instance $i (instantiate $m))
  (func (export "echo") (param "s" string) (result string)
    (canon lift (core func $i "echo") (memory (core memory $i "mem")) (realloc (core func $i "realloc")) string-encoding=latin1+utf16)))

(assert_return (invoke "echo" (str.const "")) (str.const ""))
(assert_return (invoke "echo" (str.const "caf\u{e9}")) (str.const "caf\u{e9}"))
(assert_return (invoke "echo" (str.const "T\u{406f}h")) (str.const "T\u{406f}h"))
(assert_return (invoke "echo" (str.const "\u{1f600}\u{ff}")) (str.const "\u{1f600}\u{ff}"))
