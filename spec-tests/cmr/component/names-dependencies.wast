;; The dependency, url and integrity forms of import names (the Explainer's
;; earlier name grammar, which wasmparser still checks): package names with
;; versions and version ranges, URLs without brackets, and Subresource
;; Integrity hashes (sha256/384/512, base64, compared exactly).

(component definition
  (import "unlocked-dep=<a:b>" (func))
  (import "unlocked-dep=<a:c@*>" (func))
  (import "unlocked-dep=<a:d@{>=1.0.0}>" (func))
  (import "unlocked-dep=<a:e@{<2.0.0}>" (func))
  (import "unlocked-dep=<a:f@{>=1.0.0 <2.0.0}>" (func))
  (import "locked-dep=<a:g>" (func))
  (import "locked-dep=<a:h@1.2.3>" (func))
  (import "locked-dep=<a:i@1.2.3>,integrity=<sha256-abcd>" (func))
  (import "url=<https://example.com/x.wasm>" (func))
  (import "url=<https://example.com/y.wasm>,integrity=<sha512-AB+/cd==>" (func))
  (import "integrity=<sha384-YWJj sha256-ZGVm?opt>" (func))
  ;; base64 is case-sensitive: these two are different names
  (import "integrity=<sha256-AAAA>" (func))
  (import "integrity=<sha256-aaaa>" (func)))

(assert_invalid
  (component (import "unlocked-dep=<a:b@{>=1.0 <2.0.0}>" (func)))
  "`1.0` is not a valid semver")
(assert_invalid
  (component (import "unlocked-dep=<a:b@{~1.0.0}>" (func)))
  "invalid version range")
(assert_invalid
  (component (import "unlocked-dep=<a:b@1.0.0>" (func)))
  "expected a version range")
(assert_invalid
  (component (import "locked-dep=<a:b@1.x>" (func)))
  "is not a valid semver")
(assert_invalid
  (component (import "locked-dep=<A:b>" (func)))
  "is not lowercase")
(assert_invalid
  (component (import "locked-dep=<a:b>,url=<x>" (func)))
  "expected `integrity=`")
(assert_invalid
  (component (import "integrity=<md5-abcd>" (func)))
  "unrecognized hash algorithm")
(assert_invalid
  (component (import "integrity=<sha256abcd>" (func)))
  "expected `-` after hash algorithm")
(assert_invalid
  (component (import "integrity=<sha256-a$b>" (func)))
  "not valid base64")
(assert_invalid
  (component (import "integrity=<>" (func)))
  "integrity hash cannot be empty")
(assert_invalid
  (component (import "url=<a<b>" (func)))
  "url cannot contain `<`")
(assert_invalid
  (component
    (import "integrity=<sha256-AAAA>" (func))
    (import "integrity=<sha256-AAAA>" (func)))
  "conflicts with previous name")
