package difftest

// TestDifferential: the kitchen-sink guest under wasmtime's native
// component model (the oracle) against the same core module under the
// generated bindings, on wazero's compiler, wazero's interpreter and the
// wasmtime adapter.
//
// For every function of the world (echo-<T> for 39 types, echo-pair,
// echo-many and ping) and both call directions:
//
//   - echo-<T>: host → guest. The host lowers random values, the guest
//     deep-copies them and the host lifts the copy.
//   - roundtrip-<T>: host → guest → host → guest → host. The guest passes
//     its arguments to the imported host.echo-<T> and returns the answer,
//     so the guest → host direction (lifting import arguments, lowering
//     import results into guest memory with cabi_realloc) is exercised too;
//     the value the host's echo-<T> received is compared as well.
//
// Each function and direction is one rapid property, run with
// rapid.checks = 120 unless -rapid.checks or RAPID_CHECKS says otherwise:
// 84 properties (42 functions x 2 directions) x 120 = 10,080 cases per
// run, each on the oracle and the three engines. Results must be identical
// everywhere up to NaN payloads (CanonicalABI.md lets lift/lower
// canonicalize NaNs), and identical to the argument (every echo is the
// identity). After each call the guest must have no live allocation left
// (kitchen-sink-live-allocs).
//
// A disagreement is a bug on one side; disagreements_test.go records the
// ones found, which side CanonicalABI.md says is wrong, and their
// regression tests.

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sync/atomic"
	"testing"

	"pgregory.net/rapid"

	ks "github.com/wasmhost/wit-bindgen-go-host/golden/kitchen-sink"
	ra "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
	co "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wasmtime/internal/componentoracle"
)

// defaultChecks is rapid.checks per property unless set explicitly.
const defaultChecks = 120

var checksSet bool

func TestMain(m *testing.M) {
	if spec := os.Getenv(oracleCaseEnv); spec != "" {
		oracleChild(spec)
		os.Exit(0)
	}
	flag.Parse()
	flag.Visit(func(f *flag.Flag) { checksSet = checksSet || f.Name == "rapid.checks" })
	if !checksSet && os.Getenv("RAPID_CHECKS") == "" {
		flag.Set("rapid.checks", fmt.Sprint(defaultChecks))
	} else {
		checksSet = true
	}
	os.Exit(m.Run())
}

// exportName is the guest export (or host import) name of f in direction
// dir ("echo" or "roundtrip").
func exportName(dir string, f fn) string {
	if f.name == "ping" {
		if dir == "echo" {
			return "ping"
		}
		return "roundtrip-ping"
	}
	return dir + "-" + f.name
}

// received is what the host's echo-<T> is given, as one value: the
// argument, or a tuple (echo-pair) or a many-fields record (echo-many) of
// the arguments; it is also what every echo returns.
func received(f fn, args []co.Value) *co.Value {
	switch f.name {
	case "ping":
		return nil
	case "pair":
		return co.Ptr(co.Tuple(args...))
	case "many":
		fs := make([]co.Field, len(args))
		for i, a := range args {
			fs[i] = co.Field{Name: manyParams[i].name, Value: a}
		}
		return co.Ptr(co.Record(fs...))
	}
	return &args[0]
}

// oracle is the component under wasmtime's component model.
type oracle struct {
	e    *co.Engine
	c    *co.Component
	l    *co.Linker
	inst *co.Instance
	got  *co.Value // what the host's last echo-* received
	// hostCalls counts host function calls.
	hostCalls int
	blobs     blobStore // resource blob (resource_test.go)
}

func newOracle(t *testing.T) *oracle {
	t.Helper()
	o := &oracle{e: co.NewEngine()}
	t.Cleanup(o.close)
	var err error
	if o.c, err = o.e.Compile(buildComponent(t)); err != nil {
		t.Fatal(err)
	}
	o.l = o.e.NewLinker()
	funcs := map[string]co.HostFunc{}
	for _, f := range fns {
		funcs[exportName("echo", f)] = func(args []co.Value) ([]co.Value, error) {
			o.hostCalls++
			o.got = received(f, args)
			if o.got == nil {
				return nil, nil
			}
			return []co.Value{*o.got}, nil
		}
	}
	for n, f := range oracleBlobFuncs(&o.blobs) {
		funcs[n] = f
	}
	blob := co.ResourceDef{Name: "blob", Type: blobType, Drop: o.blobs.drop}
	if err := o.l.DefineInstance(hostIface, []co.ResourceDef{blob}, funcs); err != nil {
		t.Fatal(err)
	}
	o.reset(t)
	return o
}

// reset replaces the instance (after an error, which poisons it).
func (o *oracle) reset(t tb) {
	if o.inst != nil {
		o.inst.Close()
	}
	o.blobs = blobStore{}
	var err error
	if o.inst, err = o.l.Instantiate(o.c); err != nil {
		t.Fatal(err)
	}
}

func (o *oracle) close() {
	for _, c := range []func(){o.inst.Close, o.l.Close, o.c.Close, o.e.Close} {
		c()
	}
}

// call calls guest export name.
func (o *oracle) call(t tb, name string, args []co.Value) (*co.Value, *co.Value, error) {
	o.got = nil
	res, err := o.inst.Call(guestIface+"#"+name, args...)
	if err != nil {
		o.reset(t)
		return nil, nil, err
	}
	if len(res) == 0 {
		return nil, o.got, nil
	}
	return &res[0], o.got, nil
}

