;; A hand-written guest of world test:spill/spill (testdata/spill/spill.wit).
;; Every export forwards to the import of the same name, passing the
;; spilled-parameter pointer and a return area straight through, so a call
;; exercises the host's spilling and return-pointer code in both directions.
;; Rebuild with ./build.sh.
(module
  (import "test:spill/wide" "many" (func $many (param i32 i32)))
  (import "test:spill/wide" "big-in" (func $big_in (param i32) (result i64)))
  (import "test:spill/wide" "big-out" (func $big_out (param i64 i32)))
  (import "test:spill/wide" "pair" (func $pair (param i32)))
  (import "test:spill/wide" "sixteen" (func $sixteen (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
  (memory (export "memory") 1)
  (global $bump (mut i32) (i32.const 4096))

  (func (export "cabi_realloc") (param $old i32) (param $oldsz i32) (param $align i32) (param $new i32) (result i32)
    (local $p i32)
    (local.set $p
      (i32.and
        (i32.sub (i32.add (global.get $bump) (local.get $align)) (i32.const 1))
        (i32.sub (i32.const 0) (local.get $align))))
    (global.set $bump (i32.add (local.get $p) (local.get $new)))
    (local.get $p))

  (func (export "test:spill/wide#many") (param $args i32) (result i32)
    (call $many (local.get $args) (i32.const 1024))
    (i32.const 1024))
  (func (export "test:spill/wide#big-in") (param $args i32) (result i64)
    (call $big_in (local.get $args)))
  (func (export "test:spill/wide#big-out") (param $x i64) (result i32)
    (call $big_out (local.get $x) (i32.const 2048))
    (i32.const 2048))
  (func (export "test:spill/wide#pair") (result i32)
    (call $pair (i32.const 3072))
    (i32.const 3072))
  (func (export "test:spill/wide#sixteen")
    (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
    (call $sixteen
      (local.get 0) (local.get 1) (local.get 2) (local.get 3)
      (local.get 4) (local.get 5) (local.get 6) (local.get 7)
      (local.get 8) (local.get 9) (local.get 10) (local.get 11)
      (local.get 12) (local.get 13) (local.get 14) (local.get 15)))
)
