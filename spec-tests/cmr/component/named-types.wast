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
