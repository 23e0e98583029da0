// Core modules of test components that several tests share: a memory with
// an allocator for the canonical ABI's realloc. Each is the text of one
// `(core module $name …)` form, to put in a component's text.

/**
 * Memory "mem", a bump allocator "realloc" that grows the last block in
 * place (transcoding reallocs it), and "post-return", which counts its calls
 * in global "post".
 */
export function growInPlaceLibc(name: string): string {
  return `  (core module ${name}
    (memory (export "mem") 1)
    (global $top (mut i32) (i32.const 1024))
    (global $post (export "post") (mut i32) (i32.const 0))
    ;; A bump allocator that grows the last block in place (transcoding reallocs it).
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (if (i32.and (i32.ne (local.get 0) (i32.const 0)) (i32.eq (i32.add (local.get 0) (local.get 1)) (global.get $top)))
        (then (global.set $top (i32.add (local.get 0) (local.get 3))) (return (local.get 0))))
      (global.set $top (i32.and (i32.add (global.get $top) (i32.sub (local.get 2) (i32.const 1))) (i32.sub (i32.const 0) (local.get 2))))
      (local.set $p (global.get $top))
      (global.set $top (i32.add (global.get $top) (local.get 3)))
      (local.get $p))
    (func (export "post-return") (param i32) (global.set $post (i32.add (global.get $post) (i32.const 1)))))`;
}

/** Memory "mem" and a bump allocator "realloc": shrinking keeps the block, growing copies it. */
export function copyingLibc(name: string): string {
  return `    (core module ${name}
      (memory (export "mem") 1)
      (global $next (mut i32) (i32.const 1024))
      ;; a bump allocator: shrinking keeps the block, growing copies it
      (func (export "realloc") (param $old i32) (param $osize i32) (param $align i32) (param $nsize i32) (result i32)
        (local $r i32)
        (if (i32.and (i32.ne (local.get $old) (i32.const 0)) (i32.le_u (local.get $nsize) (local.get $osize)))
          (then (return (local.get $old))))
        (local.set $r (i32.and (i32.add (global.get $next) (i32.sub (local.get $align) (i32.const 1))) (i32.sub (i32.const 0) (local.get $align))))
        (global.set $next (i32.add (local.get $r) (local.get $nsize)))
        (if (i32.ne (local.get $old) (i32.const 0))
          (then (memory.copy (local.get $r) (local.get $old) (local.get $osize))))
        (local.get $r)))`;
}
