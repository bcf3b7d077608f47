// Package golden holds the generator's golden outputs: golden/<case>/ is
// the Go package generated from testdata/<case>/ (see golden_test.go). The
// outputs are real packages of this module, so `go build ./...` and `go vet
// ./...` cover them. Hand-written *_test.go files next to them exercise the
// generated code; live.go in kitchen-sink and hostile exports the handle
// count for the suites' leak checks.
//
// golden/kitchen-sink and golden/hostile are also the bindings that the
// runtime suites (runtimetest/suite), the benchmarks (runtimetest/bench)
// and the wasmtime module's tests run against real guests.
//
// go generate (make generate, make check-generated) rewrites them, as make
// golden does.
package golden

//go:generate go test -count=1 -run ^TestGolden$ -update .
