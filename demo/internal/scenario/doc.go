// Package scenario holds the demo's acceptance scenario run against the
// host packages (config, keyvalue, httpserver) with a Go stand-in for the
// guest, on every key-value backend. The end-to-end test with real guests
// will run the same steps through the generated bindings.
package scenario
