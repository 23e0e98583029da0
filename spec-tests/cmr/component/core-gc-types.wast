;; A component's core types (module types, rec groups, sub types) and the
;; core modules it instantiates compare by the core's canonical type
;; identity (iso-recursive equivalence), not by type index: an index is
;; relative to the type space it is written in.

;; A module type whose function type refers to a struct type matches a
;; module defining an equivalent struct at another index.
(component
  (core module $m
    (type $pad (func))
    (type $s (struct (field i32)))
    (type $f (func (param (ref null $s))))
    (func (export "f") (type $f)))
  (component $c
    (core type $mt (module
      (type $s (struct (field i32)))
      (type $f (func (param (ref null $s))))
      (export "f" (func (type $f)))))
    (import "m" (core module (type $mt))))
  (instance (instantiate $c (with "m" (core module $m)))))

;; The same indices naming different struct types do not match.
(assert_invalid
  (component
    (core module $m
      (type $s (struct (field i64)))
      (type $f (func (param (ref null $s))))
      (func (export "f") (type $f)))
    (component $c
      (core type $mt (module
        (type $s (struct (field i32)))
        (type $f (func (param (ref null $s))))
        (export "f" (func (type $f)))))
      (import "m" (core module (type $mt))))
    (instance (instantiate $c (with "m" (core module $m)))))
  "type mismatch in export `f`")

;; Equivalent rec groups of two members, in another order of definition
;; around them.
(component
  (core module $m
    (rec (type $n (struct (field (ref null $l)))) (type $l (struct (field i32) (field (ref null $n)))))
    (type $f (func (param (ref $l)) (result (ref null $n))))
    (func (export "f") (type $f) (ref.null $n)))
  (component $c
    (core type $mt (module
      (type $pad (struct))
      (type $pad2 (func))
      (rec (type $n (struct (field (ref null $l)))) (type $l (struct (field i32) (field (ref null $n)))))
      (type $f (func (param (ref $l)) (result (ref null $n))))
      (export "f" (func (type $f)))))
    (import "m" (core module (type $mt))))
  (instance (instantiate $c (with "m" (core module $m)))))

;; A struct type aliased into a module type from the component keeps its
;; identity.
(component
  (core type $s (struct (field i32)))
  (core type $mt (module
    (alias outer 1 $s (type $s))
    (type $f (func (param (ref $s))))
    (export "f" (func (type $f)))))
  (core module $m
    (type $t (struct (field i32)))
    (type $f (func (param (ref $t))))
    (func (export "f") (type $f)))
  (component $c (import "m" (core module (type $mt))))
  (instance (instantiate $c (with "m" (core module $m)))))

;; Core instances: a global of a struct type defined at index 0 in one
;; module satisfies an import of the same type at index 1 in another...
(component
  (core module $a
    (type $s (struct (field i32)))
    (global (export "g") (ref null $s) (ref.null $s)))
  (core module $b
    (type $pad (func))
    (type $s (struct (field i32)))
    (import "a" "g" (global (ref null $s))))
  (core instance $ia (instantiate $a))
  (core instance (instantiate $b (with "a" (instance $ia)))))

;; ...and not one of another struct type at the same index.
(assert_invalid
  (component
    (core module $a
      (type $s (struct (field i64)))
      (global (export "g") (ref null $s) (ref.null $s)))
    (core module $b
      (type $s (struct (field i32)))
      (import "a" "g" (global (ref null $s))))
    (core instance $ia (instantiate $a))
    (core instance (instantiate $b (with "a" (instance $ia)))))
  "type mismatch for export `g` of module instantiation argument `a`")

;; Core type definitions in a component: a rec group defines one type per
;; member (instantiation too), and a sub type must match its supertype
;; field by field, not only in its form.
(component
  (core rec (type $a (sub (struct (field i32)))) (type $b (sub $a (struct (field i32) (field i64)))))
  (core type (func)))

(assert_invalid
  (component
    (core rec (type $a (sub (struct (field i32)))) (type $b (sub $a (struct (field i64))))))
  "sub type must match super type")
