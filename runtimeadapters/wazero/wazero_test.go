package wazero

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/sys"

	ra "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
)

// The guests are built from ../testdata/*.wat by ../testdata/build.sh
// (needs wat2wasm from WABT: apt-get install wabt).
func readGuest(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../testdata/" + name)
	if err != nil {
		t.Fatalf("%v (rebuild with runtimeadapters/testdata/build.sh; needs wat2wasm from wabt)", err)
	}
	return b
}

var engines = []struct {
	name   string
	interp bool
}{{"compiler", false}, {"interpreter", true}}

func forEngines(t *testing.T, f func(t *testing.T, interp bool)) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) { f(t, e.interp) })
	}
}

// state is the per-instance data the host functions see through
// caller.Data().
type state struct {
	initCalls int
	initErr   error
	sawMemory bool
	failErr   error
	addHook   func(ctx context.Context, caller ra.Instance) error
	adds      int
}

var errHost = errors.New("host says no")

var (
	i32  = ra.ValueTypeI32
	sig2 = []ra.ValueType{i32, i32}
	sig1 = []ra.ValueType{i32}
)

func hostDefs() []ra.HostFuncDef {
	return []ra.HostFuncDef{
		{Name: "add", Params: sig2, Results: sig1, Func: func(ctx context.Context, caller ra.Instance, stack []uint64) error {
			st := caller.Data().(*state)
			st.adds++
			if st.addHook != nil {
				if err := st.addHook(ctx, caller); err != nil {
					return err
				}
			}
			stack[0] = ra.EncodeU32(ra.DecodeU32(stack[0]) + ra.DecodeU32(stack[1]))
			return nil
		}},
		{Name: "fail", Func: func(ctx context.Context, caller ra.Instance, stack []uint64) error {
			if err := caller.Data().(*state).failErr; err != nil {
				return err
			}
			return errHost
		}},
		{Name: "init", Func: func(ctx context.Context, caller ra.Instance, stack []uint64) error {
			st := caller.Data().(*state)
			st.initCalls++
			st.sawMemory = caller.Memory() != nil
			return st.initErr
		}},
	}
}

type fixture struct {
	rt *Runtime
	cm ra.CompiledModule
}

func newFixture(t testing.TB, interp bool) *fixture {
	t.Helper()
	return newFixtureConfig(t, Config{Interpreter: interp})
}

