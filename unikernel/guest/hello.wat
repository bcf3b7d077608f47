;; The default guest packed into the unikernel image until the demo guest
;; exists: a reactor-shaped module (memory, _initialize, one export) with no
;; imports. Rebuild hello.wasm with: go generate ./unikernel/guest
(module
  (memory (export "memory") 1)
  (global $ready (mut i32) (i32.const 0))
  (func (export "_initialize")
    (global.set $ready (i32.const 1)))
  ;; hello() returns 42 once _initialize has run, 0 before.
  (func (export "hello") (result i32)
    (select (i32.const 42) (i32.const 0) (global.get $ready))))
