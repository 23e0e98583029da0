;; Types named by imports and exports (wasmparser's "all types named" rule,
;; which every binding generator relies on): a resource used by an import
;; or export must have a name in that direction. wit-component emits an
;; instance type that re-exports an imported resource under an `eq` name and
;; writes its handles against that name, for every resource `use`d across
;; WASI interfaces. Each verdict below agrees with wasmparser.

;; The name an instance type gives an outer resource with `eq` names it.
(component definition $eq-name
  (type $tp (instance (export "pollable" (type (sub resource)))))
  (import "wasi:io/poll@0.2.12" (instance $poll (type $tp)))
  (alias export $poll "pollable" (type $pollable))
  (type $tc (instance (alias outer 1 $pollable (type)) (export "pollable" (type (eq 0)))
                      (type (own 1)) (type (func (result 2))) (export "s" (func (type 3)))))
  (import "wasi:clocks/monotonic-clock@0.2.12" (instance (type $tc))))

;; The outer alias itself is named by the first import.
(component definition $outer-name
  (type $tp (instance (export "pollable" (type (sub resource)))))
  (import "wasi:io/poll@0.2.12" (instance $poll (type $tp)))
  (alias export $poll "pollable" (type $pollable))
  (type $tc (instance (alias outer 1 $pollable (type)) (export "pollable" (type (eq 0)))
                      (type (own 0)) (type (func (result 2))) (export "s" (func (type 3)))))
  (import "wasi:clocks/monotonic-clock@0.2.12" (instance (type $tc))))

;; An alias of the `eq` export carries its name to a later import.
(component definition $alias-of-eq-name
  (type $tp (instance (export "pollable" (type (sub resource)))))
  (import "wasi:io/poll@0.2.12" (instance $poll (type $tp)))
  (alias export $poll "pollable" (type $pollable))
  (type $tc (instance (alias outer 1 $pollable (type)) (export "pollable" (type (eq 0)))
                      (type (own 1)) (type (func (result 2))) (export "s" (func (type 3)))))
  (import "wasi:clocks/monotonic-clock@0.2.12" (instance $clock (type $tc)))
  (alias export $clock "pollable" (type $p2))
  (type $own2 (own $p2))
  (type $f (func (param "p" $own2)))
  (import "f" (func (type $f))))

;; A resource the component defines has no name in an imported instance
;; type that only aliases it ...
(assert_invalid
  (component
    (type $r (resource (rep i32)))
    (type $tc (instance (alias outer 1 $r (type))
                        (type (own 0)) (type (func (result 1))) (export "s" (func (type 2)))))
    (import "i" (instance (type $tc))))
  "instance not valid to be used as import")

;; ... nor when the handle is written against the alias, not the `eq` name.
(assert_invalid
  (component
    (type $r (resource (rep i32)))
    (type $tc (instance (alias outer 1 $r (type)) (export "r" (type (eq 0)))
                        (type (own 0)) (type (func (result 2))) (export "s" (func (type 3)))))
    (import "i" (instance (type $tc))))
  "instance not valid to be used as import")

;; Named through `eq`, a locally defined resource is still not importable.
(assert_invalid
  (component
    (type $r (resource (rep i32)))
    (type $tc (instance (alias outer 1 $r (type)) (export "r" (type (eq 0)))
                        (type (own 1)) (type (func (result 2))) (export "s" (func (type 3)))))
    (import "i" (instance (type $tc))))
  "local resource type found in imports")

;; An imported instance type whose resource is freshened on import: the
;; record that holds a handle of it is one type after the substitution,
;; named by its export, and the function's list of it is the same record
;; (wit: `resource r; record rec { h: r } f: func() -> list<rec>`).
(component definition $record-of-fresh-resource
  (import "x" (instance
    (export "r" (type $r (sub resource)))
    (type $rec (record (field "h" (own $r))))
    (export "rec" (type $rece (eq $rec)))
    (type $l (list $rece))
    (export "f" (func (result $l))))))

;; wit-component's shim for an exported interface that `use`s a record of
;; another exported interface: the shim's `eq` imports are bound to the
;; outer types, and the record it exports is still the one its function's
;; list holds after the instantiation (`export api` with
;; `use types.{item, shape}; echo: func(xs: list<item>) -> list<item>`).
(component definition $shim-reexport
  (core module $m
    (memory (export "m") 0)
    (func (export "echo") (param i32 i32) (result i32) (i32.const 0))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) (i32.const 0)))
  (core instance $i (instantiate $m))
  (type $shape (variant (case "circle" f64) (case "none")))
  (type $item (record (field "name" string) (field "s" $shape)))
  (component $types-shim
    (type $v (variant (case "circle" f64) (case "none")))
    (export $s "shape" (type $v))
    (type $r (record (field "name" string) (field "s" $s)))
    (export "item" (type $r)))
  (instance $types (instantiate $types-shim))
  (export $typesE "types" (instance $types))
  (type $items (list $item))
  (func $echo (param "xs" $items) (result $items)
    (canon lift (core func $i "echo") (memory (core memory $i "m")) (realloc (core func $i "realloc"))))
  (alias export $typesE "shape" (type $shapeE))
  (alias export $typesE "item" (type $itemE))
  (component $api-shim
    (type $v (variant (case "circle" f64) (case "none")))
    (import "import-type-shape" (type $s (eq $v)))
    (type $r (record (field "name" string) (field "s" $s)))
    (import "import-type-item" (type $it (eq $r)))
    (import "import-type-item0" (type $it0 (eq $it)))
    (type $l (list $it0))
    (import "import-func-echo" (func $f (param "xs" $l) (result $l)))
    (export $ite "item" (type $it))
    (export "shape" (type $s))
    (type $le (list $ite))
    (export "echo" (func $f) (func (param "xs" $le) (result $le))))
  (instance $api (instantiate $api-shim
    (with "import-func-echo" (func $echo))
    (with "import-type-shape" (type $shapeE))
    (with "import-type-item" (type $itemE))
    (with "import-type-item0" (type $item))))
  (export "api" (instance $api)))
