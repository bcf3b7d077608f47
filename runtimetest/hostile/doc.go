// Package hostile holds the generated Go host bindings for
// testdata/hostile/hostile.wit. Its tests run the 45 hostile guests of
// testdata/hostile (each ok.wasm with one canonical-ABI violation) and check
// that every violation comes back as a Go error from the call (or from
// Instantiate for the bind-time ones), never as a panic, and that the host
// stays usable afterwards.
//
// The bindings are checked in; regenerate them whenever the generator
// changes (runtimetest.TestGeneratedUpToDate fails when they are stale).
package hostile

//go:generate go run ../../cmd/wit-bindgen-go-host generate --out . ../../testdata/hostile/hostile.wit
