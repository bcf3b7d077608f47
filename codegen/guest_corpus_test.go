package codegen_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wasmhost/wit-bindgen-go-host/codegen"
)

// TestGuestCorpus generates guest bindings for every world of the
// wit-bindgen codegen corpus (and wasi-http 0.2.0) into one temporary
// module and runs one `GOOS=wasip1 GOARCH=wasm go build ./...` and one
// `go vet ./...` over it. Worlds the generator refuses must be refused
// with a *codegen.Diagnostic.
func TestGuestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping guest corpus build in -short mode")
	}
	cases := corpusCases(t)
	m := newCorpusModule(t, "guestcorpus.test", "g")
	m.generate(t, cases, codegen.GenerateGuest)
	bad := map[string]bool{}
	for _, verb := range []string{"build", "vet"} {
		m.goTool(t, verb, "GOOS=wasip1 GOARCH=wasm go "+verb+" ./...", []string{"GOOS=wasip1", "GOARCH=wasm", "GOFLAGS=-mod=mod", "GOWORK=off"}, bad)
	}
	ok := m.settle(bad)
	msg := fmt.Sprintf("guest corpus (%d worlds): %d built / %d refused-with-diagnostic / %d failed", len(cases), ok, len(m.refused), len(m.failed))
	t.Log(msg)
	fmt.Println(msg)
	if len(m.failed) > 0 {
		t.Errorf("failed: %s", strings.Join(m.failed, ", "))
	}
}
