package wasmtime

// Tests of what is specific to the wasmtime adapter.

import (
	"context"
	"errors"
	"strings"
	"testing"

	ra "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
)

func wasmtimeFixture(t *testing.T) *fixture {
	return newFixture(t, func(t testing.TB) ra.Runtime { return newWasmtime(t, Config{}) })
}

// Closing an instance from inside one of its host calls is safe: the store
// is deleted when the outermost call returns.
func TestCloseInsideHostCall(t *testing.T) {
	ctx := context.Background()
	f := wasmtimeFixture(t)
	st := &state{}
	inst := f.instantiate(t, st)
	st.addHook = func(ctx context.Context, caller ra.Instance) error {
		return caller.Close(ctx)
	}
	err := mustFunc(t, inst, "call-host-add").Call(ctx, make([]uint64, 2))
	if !errors.Is(err, ra.ErrClosed) {
		t.Fatalf("call that closed its instance: %v", err)
	}
	if _, ok := Store(inst); ok {
		t.Fatal("store not deleted")
	}
	if err := mustFunc(t, inst, "add").Call(ctx, make([]uint64, 2)); !errors.Is(err, ra.ErrClosed) {
		t.Fatal(err)
	}
	if inst.Memory().Size() != 0 {
		t.Fatal("memory of a closed instance")
	}
}

func TestRuntimeClose(t *testing.T) {
	ctx := context.Background()
	rt, err := NewRuntime(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := rt.DefineHostModule(ctx, "host", hostDefs()); err != nil {
		t.Fatal(err)
	}
	cm, err := rt.Compile(ctx, readGuest(t, "guest.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	inst, err := rt.Instantiate(ctx, cm, ra.InstanceConfig{Data: &state{}})
	if err != nil {
		t.Fatal(err)
	}
	if err := rt.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := rt.Close(ctx); err != nil {
		t.Fatal("second Close:", err)
	}
	// Instances outlive the runtime (they own their store).
	stack := []uint64{40, 2}
	if err := inst.Function("call-host-add").Call(ctx, stack); err != nil || stack[0] != 42 {
		t.Fatalf("instance after runtime Close: %v", err)
	}
	inst.Close(ctx)
	cm.Close(ctx)
	for _, err := range []error{
		rt.DefineHostModule(ctx, "x", nil),
		func() error { _, err := rt.Compile(ctx, readGuest(t, "nomem.wasm")); return err }(),
		func() error { _, err := rt.Instantiate(ctx, cm, ra.InstanceConfig{}); return err }(),
	} {
		if err == nil || !strings.Contains(err.Error(), "closed") {
			t.Errorf("after Close: %v", err)
		}
	}
}

func TestConfig(t *testing.T) {
	if _, err := NewRuntime(Config{MaxWasmStack: -1}); err == nil {
		t.Fatal("negative stack accepted")
	}
	// A tiny wasm stack makes modest recursion overflow.
	ctx := context.Background()
	f := newFixture(t, func(t testing.TB) ra.Runtime { return newWasmtime(t, Config{MaxWasmStack: 64 << 10}) })
	err := mustFunc(t, f.instantiate(t, &state{}), "recurse").Call(ctx, make([]uint64, 1))
	var ee *EngineError
	if !errors.As(err, &ee) || !strings.Contains(err.Error(), "stack overflow") {
		t.Fatalf("recurse: %v", err)
	}
}

func TestInstantiateFromOtherRuntime(t *testing.T) {
	ctx := context.Background()
	f := wasmtimeFixture(t)
	other := newWasmtime(t, Config{})
	if _, err := other.Instantiate(ctx, f.cm, ra.InstanceConfig{}); err == nil || !strings.Contains(err.Error(), "another runtime") {
		t.Fatal(err)
	}
	wz := Engines[0].New(t)
	if _, err := wz.Instantiate(ctx, f.cm, ra.InstanceConfig{}); err == nil {
		t.Fatal("wazero instantiated a wasmtime module")
	}
}

// A start function stopped by its context: Instantiate fails with the
// context's error.
func TestInstantiateInterrupted(t *testing.T) {
	rt := newWasmtime(t, Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 30_000_000) // 30ms
	defer cancel()
	cm, err := rt.Compile(ctx, wat(t, `(module (func (export "_initialize") (loop $l (br $l))))`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = rt.Instantiate(ctx, cm, ra.InstanceConfig{StartFunctions: []string{"_initialize"}})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
}
