// Package peerbench holds peer benchmarks of the generated kitchen-sink
// bindings (golden/kitchen-sink): the same calls as the main module's
// runtimetest/bench, through
//
//	(a) the generated bindings on wazero (runtimeadapters/wazero),
//	(b) the same generated bindings on the wasmtime adapter,
//	(c) wasmtime's native component model through its C API
//	    (internal/componentoracle), on the same core guest wrapped as a
//	    component (c: through componentoracle's Go values; c-direct:
//	    through the C API by hand, direct.go),
//	(d) runtimetest/bench's hand-written raw-wazero baseline.
//
// Direct (direct.go, direct.c) is the hand-written C API path (c-direct);
// the rest is in the test files (peerbench_test.go, component_test.go).
// Results: the "Peer benchmarks" section of ../README.md.
package peerbench