func newFixtureConfig(t testing.TB, cfg Config) *fixture {
	t.Helper()
	ctx := context.Background()
	rt, err := NewRuntime(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close(ctx) })
	if err := rt.DefineHostModule(ctx, "host", hostDefs()); err != nil {
		t.Fatal(err)
	}
	cm, err := rt.Compile(ctx, readGuest(t, "guest.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{rt: rt, cm: cm}
}

func (f *fixture) instantiate(t testing.TB, st *state) ra.Instance {
	t.Helper()
	ctx := context.Background()
	inst, err := f.rt.Instantiate(ctx, f.cm, ra.InstanceConfig{Data: st, StartFunctions: []string{"_initialize"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { inst.Close(ctx) })
	return inst
}

func mustFunc(t testing.TB, inst ra.Instance, name string) ra.Function {
	t.Helper()
	f := inst.Function(name)
	if f == nil {
		t.Fatalf("no export %q", name)
	}
	return f
}

func callerCount(rt *Runtime) int {
	n := 0
	rt.callers.Range(func(any, any) bool { n++; return true })
	if i := rt.last.Load(); i != nil && i.closed {
		n += 1000 // a closed instance must not stay cached
	}
	return n
}

func TestScalarCalls(t *testing.T) {
	forEngines(t, func(t *testing.T, interp bool) {
		ctx := context.Background()
		f := newFixture(t, interp)
		st := &state{}
		inst := f.instantiate(t, st)

		stack := make([]uint64, 3)
		stack[0], stack[1] = ra.EncodeI32(-7), ra.EncodeI32(3)
		if err := mustFunc(t, inst, "add").Call(ctx, stack); err != nil {
			t.Fatal(err)
		}
		if got := ra.DecodeI32(stack[0]); got != -4 {
			t.Fatalf("add(-7, 3) = %d", got)
		}

		mix := mustFunc(t, inst, "mix")
		stack[0], stack[1], stack[2] = ra.EncodeI64(-21), ra.EncodeF32(1.5), ra.EncodeF64(0.25)
		if err := mix.Call(ctx, stack); err != nil {
			t.Fatal(err)
		}
		if ra.DecodeF64(stack[0]) != 1.75 || ra.DecodeI64(stack[1]) != -42 {
			t.Fatalf("mix = %v, %v", ra.DecodeF64(stack[0]), ra.DecodeI64(stack[1]))
		}

		// Guest -> host -> guest result.
		stack[0], stack[1] = 40, 2
		if err := mustFunc(t, inst, "call-host-add").Call(ctx, stack); err != nil {
			t.Fatal(err)
		}
		if stack[0] != 42 || st.adds != 1 {
			t.Fatalf("call-host-add = %d, host calls %d", stack[0], st.adds)
		}
		stack[0] = 1000
		if err := mustFunc(t, inst, "host-loop").Call(ctx, stack); err != nil {
			t.Fatal(err)
		}
		if stack[0] != 1000 || st.adds != 1001 {
			t.Fatalf("host-loop = %d, host calls %d", stack[0], st.adds)
		}
	})
}

func TestStartFunctionSeesData(t *testing.T) {
	forEngines(t, func(t *testing.T, interp bool) {
		ctx := context.Background()
		f := newFixture(t, interp)
		st := &state{}
		inst := f.instantiate(t, st)
		if st.initCalls != 1 || !st.sawMemory {
			t.Fatalf("_initialize: init called %d times, memory seen %v", st.initCalls, st.sawMemory)
		}
		if inst.Data() != st || inst.Name() != "" {
			t.Fatal("Data/Name")
		}
		if callerCount(f.rt) != 1 {
			t.Fatalf("callers = %d", callerCount(f.rt))
		}
		// A start function that fails: instantiation fails and nothing leaks.
		_, err := f.rt.Instantiate(ctx, f.cm, ra.InstanceConfig{Data: &state{initErr: errHost}, StartFunctions: []string{"_initialize"}})
		if !errors.Is(err, errHost) {
			t.Fatalf("failing start: %v", err)
		}
		if callerCount(f.rt) != 1 {
			t.Fatalf("failed instantiation leaked: callers = %d", callerCount(f.rt))
		}
		// Without start functions, _initialize does not run.
		st2 := &state{}
		inst2, err := f.rt.Instantiate(ctx, f.cm, ra.InstanceConfig{Name: "second", Data: st2})
		if err != nil {
			t.Fatal(err)
		}
		defer inst2.Close(ctx)
		if st2.initCalls != 0 || inst2.Name() != "second" {
			t.Fatalf("start functions ran without being asked: %d", st2.initCalls)
		}
	})
}

func TestHostErrorTraps(t *testing.T) {
	forEngines(t, func(t *testing.T, interp bool) {
		ctx := context.Background()
		f := newFixture(t, interp)
		inst := f.instantiate(t, &state{})
		err := mustFunc(t, inst, "call-fail").Call(ctx, nil)
		var te *ra.TrapError
		var he *ra.HostError
		if !errors.As(err, &te) || te.Func != "call-fail" {
			t.Fatalf("not a TrapError for call-fail: %v", err)
		}
		if !errors.Is(err, errHost) || !errors.As(err, &he) || he.Module != "host" || he.Name != "fail" {
			t.Fatalf("host error lost: %v", err)
		}
		if !strings.Contains(err.Error(), "host function host.fail failed: host says no") {
			t.Fatalf("message: %v", err)
		}
		// The trap poisons the instance, not its neighbours.
		stack := []uint64{1, 2}
		err = mustFunc(t, inst, "add").Call(ctx, stack)
		if !errors.Is(err, ra.ErrPoisoned) || !strings.Contains(err.Error(), "call-fail trapped") {
			t.Fatalf("after trap: %v", err)
		}
		other := f.instantiate(t, &state{})
		if err := mustFunc(t, other, "add").Call(ctx, stack); err != nil || stack[0] != 3 {
			t.Fatalf("other instance: %v", err)
		}
	})
}

func TestGuestTraps(t *testing.T) {
	forEngines(t, func(t *testing.T, interp bool) {
		ctx := context.Background()
		f := newFixture(t, interp)
		stack := make([]uint64, 2)
		for _, c := range []struct{ fn, msg string }{
			{"unreachable", "unreachable"},
			{"oob", "out of bounds memory access"},
			{"recurse", "stack overflow"},
		} {
			inst := f.instantiate(t, &state{})
			err := mustFunc(t, inst, c.fn).Call(ctx, stack)
			var te *ra.TrapError
			if !errors.As(err, &te) || te.Func != c.fn || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("%s: got %v, want a TrapError mentioning %q", c.fn, err, c.msg)
			}
			// Poisoned: no further calls, including the one that trapped.
			for _, fn := range []string{"add", c.fn} {
				err := mustFunc(t, inst, fn).Call(ctx, stack)
				if !errors.As(err, &te) || !errors.Is(err, ra.ErrPoisoned) || !strings.Contains(err.Error(), c.msg) {
					t.Errorf("%s after %s trapped: %v", fn, c.fn, err)
				}
			}
		}
	})
}

func TestContextStopsInfiniteLoop(t *testing.T) {
	forEngines(t, func(t *testing.T, interp bool) {
		f := newFixture(t, interp)
		for _, tc := range []struct {
			name string
			ctx  func() (context.Context, context.CancelFunc)
			want error
		}{
			{"deadline", func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), 50*time.Millisecond)
			}, context.DeadlineExceeded},
			{"cancel", func() (context.Context, context.CancelFunc) {
				ctx, cancel := context.WithCancel(context.Background())
				time.AfterFunc(50*time.Millisecond, cancel)
				return ctx, cancel
			}, context.Canceled},
		} {
			t.Run(tc.name, func(t *testing.T) {
				inst := f.instantiate(t, &state{})
				ctx, cancel := tc.ctx()
				defer cancel()
				start := time.Now()
				err := mustFunc(t, inst, "loop").Call(ctx, nil)
				if d := time.Since(start); d > 10*time.Second {
					t.Fatalf("loop ran %v", d)
				}
				var te *ra.TrapError
				if !errors.As(err, &te) || !errors.Is(err, tc.want) {
					t.Fatalf("got %v, want a TrapError matching %v", err, tc.want)
				}
				// The engine closed the module: later calls fail cleanly.
				err = mustFunc(t, inst, "add").Call(context.Background(), make([]uint64, 2))
				if !errors.Is(err, ra.ErrClosed) {
					t.Fatalf("call after stop: %v", err)
				}
				if _, ok := f.rt.InstanceOf(mustModule(t, inst)); ok {
					t.Fatal("stopped instance still registered")
				}
			})
		}
	})
}

