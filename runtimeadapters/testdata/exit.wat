;; A WASI guest that exits, as a Go (wasip1) guest does on a fatal error such
;; as "all goroutines are asleep". Rebuild with ./build.sh.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func (export "exit") (param i32) (call $proc_exit (local.get 0)))
  (func (export "answer") (result i32) (i32.const 42)))
