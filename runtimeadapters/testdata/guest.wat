;; Test guest for runtimeadapters/wazero. Rebuild with ./build.sh.
(module
  (import "host" "add" (func $host_add (param i32 i32) (result i32)))
  (import "host" "fail" (func $host_fail))
  (import "host" "init" (func $host_init))
  (memory (export "memory") 1 200)
  (global $heap (mut i32) (i32.const 1024))
  (global $initialized (export "initialized") (mut i32) (i32.const 0))

  (func (export "_initialize")
    (global.set $initialized (i32.const 1))
    (call $host_init))

  ;; Scalars.
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func (export "nop"))
  (func (export "mix") (param i64 f32 f64) (result f64 i64)
    (f64.add (f64.promote_f32 (local.get 1)) (local.get 2))
    (i64.mul (local.get 0) (i64.const 2)))

  ;; Calls into the host.
  (func (export "call-host-add") (param i32 i32) (result i32)
    (call $host_add (local.get 0) (local.get 1)))
  (func (export "host-loop") (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (call $host_add (local.get $acc) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  (func (export "call-fail") (call $host_fail))

  ;; Traps.
  (func (export "unreachable") unreachable)
  (func (export "oob") (result i32) (i32.load (i32.const 0xfffffff0)))
  (func $recurse (export "recurse") (param i32) (result i32)
    (call $recurse (i32.add (local.get 0) (i32.const 1))))
  (func (export "loop") (loop $l (br $l)))

  ;; cabi_realloc: a bump allocator that grows memory as needed and copies
  ;; the old contents when reallocating.
  (func $realloc (export "cabi_realloc") (param $old i32) (param $oldSize i32) (param $align i32) (param $newSize i32) (result i32)
    (local $ptr i32) (local $end i32) (local $need i32)
    (local.set $ptr
      (i32.and
        (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
    (local.set $end (i32.add (local.get $ptr) (local.get $newSize)))
    (if (i32.gt_u (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
      (then
        (local.set $need
          (i32.sub
            (i32.shr_u (i32.add (local.get $end) (i32.const 65535)) (i32.const 16))
            (memory.size)))
        (if (i32.eq (memory.grow (local.get $need)) (i32.const -1))
          (then unreachable))))
    (global.set $heap (local.get $end))
    (if (local.get $oldSize)
      (then (memory.copy (local.get $ptr) (local.get $old) (local.get $oldSize))))
    (local.get $ptr))

  ;; Hostile reallocs, passed to the helpers as their realloc function.
  (func (export "realloc-misaligned") (param i32 i32 i32 i32) (result i32)
    (i32.add (call $realloc (local.get 0) (local.get 1) (local.get 2) (i32.add (local.get 3) (i32.const 1))) (i32.const 1)))
  (func (export "realloc-oob") (param i32 i32 i32 i32) (result i32)
    (i32.const 0xfffffff0))
  (func (export "realloc-trap") (param i32 i32 i32 i32) (result i32)
    unreachable)

  ;; Exported heap pointer, to check allocations, and a reset for benchmarks.
  (func (export "heap") (result i32) (global.get $heap))
  (func (export "reset-heap") (global.set $heap (i32.const 1024)))
)