func mustModule(t *testing.T, inst ra.Instance) api.Module {
	m, ok := Module(inst)
	if !ok {
		t.Fatal("Module")
	}
	return m
}

func TestReentrantCallIsAnError(t *testing.T) {
	forEngines(t, func(t *testing.T, interp bool) {
		ctx := context.Background()
		f := newFixture(t, interp)
		st := &state{}
		inst := f.instantiate(t, st)
		outer := mustFunc(t, inst, "call-host-add")
		var inner error
		st.addHook = func(ctx context.Context, caller ra.Instance) error {
			// Re-entering the same export is refused...
			inner = caller.Function("call-host-add").Call(ctx, make([]uint64, 2))
			// ...but calling another export (as cabi_realloc is) works.
			stack := []uint64{5, 6}
			if err := caller.Function("add").Call(ctx, stack); err != nil || stack[0] != 11 {
				return fmt.Errorf("nested add: %v %d", err, stack[0])
			}
			return nil
		}
		stack := []uint64{1, 2}
		if err := outer.Call(ctx, stack); err != nil || stack[0] != 3 {
			t.Fatalf("outer: %v", err)
		}
		if !errors.Is(inner, ra.ErrReentrant) {
			t.Fatalf("re-entrant call: %v", inner)
		}
	})
}

