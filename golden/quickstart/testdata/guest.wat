;; A hand-written guest of world example:greeter/greeter-world
;; (testdata/quickstart/greeter.wit), following the canonical ABI:
;;   greet(name) logs name at level info, then returns
;;   - err(empty-name) for "", err(too-long(len)) above 10 bytes,
;;   - an invalid result discriminant (7) for "bad-disc",
;;   - for "leave-me", a normal result, but cabi_post then calls log (which
;;     the canonical ABI forbids),
;;   - otherwise ok({text: name, count: n}) with n counting successes.
;; Rebuild with ./build.sh.
(module
  (import "example:greeter/logging@0.1.0" "log" (func $log (param i32 i32 i32)))
  (memory (export "memory") 1)
  (global $bump (mut i32) (i32.const 1024))
  (global $count (mut i32) (i32.const 0))
  (global $posts (mut i32) (i32.const 0))
  (global $leave (mut i32) (i32.const 0))
  (data (i32.const 64) "bad-disc")
  (data (i32.const 72) "leave-me")

  (func (export "cabi_realloc") (param $old i32) (param $oldsz i32) (param $align i32) (param $new i32) (result i32)
    (local $p i32)
    (local.set $p
      (i32.and
        (i32.sub (i32.add (global.get $bump) (local.get $align)) (i32.const 1))
        (i32.sub (i32.const 0) (local.get $align))))
    (global.set $bump (i32.add (local.get $p) (local.get $new)))
    (if (local.get $oldsz)
      (then (memory.copy (local.get $p) (local.get $old) (local.get $oldsz))))
    (local.get $p))

  (func $is (param $ptr i32) (param $len i32) (param $want i32) (result i32)
    (if (i32.ne (local.get $len) (i32.const 8)) (then (return (i32.const 0))))
    (i64.eq (i64.load (local.get $ptr)) (i64.load (local.get $want))))

  (func (export "example:greeter/greeter@0.1.0#greet") (param $ptr i32) (param $len i32) (result i32)
    (call $log (i32.const 1) (local.get $ptr) (local.get $len))
    (if (i32.eqz (local.get $len))
      (then
        (i32.store8 (i32.const 16) (i32.const 1))
        (i32.store8 (i32.const 20) (i32.const 0))
        (return (i32.const 16))))
    (if (i32.gt_u (local.get $len) (i32.const 10))
      (then
        (i32.store8 (i32.const 16) (i32.const 1))
        (i32.store8 (i32.const 20) (i32.const 1))
        (i32.store (i32.const 24) (local.get $len))
        (return (i32.const 16))))
    (global.set $leave (call $is (local.get $ptr) (local.get $len) (i32.const 72)))
    (if (call $is (local.get $ptr) (local.get $len) (i32.const 64))
      (then
        (i32.store8 (i32.const 16) (i32.const 7))
        (return (i32.const 16))))
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    (i32.store8 (i32.const 16) (i32.const 0))
    (i32.store (i32.const 20) (local.get $ptr))
    (i32.store (i32.const 24) (local.get $len))
    (i32.store (i32.const 28) (global.get $count))
    (i32.const 16))

  (func (export "cabi_post_example:greeter/greeter@0.1.0#greet") (param i32)
    (if (global.get $leave) (then (call $log (i32.const 0) (i32.const 0) (i32.const 0))))
    (global.set $posts (i32.add (global.get $posts) (i32.const 1))))

  (func (export "posts") (result i32) (global.get $posts))
)
