;; In a component, module types share the core type index space with
;; function and GC types; a core reference type `(ref $t)` names a heap
;; type, never a module type.

(assert_invalid
  (component
    (core type $m (module))
    (core type (func (param (ref $m)))))
  "type index 0 is a module type, not a heap type")

(assert_invalid
  (component
    (core type $m (module))
    (core type (sub (func (result (ref null $m))))))
  "type index 0 is a module type, not a heap type")

;; A reference to a function type is fine.
(component
  (core type $f (func))
  (core type (func (param (ref $f)))))