func TestReallocAndStrings(t *testing.T) {
	forEngines(t, func(t *testing.T, interp bool) {
		ctx := context.Background()
		f := newFixture(t, interp)
		inst := f.instantiate(t, &state{})
		mem := inst.Memory()
		realloc := mustFunc(t, inst, "cabi_realloc")
		stack := make([]uint64, 4)

		before := mem.Size()
		view, _ := mem.Read(0, 16)
		big := strings.Repeat("wazero ✓ ", 30000) // ~330 KB: realloc grows memory
		ptr, n, err := ra.LowerString(ctx, mem, realloc, stack, big)
		if err != nil {
			t.Fatal(err)
		}
		if mem.Size() <= before {
			t.Fatalf("memory did not grow: %d -> %d", before, mem.Size())
		}
		_ = view // stale now; the helpers never keep views across guest calls
		got, err := ra.LiftString(mem, ptr, n)
		if err != nil || got != big {
			t.Fatalf("round trip through guest memory: %v", err)
		}

		// Realloc with copying (oldPtr/oldSize) and alignment.
		p1, n1, _ := ra.LowerBytes(ctx, mem, realloc, stack, []byte("abcdefgh"))
		p2, err := ra.Realloc(ctx, mem, realloc, stack, p1, n1, 8, 16)
		if err != nil || p2%8 != 0 {
			t.Fatalf("realloc: %#x %v", p2, err)
		}
		if b, _ := ra.LiftBytes(mem, p2, 8); string(b) != "abcdefgh" {
			t.Fatalf("realloc did not copy: %q", b)
		}

		// Hostile reallocs.
		_, err = ra.Realloc(ctx, mem, mustFunc(t, inst, "realloc-misaligned"), stack, 0, 0, 8, 16)
		wantKind(t, err, ra.ErrMisaligned)
		_, _, err = ra.LowerString(ctx, mem, mustFunc(t, inst, "realloc-oob"), stack, "hello, hostile world")
		wantKind(t, err, ra.ErrOutOfBounds)
		// Lists of scalars.
		lp, ln, err := ra.LowerScalarList(ctx, mem, realloc, stack, []uint64{1, 1 << 40})
		if err != nil || lp%8 != 0 {
			t.Fatal(lp, err)
		}
		if xs, err := ra.LiftScalarList[uint64](mem, lp, ln); err != nil || xs[1] != 1<<40 {
			t.Fatal(xs, err)
		}
		// Invalid UTF-8 written by the guest.
		mem.Write(p2, []byte{0xed, 0xa0, 0x80})
		_, err = ra.LiftString(mem, p2, 3)
		wantKind(t, err, ra.ErrInvalidUTF8)
		_, err = ra.LiftString(mem, mem.Size()-2, 3)
		wantKind(t, err, ra.ErrOutOfBounds)

		// A trapping realloc (last: the trap poisons the instance).
		_, err = ra.AllocList(ctx, mem, mustFunc(t, inst, "realloc-trap"), stack, 3, 4, 4)
		wantKind(t, err, ra.ErrRealloc)
		var te *ra.TrapError
		if !errors.As(err, &te) || !strings.Contains(err.Error(), "unreachable") {
			t.Fatalf("realloc trap not reported as a TrapError: %v", err)
		}
		_, _, err = ra.LowerString(ctx, mem, realloc, stack, "x")
		wantKind(t, err, ra.ErrPoisoned)
	})
}

func wantKind(t *testing.T, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("got %v, want %v", err, kind)
	}
}

