// Package kitchensink holds the generated Go host bindings for the
// kitchen-sink world (testdata/kitchen-sink): every WIT type in both
// directions. Its tests run the prebuilt C guest
// testdata/kitchen-sink/kitchen-sink.wasm on wazero's compiler and
// interpreter and check every echo-* and roundtrip-* export with edge
// values, the resource lifecycles and the guest's live-allocation count.
//
// The bindings are checked in; regenerate them whenever the generator
// changes (runtimetest.TestGeneratedUpToDate fails when they are stale).
package kitchensink

//go:generate go run ../../cmd/wit-bindgen-go-host generate --out . ../../testdata/kitchen-sink
