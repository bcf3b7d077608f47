package wasmtime

// WASI scenarios: a WAT guest that exits, and a real Go (GOOS=wasip1)
// reactor built from ../testdata/goguest, on every engine.

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	ra "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
)

func init() {
	Scenarios = append(Scenarios,
		Scenario{Name: "WASI guest exit", RunEngine: ScenarioGuestExit},
		Scenario{Name: "Go wasip1 guest", RunEngine: ScenarioGoGuest},
	)
}

// ScenarioGuestExit: proc_exit ends the call with a TrapError carrying the
// exit code and matching ErrClosed; later calls fail with ErrClosed.
func ScenarioGuestExit(t *testing.T, e Engine) {
	ctx := context.Background()
	rt, _ := e.NewWASI(t)
	if err := rt.DefineHostModule(ctx, "wasi_snapshot_preview1", nil); err == nil {
		t.Fatal("WASI module must count as defined")
	}
	cm, err := rt.Compile(ctx, readGuest(t, "exit.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	inst, err := rt.Instantiate(ctx, cm, ra.InstanceConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close(ctx)
	err = inst.Function("exit").Call(ctx, []uint64{2})
	var te *ra.TrapError
	code, ok := e.ExitCode(err)
	if !errors.As(err, &te) || !ok || code != 2 || !errors.Is(err, ra.ErrClosed) {
		t.Fatalf("exit: %v (code %d, %v)", err, code, ok)
	}
	if err := inst.Function("answer").Call(ctx, make([]uint64, 1)); !errors.Is(err, ra.ErrClosed) {
		t.Fatalf("after exit: %v", err)
	}
}

var goGuest struct {
	once sync.Once
	wasm []byte
	err  error
	skip string
}

// buildGoGuest builds ../testdata/goguest once per test run; skipped with
// -short or without a go command.
func buildGoGuest(t *testing.T) []byte {
	t.Helper()
	if testing.Short() {
		t.Skip("skipping the Go guest build in -short mode")
	}
	goGuest.once.Do(func() {
		goBin, err := exec.LookPath("go")
		if err != nil {
			goGuest.skip = "no go command: " + err.Error()
			return
		}
		dir, err := os.MkdirTemp("", "goguest")
		if err != nil {
			goGuest.err = err
			return
		}
		defer os.RemoveAll(dir)
		out := filepath.Join(dir, "goguest.wasm")
		cmd := exec.Command(goBin, "build", "-buildmode=c-shared", "-o", out, ".")
		cmd.Dir = "../testdata/goguest"
		cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "GOFLAGS=", "CGO_ENABLED=0")
		if msg, err := cmd.CombinedOutput(); err != nil {
			goGuest.err = errors.New("building the Go guest: " + err.Error() + "\n" + string(msg))
			return
		}
		goGuest.wasm, goGuest.err = os.ReadFile(out)
	})
	if goGuest.skip != "" {
		t.Skip(goGuest.skip)
	}
	if goGuest.err != nil {
		t.Fatal(goGuest.err)
	}
	return goGuest.wasm
}

// ScenarioGoGuest runs a real Go reactor: _initialize as a start function,
// an export calling a host import, strings lowered through its
// cabi_realloc, and a deadlock ("all goroutines are asleep") that kills the
// instance.
func ScenarioGoGuest(t *testing.T, e Engine) {
	wasm := buildGoGuest(t)
	ctx := context.Background()
	rt, stderr := e.NewWASI(t)
	if err := rt.DefineHostModule(ctx, "host", hostDefs()); err != nil {
		t.Fatal(err)
	}
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
	count, err := ra.RequireFunction(inst, "count-runes", sig2, sig1)
	if err != nil {
		t.Fatal(err)
	}
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
	if err := inst.Function("live-buffers").Call(ctx, stack); err != nil || stack[0] != 0 {
		t.Fatalf("guest leaked %d buffers: %v", stack[0], err)
	}
	err = inst.Function("deadlock").Call(ctx, nil)
	var te *ra.TrapError
	if !errors.As(err, &te) || te.Func != "deadlock" {
		t.Fatalf("deadlock: %v", err)
	}
	if !strings.Contains(stderr(), "all goroutines are asleep") {
		t.Fatalf("guest stderr: %q", stderr())
	}
	if err := add.Call(ctx, stack); !errors.Is(err, ra.ErrPoisoned) && !errors.Is(err, ra.ErrClosed) {
		t.Fatalf("call after the guest died: %v", err)
	}
}