func TestMemory(t *testing.T) {
	f := newFixture(t, true)
	inst := f.instantiate(t, &state{})
	mem := inst.Memory()
	size := mem.Size()
	if size != 65536 {
		t.Fatalf("size %d", size)
	}
	if !mem.WriteU8(0, 0xab) || !mem.WriteU16(2, 0xbeef) || !mem.WriteU32(4, 0xdeadbeef) || !mem.WriteU64(8, 1<<63|5) {
		t.Fatal("in-bounds writes failed")
	}
	if v, ok := mem.ReadU8(0); !ok || v != 0xab {
		t.Fatal("ReadU8")
	}
	if v, ok := mem.ReadU16(2); !ok || v != 0xbeef {
		t.Fatal("ReadU16")
	}
	if v, ok := mem.ReadU32(4); !ok || v != 0xdeadbeef {
		t.Fatal("ReadU32")
	}
	if v, ok := mem.ReadU64(8); !ok || v != 1<<63|5 {
		t.Fatal("ReadU64")
	}
	if b, ok := mem.Read(4, 4); !ok || string(b) != "\xef\xbe\xad\xde" {
		t.Fatal("little-endian layout")
	}
	// Out of bounds, including offsets whose sum wraps in 32 bits.
	for _, off := range []uint32{size, size - 1, size - 3, 0xffffffff, 0xfffffffc} {
		if _, ok := mem.ReadU32(off); ok && off+4 > size {
			t.Errorf("ReadU32(%#x) ok", off)
		}
		if mem.WriteU64(off, 1) {
			t.Errorf("WriteU64(%#x) ok", off)
		}
		if _, ok := mem.Read(off, 0xffffffff); ok {
			t.Errorf("Read(%#x, max) ok", off)
		}
		if mem.Write(off, make([]byte, 8)) {
			t.Errorf("Write(%#x) ok", off)
		}
	}
	if _, ok := mem.ReadU8(size); ok {
		t.Error("ReadU8 at size")
	}
	if _, ok := mem.ReadU16(size - 1); ok {
		t.Error("ReadU16 at size-1")
	}
}

