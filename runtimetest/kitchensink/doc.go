// Package kitchensink holds the generated Go host bindings for the
// kitchen-sink world (testdata/kitchen-sink): every WIT type in both
// directions. Its test runs suite.KitchenSink (runtimetest/suite) on
// wazero's compiler and interpreter (the wasmtime adapter runs the same
// suite from its own module): the prebuilt C guest
// testdata/kitchen-sink/kitchen-sink.wasm, checked on every echo-* and
// roundtrip-* export with edge values, the resource lifecycles and the
// guest's live-allocation count.
//
// The bindings are checked in; regenerate them whenever the generator
// changes (runtimetest.TestGeneratedUpToDate fails when they are stale).
package kitchensink

//go:generate go run ../../cmd/wit-bindgen-go-host generate --out . ../../testdata/kitchen-sink
