// Package difftest holds differential tests of the generated bindings
// against wasmtime's own component model: the kitchen-sink guest
// (testdata/kitchen-sink/kitchen-sink.wasm) runs once as a component under
// wasmtime's native canonical ABI (internal/componentoracle) and once as a
// core module under the generated bindings (golden/kitchen-sink) on
// wazero and on the wasmtime adapter, with the same random values (see
// difftest_test.go) and the same random sequences of resource operations
// (resource_diff_test.go).
package difftest

// The component text format cannot embed a core module's binary, so the
// component (built in component_test.go) inlines the core module's text
// form, made by wabt's wasm2wat and stored with the SHA-256 of its source.
//go:generate sh -c "wasm2wat ../../../testdata/kitchen-sink/kitchen-sink.wasm | gzip -9n > testdata/kitchen-sink.core.wat.gz"
//go:generate sh -c "sha256sum ../../../testdata/kitchen-sink/kitchen-sink.wasm | cut -d' ' -f1 > testdata/kitchen-sink.core.wat.sha256"