func TestNoMemoryNoImports(t *testing.T) {
	ctx := context.Background()
	rt, err := NewRuntime(ctx, Config{Interpreter: true})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close(ctx)
	cm, err := rt.Compile(ctx, readGuest(t, "nomem.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cm.Imports()) != 0 || len(cm.Exports()) != 1 || cm.Exports()[0].Name != "answer" {
		t.Fatalf("descs: %+v %+v", cm.Imports(), cm.Exports())
	}
	inst, err := rt.Instantiate(ctx, cm, ra.InstanceConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close(ctx)
	if inst.Memory() != nil {
		t.Fatal("Memory() of a memoryless guest must be an untyped nil")
	}
	if _, err := ra.LiftString(inst.Memory(), 0, 1); !errors.Is(err, ra.ErrOutOfBounds) {
		t.Fatal(err)
	}
	f, err := ra.RequireFunction(inst, "answer", nil, sig1)
	if err != nil {
		t.Fatal(err)
	}
	stack := make([]uint64, 1)
	if err := f.Call(ctx, stack); err != nil || stack[0] != 42 {
		t.Fatal(err)
	}
}

func TestFunctionLookup(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, true)
	inst := f.instantiate(t, &state{})
	for i := 0; i < 2; i++ { // the second lookup hits the cache
		if inst.Function("missing") != nil {
			t.Fatal("missing export must be an untyped nil")
		}
	}
	if inst.Function("memory") != nil {
		t.Fatal("memory is not a function")
	}
	add := inst.Function("add")
	if add != inst.Function("add") {
		t.Fatal("exports are cached per instance")
	}
	if add.Name() != "add" || len(add.Params()) != 2 || len(add.Results()) != 1 {
		t.Fatal("signature")
	}
	if _, err := ra.RequireFunction(inst, "add", sig2, sig1); err != nil {
		t.Fatal(err)
	}
	_, err := ra.RequireFunction(inst, "add", sig1, sig1)
	if err == nil || !strings.Contains(err.Error(), `"add" has type (i32, i32) -> (i32), want (i32) -> (i32)`) {
		t.Fatal(err)
	}
	_, err = ra.RequireFunction(inst, "nope", nil, nil)
	if err == nil || !strings.Contains(err.Error(), `does not export function "nope"`) {
		t.Fatal(err)
	}
	if fn, err := ra.OptionalFunction(inst, "cabi_post_nope", sig1, nil); fn != nil || err != nil {
		t.Fatal(fn, err)
	}
	// Too short a stack is an error, not a panic.
	err = add.Call(ctx, make([]uint64, 1))
	if !errors.Is(err, ra.ErrBadCall) {
		t.Fatal(err)
	}
	// nil context is tolerated.
	//lint:ignore SA1012 deliberately testing a nil context
	if err := add.Call(nil, make([]uint64, 2)); err != nil { //nolint:staticcheck
		t.Fatal(err)
	}
}

func TestCompiledModuleDescs(t *testing.T) {
	f := newFixture(t, true)
	var imports []string
	for _, d := range f.cm.Imports() {
		imports = append(imports, d.Module+"."+d.Name+":"+d.Kind.String()+ra.Signature(d.Params, d.Results))
	}
	want := "host.add:func(i32, i32) -> (i32) host.fail:func() -> () host.init:func() -> ()"
	if strings.Join(imports, " ") != want {
		t.Fatalf("imports: %v", imports)
	}
	var names []string
	for _, d := range f.cm.Exports() {
		names = append(names, d.Name)
		if d.Name == "memory" && d.Kind != ra.ExternMemory {
			t.Fatal("memory kind")
		}
	}
	if names[0] != "_initialize" || !strings.Contains(strings.Join(names, ","), "cabi_realloc,call-fail") {
		t.Fatalf("exports (sorted): %v", names)
	}
	if err := f.cm.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestDefineHostModuleErrors(t *testing.T) {
	ctx := context.Background()
	rt, err := NewRuntime(ctx, Config{Interpreter: true})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close(ctx)
	ok := func(context.Context, ra.Instance, []uint64) error { return nil }
	if err := rt.DefineHostModule(ctx, "m", []ra.HostFuncDef{{Name: "f", Func: ok}}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		module string
		funcs  []ra.HostFuncDef
		msg    string
	}{
		{"m", nil, `host module "m" is already defined`},
		{"", nil, "name is empty"},
		{"x", []ra.HostFuncDef{{Name: "f", Func: ok}, {Name: "f", Func: ok}}, `function "f" defined twice`},
		{"x", []ra.HostFuncDef{{Name: "f"}}, `function "f" has a nil Func`},
		{"x", []ra.HostFuncDef{{Func: ok}}, "function 0 has no name"},
		{"x", []ra.HostFuncDef{{Name: "f", Params: []ra.ValueType{0x7b}, Func: ok}}, "invalid value type ValueType(0x7b)"},
	} {
		err := rt.DefineHostModule(ctx, c.module, c.funcs)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("DefineHostModule(%q): %v, want %q", c.module, err, c.msg)
		}
	}
	// Instantiating a guest whose imports are missing fails with wazero's
	// error, naming the module.
	cm, _ := rt.Compile(ctx, readGuest(t, "guest.wasm"))
	if _, err := rt.Instantiate(ctx, cm, ra.InstanceConfig{}); err == nil || !strings.Contains(err.Error(), "host") {
		t.Fatalf("missing imports: %v", err)
	}
	if callerCount(rt) != 0 {
		t.Fatal("leak")
	}
}

// A module instantiated directly with wazero that calls an adapter host
// function traps with a clear message instead of crashing.
func TestForeignCallerTraps(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, true)
	mod, err := f.rt.Wazero().InstantiateWithConfig(ctx, readGuest(t, "guest.wasm"), wazero.NewModuleConfig().WithName("raw"))
	if err != nil {
		t.Fatal(err)
	}
	defer mod.Close(ctx)
	_, err = mod.ExportedFunction("call-host-add").Call(ctx, 1, 2)
	if err == nil || !strings.Contains(err.Error(), `caller module "raw" was not instantiated through this runtime adapter`) {
		t.Fatalf("foreign caller: %v", err)
	}
}

func TestCloseForgetsInstance(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, true)
	for i := 0; i < 10; i++ {
		inst, err := f.rt.Instantiate(ctx, f.cm, ra.InstanceConfig{Data: &state{}, StartFunctions: []string{"_initialize"}})
		if err != nil {
			t.Fatal(err)
		}
		fn := inst.Function("add")
		if err := inst.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if err := inst.Close(ctx); err != nil {
			t.Fatal("second Close:", err)
		}
		if err := fn.Call(ctx, make([]uint64, 2)); !errors.Is(err, ra.ErrClosed) {
			t.Fatalf("call after Close: %v", err)
		}
	}
	if n := callerCount(f.rt); n != 0 {
		t.Fatalf("%d closed instances still registered", n)
	}
}

