// Package hostile holds the generated Go host bindings for
// testdata/hostile/hostile.wit. Its test runs suite.Hostile
// (runtimetest/suite) on wazero's compiler and interpreter; the wasmtime
// adapter runs the same suite from its own module. The suite runs the 45
// hostile guests of testdata/hostile (each ok.wasm with one canonical-ABI
// violation) and checks that every violation comes back as a Go error from
// the call (or from Instantiate for the bind-time ones), never as a panic,
// and that the host stays usable afterwards.
//
// The bindings are checked in; regenerate them whenever the generator
// changes (runtimetest.TestGeneratedUpToDate fails when they are stale).
package hostile

//go:generate go run ../../cmd/wit-bindgen-go-host generate --out . ../../testdata/hostile/hostile.wit
