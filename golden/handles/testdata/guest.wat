;; A hand-written guest of world test:handles/handles
;; (testdata/handles/handles.wit), following the canonical ABI.
;; Accumulator reps are indices 1, 2, ... of an i32 array at 256.
;; Rebuild with ./build.sh.
(module
  (import "test:handles/host-res" "[constructor]counter" (func $counter_new (param i32) (result i32)))
  (import "test:handles/host-res" "[method]counter.inc" (func $counter_inc (param i32) (result i32)))
  (import "test:handles/host-res" "total" (func $total (param i32) (result i32)))
  (import "test:handles/host-res" "consume" (func $consume (param i32) (result i32)))
  (import "test:handles/host-res" "[resource-drop]counter" (func $counter_drop (param i32)))
  (import "[export]test:handles/guest-res" "[resource-new]acc" (func $acc_new (param i32) (result i32)))
  (import "[export]test:handles/guest-res" "[resource-rep]acc" (func $acc_rep (param i32) (result i32)))
  (import "[export]test:handles/guest-res" "[resource-drop]acc" (func $acc_drop (param i32)))
  (memory (export "memory") 1)
  (global $bump (mut i32) (i32.const 4096))
  (global $next_rep (mut i32) (i32.const 1))
  (global $dtors (mut i32) (i32.const 0))
  (global $consumed (mut i32) (i32.const 0))

  (func (export "cabi_realloc") (param $old i32) (param $oldsz i32) (param $align i32) (param $new i32) (result i32)
    (local $p i32)
    (local.set $p
      (i32.and
        (i32.sub (i32.add (global.get $bump) (local.get $align)) (i32.const 1))
        (i32.sub (i32.const 0) (local.get $align))))
    (global.set $bump (i32.add (local.get $p) (local.get $new)))
    (local.get $p))

  (func $slot (param $rep i32) (result i32)
    (i32.add (i32.const 256) (i32.mul (local.get $rep) (i32.const 4))))

  (func (export "test:handles/guest-res#[constructor]acc") (param $init i32) (result i32)
    (local $rep i32)
    (local.set $rep (global.get $next_rep))
    (global.set $next_rep (i32.add (local.get $rep) (i32.const 1)))
    (i32.store (call $slot (local.get $rep)) (local.get $init))
    (call $acc_new (local.get $rep)))

  ;; self is a borrow of the guest's own resource: the rep itself.
  (func (export "test:handles/guest-res#[method]acc.add") (param $rep i32) (param $n i32) (result i32)
    (i32.store (call $slot (local.get $rep))
      (i32.add (i32.load (call $slot (local.get $rep))) (local.get $n)))
    (i32.load (call $slot (local.get $rep))))

  (func (export "test:handles/guest-res#[dtor]acc") (param $rep i32)
    (global.set $dtors (i32.add (global.get $dtors) (i32.const 1))))

  (func (export "test:handles/guest-res#make-counter") (param $start i32) (result i32)
    (call $counter_new (local.get $start)))

  (func (export "test:handles/guest-res#peek") (param $h i32) (result i32)
    (local $v i32)
    (local.set $v (call $counter_inc (local.get $h)))
    (call $counter_drop (local.get $h))
    (local.get $v))

  (func (export "test:handles/guest-res#leak-borrow") (param $h i32))

  (func (export "test:handles/guest-res#sum") (param $a i32) (param $b i32) (result i32)
    (local $rb i32) (local $s i32)
    (local.set $rb (call $acc_rep (local.get $b)))
    (local.set $s (i32.add (i32.load (call $slot (local.get $a))) (i32.load (call $slot (local.get $rb)))))
    (call $acc_drop (local.get $b))
    (local.get $s))

  (func (export "test:handles/guest-res#use-host") (param $start i32) (result i32)
    (local $h i32) (local $t i32)
    (local.set $h (call $counter_new (local.get $start)))
    (drop (call $counter_inc (local.get $h)))
    (local.set $t (call $total (local.get $h)))
    (global.set $consumed (local.get $h))
    (i32.add (i32.mul (local.get $t) (i32.const 1000)) (call $consume (local.get $h))))

  (func (export "test:handles/guest-res#use-after-consume") (result i32)
    (call $counter_inc (global.get $consumed)))

  (func (export "test:handles/guest-res#dtor-calls") (result i32)
    (global.get $dtors))
)