// bindings is the core module under the generated bindings on one engine.
type bindings struct {
	name  string
	newRT func() (ra.Runtime, error)
	rt    ra.Runtime
	in    *ks.KitchenSinkInstance
	host  *recHost
	lives ra.Function
}

func newBindings(t *testing.T, name string, newRT func() (ra.Runtime, error)) *bindings {
	t.Helper()
	b := &bindings{name: name, newRT: newRT}
	t.Cleanup(b.closeRT)
	b.reset(t)
	return b
}

// reset replaces the runtime and instance (after an error, which poisons
// the instance).
func (b *bindings) reset(t tb) {
	ctx := context.Background()
	b.closeRT()
	var err error
	if b.rt, err = b.newRT(); err != nil {
		t.Fatal(err)
	}
	wasm, err := os.ReadFile(coreWasm)
	if err != nil {
		t.Fatal(err)
	}
	mod, err := b.rt.Compile(ctx, wasm)
	if err != nil {
		t.Fatal(err)
	}
	w, err := ks.NewKitchenSink(ctx, b.rt, mod)
	if err != nil {
		t.Fatal(err)
	}
	b.host = &recHost{}
	if b.in, err = w.Instantiate(ctx, ks.Imports{Host: b.host}); err != nil {
		t.Fatal(err)
	}
	b.lives = b.in.Instance().Function("kitchen-sink-live-allocs")
}

func (b *bindings) closeRT() {
	if c, ok := b.rt.(interface{ Close(context.Context) error }); ok {
		c.Close(context.Background())
	}
}

func (b *bindings) call(t tb, name string, args []co.Value) (*co.Value, *co.Value, error) {
	bind, ok := bindingsOf[name]
	if !ok {
		t.Fatalf("no binding for %s", name)
	}
	ctx := context.Background()
	b.host.got = nil
	res, err := bind(ctx, b.in.Guest(), args)
	if err != nil {
		b.reset(t)
		return nil, nil, err
	}
	var stack [1]uint64
	if err := b.lives.Call(ctx, stack[:]); err != nil {
		t.Fatalf("%s: kitchen-sink-live-allocs: %v", b.name, err)
	}
	if n := int32(stack[0]); n != 0 {
		return nil, nil, fmt.Errorf("%d guest allocations live after the call", n)
	}
	return res, b.host.got, nil
}

func show(v *co.Value) string {
	if v == nil {
		return "<none>"
	}
	s := v.String()
	if len(s) > 600 {
		s = s[:600] + "..."
	}
	return s
}

func eqOpt(a, b *co.Value) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return same(*a, *b)
}

func rawEqOpt(a, b *co.Value) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return co.Equal(*a, *b)
}

func TestDifferential(t *testing.T) {
	o := newOracle(t)
	engines := []*bindings{
		newBindings(t, "wazero-compiler", newWazeroCompiler),
		newBindings(t, "wazero-interpreter", newWazeroInterpreter),
		newBindings(t, "wasmtime-adapter", newWasmtimeAdapter),
	}
	var cases, nanPayloads atomic.Int64
	for _, f := range fns {
		for _, dir := range []string{"echo", "roundtrip"} {
			name := exportName(dir, f)
			t.Run(name, func(t *testing.T) {
				rapid.Check(t, func(rt *rapid.T) {
					args := make([]co.Value, len(f.params))
					for i, p := range f.params {
						args[i] = drawValue(rt, p.t, p.name)
					}
					cases.Add(1)
					want := received(f, args)
					res, got, err := o.call(rt, name, args)
					if err != nil {
						rt.Fatalf("oracle (wasmtime component model): %v", err)
					}
					if !eqOpt(res, want) {
						rt.Fatalf("oracle: %s returned %s, want its argument %s", name, show(res), show(want))
					}
					if dir == "roundtrip" && !eqOpt(got, want) {
						rt.Fatalf("oracle: host.%s received %s, want %s", exportName("echo", f), show(got), show(want))
					}
					for _, b := range engines {
						bres, bgot, err := b.call(rt, name, args)
						if err != nil {
							rt.Fatalf("%s (generated bindings): %s(%s): %v", b.name, name, show(want), err)
						}
						if !eqOpt(bres, res) {
							rt.Fatalf("DISAGREEMENT on %s: %s(%s)\n  oracle:   %s\n  bindings: %s", b.name, name, show(want), show(res), show(bres))
						}
						if !rawEqOpt(bres, res) {
							nanPayloads.Add(1)
						}
						if dir == "roundtrip" && !eqOpt(bgot, got) {
							rt.Fatalf("DISAGREEMENT on %s: host.%s received\n  oracle:   %s\n  bindings: %s", b.name, exportName("echo", f), show(got), show(bgot))
						}
					}
				})
			})
		}
	}
	n := cases.Load()
	t.Logf("%d cases (%d properties), each on the oracle, wazero-compiler, wazero-interpreter and wasmtime-adapter; %d results equal only up to NaN payloads", n, 2*len(fns), nanPayloads.Load())
	if !checksSet && !testing.Short() && !t.Failed() && n < 10000 {
		t.Errorf("only %d cases; the differential test must run at least 10,000", n)
	}
}

// tb is what both *testing.T and *rapid.T offer.
type tb interface {
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}