func TestWrongCompiledModule(t *testing.T) {
	f := newFixture(t, true)
	_, err := f.rt.Instantiate(context.Background(), nil, ra.InstanceConfig{})
	if err == nil || !strings.Contains(err.Error(), "not from the wazero adapter") {
		t.Fatal(err)
	}
}

func TestNewRuntimeOptions(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	rt, err := NewRuntime(ctx, Config{CompilationCacheDir: dir, MemoryLimitPages: 2, WASI: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := rt.DefineHostModule(ctx, "wasi_snapshot_preview1", nil); err == nil {
		t.Fatal("WASI module must count as defined")
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
	// The memory limit (2 pages) makes the guest's realloc fail to grow.
	_, err = ra.AllocList(ctx, inst.Memory(), inst.Function("cabi_realloc"), make([]uint64, 4), 1<<20, 1, 1)
	if !errors.Is(err, ra.ErrRealloc) {
		t.Fatalf("memory limit: %v", err)
	}
	if err := rt.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) == 0 {
		t.Fatal("compilation cache directory unused")
	}
	// New does not take ownership.
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	if err := New(r).Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := r.CompileModule(ctx, readGuest(t, "nomem.wasm")); err != nil {
		t.Fatal("New(r).Close closed r:", err)
	}
}

// Instances of one compiled module run in parallel goroutines; each host
// call finds its own caller.
func TestConcurrentInstances(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, false)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := &state{}
			inst, err := f.rt.Instantiate(ctx, f.cm, ra.InstanceConfig{Data: st, StartFunctions: []string{"_initialize"}})
			if err != nil {
				errs <- err
				return
			}
			defer inst.Close(ctx)
			fn := inst.Function("host-loop")
			stack := make([]uint64, 1)
			for i := 0; i < 50; i++ {
				stack[0] = 100
				if err := fn.Call(ctx, stack); err != nil {
					errs <- err
					return
				}
			}
			if st.adds != 5000 || st.initCalls != 1 {
				errs <- fmt.Errorf("instance saw %d host calls, %d inits", st.adds, st.initCalls)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := callerCount(f.rt); n != 0 {
		t.Fatalf("%d instances leaked", n)
	}
}

// A guest that exits (proc_exit, or a Go guest's fatal "all goroutines are
// asleep") leaves its instance dead: the call fails with a TrapError that
// carries the exit code, and later calls fail with ErrClosed.
func TestGuestExit(t *testing.T) {
	forEngines(t, func(t *testing.T, interp bool) {
		ctx := context.Background()
		rt, err := NewRuntime(ctx, Config{Interpreter: interp, WASI: true})
		if err != nil {
			t.Fatal(err)
		}
		defer rt.Close(ctx)
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
		var exit *sys.ExitError
		if !errors.As(err, &te) || !errors.As(err, &exit) || exit.ExitCode() != 2 || !errors.Is(err, ra.ErrClosed) {
			t.Fatalf("exit: %v", err)
		}
		if err := inst.Function("answer").Call(ctx, make([]uint64, 1)); !errors.Is(err, ra.ErrClosed) {
			t.Fatalf("after exit: %v", err)
		}
		if callerCount(rt) != 0 {
			t.Fatal("dead instance still registered")
		}
	})
}

// A HostFunc that panics (a host bug) traps the guest call; the panic does
// not escape to the caller.
func TestHostPanicTraps(t *testing.T) {
	forEngines(t, func(t *testing.T, interp bool) {
		f := newFixture(t, interp)
		st := &state{addHook: func(context.Context, ra.Instance) error { panic("host bug") }}
		inst := f.instantiate(t, st)
		err := mustFunc(t, inst, "call-host-add").Call(context.Background(), make([]uint64, 2))
		var te *ra.TrapError
		if !errors.As(err, &te) || !strings.Contains(err.Error(), "host bug") {
			t.Fatalf("host panic: %v", err)
		}
	})
}
