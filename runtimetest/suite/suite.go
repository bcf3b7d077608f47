// Package suite holds the runtime tests of the generated bindings as
// engine-parameterised suites: the same table-driven tests run on every
// runtimeadapters.Runtime, against the generated bindings in
// golden/kitchen-sink and golden/hostile. The wazero adapter runs them from
// this package's engines_test.go (compiler and interpreter); the wasmtime
// adapter, a nested module with cgo, runs them
// from runtimeadapters/wasmtime/engines_test.go. A new engine gets the whole
// suite by passing its runtime factory:
//
//	func TestKitchenSink(t *testing.T) {
//		suite.KitchenSink(t, func(t testing.TB) runtimeadapters.Runtime { ... })
//	}
//
// The suites read their guests from the repository's testdata directory,
// found from this package's source location, so they work from any
// package's test binary as long as the source tree is present.
package suite

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
)

// NewRuntime creates a fresh runtime and arranges for it to be closed when
// t ends. Host modules are defined once per runtime, so the suites call it
// for every guest instance they need.
type NewRuntime func(t testing.TB) runtimeadapters.Runtime

// TestdataPath returns the path of elem under the repository's testdata
// directory.
func TestdataPath(elem ...string) string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		panic("suite: cannot locate the source tree")
	}
	root := filepath.Join(filepath.Dir(file), "..", "..", "testdata")
	return filepath.Join(append([]string{root}, elem...)...)
}

// KitchenSink runs the kitchen-sink tests (testdata/kitchen-sink) on the
// engine newRT creates:
//
//   - Echo: every echo-* and roundtrip-* export with edge values, with no
//     guest allocation and no host handle left after each call;
//   - HostRejectsInvalidValues: Go values with no WIT meaning fail with the
//     right sentinel and leak nothing;
//   - Counter: the guest resource's lifecycle, including the re-entrant
//     destructor of consume-counter;
//   - Blob: the host resource's lifecycle;
//   - Ping: the empty call both ways;
//   - HostErrorTraps: a host error traps and locks the instance down.
func KitchenSink(t *testing.T, newRT NewRuntime) {
	for _, c := range []struct {
		name string
		run  func(*testing.T, NewRuntime)
	}{
		{"Echo", ksEcho},
		{"HostRejectsInvalidValues", ksHostRejectsInvalidValues},
		{"Counter", ksCounter},
		{"Blob", ksBlob},
		{"Ping", ksPing},
		{"HostErrorTraps", ksHostErrorTraps},
	} {
		t.Run(c.name, func(t *testing.T) { c.run(t, newRT) })
	}
}

// Hostile runs the hostile-guest tests (testdata/hostile) on the engine
// newRT creates:
//
//   - Variants: each of the 45 hostile guests fails the way its README row
//     says (or yields the spec's lenient value), without panics or leaks;
//   - LockdownAfterTrap: every trapping variant leaves its instance
//     refusing further calls;
//   - Reentrance: an import calling back into its busy instance gets
//     ErrReentrant;
//   - LoweringValidatesUTF8: invalid UTF-8 from the host never reaches the
//     guest.
func Hostile(t *testing.T, newRT NewRuntime) {
	t.Run("VariantsListed", hostileVariantsListed)
	for _, c := range []struct {
		name string
		run  func(*testing.T, NewRuntime)
	}{
		{"Variants", hostileHostile},
		{"LockdownAfterTrap", hostileLockdownAfterTrap},
		{"Reentrance", hostileReentrance},
		{"LoweringValidatesUTF8", hostileLoweringValidatesUTF8},
	} {
		t.Run(c.name, func(t *testing.T) { c.run(t, newRT) })
	}
}
