package wasmtime

// The generated bindings' runtime suites (runtimetest/suite), run on every
// engine of Engines: the same table-driven kitchen-sink and hostile tests
// that runtimetest/suite's own tests run on wazero, here
// run on wazero's compiler, wazero's interpreter and wasmtime from one
// table, against the unchanged generated code.
//
//	go test -run 'TestKitchenSink|TestHostile' -v   # per-engine results

import (
	"testing"

	"github.com/wasmhost/wit-bindgen-go-host/runtimetest/suite"
)

// suiteEngines is Engines, or only wasmtime with -short (the wazero
// engines run the same suites in the main module's own tests).
func suiteEngines() []Engine {
	if testing.Short() {
		return Engines[len(Engines)-1:]
	}
	return Engines
}

func TestKitchenSink(t *testing.T) {
	for _, e := range suiteEngines() {
		t.Run(e.Name, func(t *testing.T) { suite.KitchenSink(t, suite.NewRuntime(e.New)) })
	}
}

func TestHostile(t *testing.T) {
	for _, e := range suiteEngines() {
		t.Run(e.Name, func(t *testing.T) { suite.Hostile(t, suite.NewRuntime(e.New)) })
	}
}
