package wazero

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"

	ra "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
)

// buildGoGuest builds ../testdata/goguest (a GOOS=wasip1 reactor) with the
// local Go toolchain. It is skipped with -short and when no go command is
// available.
func buildGoGuest(t *testing.T) []byte {
	t.Helper()
	if testing.Short() {
		t.Skip("skipping the Go guest build in -short mode")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the Go (wasip1) guest:", err)
	}
	out := filepath.Join(t.TempDir(), "goguest.wasm")
	cmd := exec.Command(goBin, "build", "-buildmode=c-shared", "-o", out, ".")
	cmd.Dir = "../testdata/goguest"
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "GOFLAGS=")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the Go guest: %v\n%s", err, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGoGuest runs a real Go reactor: _initialize as a start function, an
// export calling a host import, strings lowered through its cabi_realloc,
// and a deadlock ("all goroutines are asleep") that kills the instance.
func TestGoGuest(t *testing.T) {
	wasm := buildGoGuest(t)
	ctx := context.Background()
	rt, err := NewRuntime(ctx, Config{Interpreter: true, WASI: true})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close(ctx)
	if err := rt.DefineHostModule(ctx, "host", hostDefs()); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	rt.SetModuleConfig(wazero.NewModuleConfig().WithStderr(&stderr))
	cm, err := rt.Compile(ctx, wasm)
	if err != nil {
		t.Fatal(err)
	}
	st := &state{}
	inst, err := rt.Instantiate(ctx, cm, ra.InstanceConfig{Data: st, StartFunctions: []string{"_initialize"}})
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close(ctx)

	add, err := ra.RequireFunction(inst, "add-via-host", sig2, sig1)
	if err != nil {
		t.Fatal(err)
	}
	stack := []uint64{40, 2}
	if err := add.Call(ctx, stack); err != nil || stack[0] != 42 || st.adds != 1 {
		t.Fatalf("add-via-host = %d, %v (host calls %d)", stack[0], err, st.adds)
	}

	realloc := inst.Function("cabi_realloc")
	count, _ := ra.RequireFunction(inst, "count-runes", sig2, sig1)
	liveBufs := inst.Function("live-buffers")
	scratch := make([]uint64, 4)
	s := strings.Repeat("añb✓", 5000)
	for i := 0; i < 20; i++ {
		ptr, n, err := ra.LowerString(ctx, inst.Memory(), realloc, scratch, s)
		if err != nil {
			t.Fatal(err)
		}
		stack[0], stack[1] = uint64(ptr), uint64(n)
		if err := count.Call(ctx, stack); err != nil || stack[0] != 20000 {
			t.Fatalf("count-runes = %d, %v", stack[0], err)
		}
	}
	if err := liveBufs.Call(ctx, stack); err != nil || stack[0] != 0 {
		t.Fatalf("guest leaked %d buffers: %v", stack[0], err)
	}

	// Go 1.26 reports the deadlock on stderr and executes unreachable.
	err = inst.Function("deadlock").Call(ctx, nil)
	var te *ra.TrapError
	if !errors.As(err, &te) || te.Func != "deadlock" {
		t.Fatalf("deadlock: %v", err)
	}
	if !strings.Contains(stderr.String(), "all goroutines are asleep") {
		t.Fatalf("guest stderr: %q", stderr.String())
	}
	if err := add.Call(ctx, stack); !errors.Is(err, ra.ErrPoisoned) {
		t.Fatalf("call after the guest died: %v", err)
	}
}
