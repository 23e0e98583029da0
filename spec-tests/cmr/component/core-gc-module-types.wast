;; Core module types (Binary.md core:moduletype) whose imports and exports
;; are globals and tables of WebAssembly 3.0 reference types, and whose type
;; declarators are rec groups, sub, struct and array types: what GC
;; toolchains put in components. wasm-tools writes a non-final sub in a
;; module type as a bare 0x50. References in a module type name its own
;; types, which match a module's by canonical identity (iso-recursive
;; equivalence, declared subtyping), not by index.
;;
;; In module types the global and table types use numeric type indices:
;; the text front end (wasm-tools' wast crate) panics on a named index there
;; ("unresolved index in emission").

;; Rec groups, sub types (a bare 0x50 in the binary), struct and array
;; types in a module type, matched by a module that defines the same types
;; after others.
(component
  (core module $m
    (type $pad (func))
    (rec (type $a (sub (struct (field i32)))) (type $b (sub $a (struct (field i32) (field (ref null $a))))))
    (type $c (sub $a (struct (field i32))))
    (type $arr (array (mut i8)))
    (type $f (func (param (ref $b) (ref null $c)) (result (ref null $arr))))
    (func (export "f") (type $f) (ref.null $arr)))
  (component $c
    (core type $mt (module
      (rec (type $a (sub (struct (field i32)))) (type $b (sub $a (struct (field i32) (field (ref null $a))))))
      (type $c (sub $a (struct (field i32))))
      (type $arr (array (mut i8)))
      (type $f (func (param (ref $b) (ref null $c)) (result (ref null $arr))))
      (export "f" (func (type $f)))))
    (import "m" (core module (type $mt))))
  (instance (instantiate $c (with "m" (core module $m)))))

;; Imports and exports of globals and tables of reference types: concrete
;; (a struct of the module type), abstract (anyref, structref) and
;; non-nullable ((ref func)).
(component
  (core module $m
    (type $pad (array i8))
    (type $s (struct (field i32)))
    (import "a" "g" (global (ref null $s)))
    (import "a" "t" (table 1 (ref null $s)))
    (global (export "h") anyref (ref.null any))
    (global (export "k") (ref null struct) (ref.null struct))
    (global (export "s") (ref null $s) (global.get 0))
    (table (export "f") 1 (ref func) (ref.func $x))
    (func $x))
  (component $c
    (core type $mt (module
      (type $s (struct (field i32)))
      (import "a" "g" (global (ref null 0)))
      (import "a" "t" (table 1 (ref null 0)))
      (export "h" (global anyref))
      (export "k" (global structref))
      (export "s" (global (ref null 0)))
      (export "f" (table 1 (ref func)))))
    (import "m" (core module (type $mt))))
  (instance (instantiate $c (with "m" (core module $m)))))

;; An exported immutable global may be of a subtype of the expected type
;; (core import matching): a module's (ref $b), $b a declared subtype of
;; $a, and (ref null $a) or eqref expected.
(component
  (core module $m
    (type $a (sub (struct (field i32))))
    (type $b (sub $a (struct (field i32) (field i64))))
    (global (export "g") (ref $b) (struct.new_default $b))
    (global (export "e") (ref $b) (struct.new_default $b)))
  (component $c
    (core type $mt (module
      (type $a (sub (struct (field i32))))
      (export "g" (global (ref null 0)))
      (export "e" (global eqref))))
    (import "m" (core module (type $mt))))
  (instance (instantiate $c (with "m" (core module $m)))))

;; A module may import a supertype of what the module type promises to
;; supply: the module type imports (ref null $s), the module anyref.
(component
  (core module $m (import "a" "g" (global anyref)))
  (component $c
    (core type $mt (module
      (type $s (struct (field i32)))
      (import "a" "g" (global (ref null 0)))))
    (import "m" (core module (type $mt))))
  (instance (instantiate $c (with "m" (core module $m)))))

;; Mismatches, in the words of the component-model suite's module-type
;; mismatches: a struct type of other fields at the same index...
(assert_invalid
  (component
    (core module $m
      (type $s (struct (field i64)))
      (global (export "g") (ref null $s) (ref.null $s)))
    (component $c
      (core type $mt (module
        (type $s (struct (field i32)))
        (export "g" (global (ref null 0)))))
      (import "m" (core module (type $mt))))
    (instance (instantiate $c (with "m" (core module $m)))))
  "type mismatch in export `g`")

;; ...a supertype where a subtype is expected...
(assert_invalid
  (component
    (core module $m
      (type $a (sub (struct (field i32))))
      (type $b (sub $a (struct (field i32) (field i64))))
      (global (export "g") (ref null $a) (ref.null $a)))
    (component $c
      (core type $mt (module
        (type $a (sub (struct (field i32))))
        (type $b (sub 0 (struct (field i32) (field i64))))
        (export "g" (global (ref null 1)))))
      (import "m" (core module (type $mt))))
    (instance (instantiate $c (with "m" (core module $m)))))
  "type mismatch in export `g`")

;; ...the same struct types without the declared subtyping...
(assert_invalid
  (component
    (core module $m
      (type $a (struct (field i32)))
      (type $b (struct (field i32) (field i64)))
      (global (export "g") (ref null $b) (ref.null $b)))
    (component $c
      (core type $mt (module
        (type $a (struct (field i32)))
        (export "g" (global (ref null 0)))))
      (import "m" (core module (type $mt))))
    (instance (instantiate $c (with "m" (core module $m)))))
  "type mismatch in export `g`")

;; ...a nullable global where a non-nullable one is expected...
(assert_invalid
  (component
    (core module $m
      (type $s (struct))
      (global (export "g") (ref null $s) (ref.null $s)))
    (component $c
      (core type $mt (module
        (type $s (struct))
        (export "g" (global (ref 0)))))
      (import "m" (core module (type $mt))))
    (instance (instantiate $c (with "m" (core module $m)))))
  "type mismatch in export `g`")

;; ...a mutable global of a subtype (mutable globals match only their own type)...
(assert_invalid
  (component
    (core module $m
      (type $s (struct))
      (global (export "g") (mut (ref null $s)) (ref.null $s)))
    (component $c
      (core type $mt (module
        (export "g" (global (mut structref)))))
      (import "m" (core module (type $mt))))
    (instance (instantiate $c (with "m" (core module $m)))))
  "type mismatch in export `g`")

;; ...a table of a subtype (table element types must be equivalent)...
(assert_invalid
  (component
    (core module $m
      (type $s (struct))
      (table (export "t") 1 (ref null $s)))
    (component $c
      (core type $mt (module
        (export "t" (table 1 structref))))
      (import "m" (core module (type $mt))))
    (instance (instantiate $c (with "m" (core module $m)))))
  "type mismatch in export `t`")

;; ...and a module importing a subtype of what the module type supplies.
(assert_invalid
  (component
    (core module $m
      (type $s (struct (field i32)))
      (import "a" "g" (global (ref null $s))))
    (component $c
      (core type $mt (module
        (import "a" "g" (global anyref))))
      (import "m" (core module (type $mt))))
    (instance (instantiate $c (with "m" (core module $m)))))
  "type mismatch in import `a::g`")

;; A reference in a module type names a type of the module type, defined
;; before it.
(assert_invalid
  (component
    (core type $mt (module
      (import "a" "g" (global (ref null 0)))
      (type $s (struct)))))
  "unknown type 0: type index out of bounds")

(assert_invalid
  (component
    (core type $mt (module
      (type $s (struct))
      (export "t" (table 1 (ref 1))))))
  "unknown type 1: type index out of bounds")

;; A struct type aliased from the component into a module type keeps its
;; identity in a global's type.
(component
  (core type $s (struct (field i32)))
  (core type $mt (module
    (alias outer 1 $s (type $s))
    (export "g" (global (ref null 0)))))
  (core module $m
    (type $t (struct (field i32)))
    (global (export "g") (ref null $t) (ref.null $t)))
  (component $c (import "m" (core module (type $mt))))
  (instance (instantiate $c (with "m" (core module $m)))))

;; Linked and run: a core module imports a global (ref null $s) from
;; another core instance, whose struct it reads; the component lifts that.
(component
  (core module $a
    (type $s (struct (field i32)))
    (global (export "g") (ref null $s) (struct.new $s (i32.const 42))))
  (core module $b
    (type $pad (func))
    (type $s (struct (field i32)))
    (import "a" "g" (global $g (ref null $s)))
    (func (export "get") (result i32) (struct.get $s 0 (global.get $g))))
  (core instance $ia (instantiate $a))
  (core instance $ib (instantiate $b (with "a" (instance $ia))))
  (func (export "get") (result u32) (canon lift (core func $ib "get"))))
(assert_return (invoke "get") (u32.const 42))
