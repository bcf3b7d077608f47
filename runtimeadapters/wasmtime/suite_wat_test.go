package wasmtime

// Scenarios on small guests written inline in WAT, converted with
// wasmtime-go's Wat2Wasm (so no wat2wasm tool is needed) and run on every
// engine.

import (
	"context"
	"errors"
	"strings"
	"testing"

	wasmtimego "github.com/bytecodealliance/wasmtime-go/v39"

	ra "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
)

func init() {
	Scenarios = append(Scenarios,
		Scenario{Name: "start section sees Data+memory", Run: ScenarioStartSection},
		Scenario{Name: "trap kinds (same phrases)", Run: ScenarioTrapKinds},
		Scenario{Name: "i32/f32 results, NaN bits", Run: ScenarioScalarBits},
		Scenario{Name: "host call ctx cancel (watched)", Run: ScenarioHostSeesCancel},
	)
}

func wat(t testing.TB, src string) []byte {
	t.Helper()
	b, err := wasmtimego.Wat2Wasm(src)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A module whose start section calls a host function: the function sees
// the instance's Data and its memory, before Instantiate returns.
func ScenarioStartSection(t *testing.T, newRT RuntimeFactory) {
	ctx := context.Background()
	rt := newRT(t)
	type st struct {
		calls int
		mem   uint32
	}
	err := rt.DefineHostModule(ctx, "env", []ra.HostFuncDef{{Name: "hello", Params: sig1,
		Func: func(ctx context.Context, caller ra.Instance, stack []uint64) error {
			s := caller.Data().(*st)
			s.calls++
			if m := caller.Memory(); m != nil {
				s.mem = m.Size()
				if v, ok := m.ReadU32(uint32(stack[0])); !ok || v != 0xcafe {
					return errors.New("start: memory not initialized")
				}
			}
			return nil
		}}})
	if err != nil {
		t.Fatal(err)
	}
	cm, err := rt.Compile(ctx, wat(t, `(module
		(import "env" "hello" (func $hello (param i32)))
		(memory (export "memory") 2)
		(data (i32.const 64) "\fe\ca\00\00")
		(func $start (call $hello (i32.const 64)))
		(start $start))`))
	if err != nil {
		t.Fatal(err)
	}
	s := &st{}
	inst, err := rt.Instantiate(ctx, cm, ra.InstanceConfig{Data: s})
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close(ctx)
	if s.calls != 1 || s.mem != 2*65536 {
		t.Fatalf("start section: %d calls, memory %d", s.calls, s.mem)
	}
}

// Every kind of trap carries the same phrase on every engine.
func ScenarioTrapKinds(t *testing.T, newRT RuntimeFactory) {
	ctx := context.Background()
	rt := newRT(t)
	cm, err := rt.Compile(ctx, wat(t, `(module
		(type $ii (func (param i32) (result i32)))
		(table 2 funcref)
		(elem (i32.const 0) $id)
		(func $id (param i32) (result i32) (local.get 0))
		(func (export "div0") (result i32) (i32.div_s (i32.const 1) (i32.const 0)))
		(func (export "overflow") (result i32) (i32.div_s (i32.const 0x80000000) (i32.const -1)))
		(func (export "conv") (result i32) (i32.trunc_f32_s (f32.const nan)))
		(func (export "table-oob") (result i32) (call_indirect (type $ii) (i32.const 7) (i32.const 5)))
		(func (export "null") (result i32) (call_indirect (type $ii) (i32.const 7) (i32.const 1)))
		(func (export "sig") (call_indirect (i32.const 0))))`))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ fn, phrase string }{
		{"div0", "integer divide by zero"},
		{"overflow", "integer overflow"},
		{"conv", "invalid conversion to integer"},
		{"table-oob", "invalid table access"},
		{"null", "invalid table access"},
		{"sig", "indirect call type mismatch"},
	} {
		inst, err := rt.Instantiate(ctx, cm, ra.InstanceConfig{})
		if err != nil {
			t.Fatal(err)
		}
		err = inst.Function(c.fn).Call(ctx, make([]uint64, 1))
		var te *ra.TrapError
		if !errors.As(err, &te) || !strings.Contains(err.Error(), c.phrase) {
			t.Errorf("%s: %v, want a trap mentioning %q", c.fn, err, c.phrase)
		}
		inst.Close(ctx)
	}
}

// Results are returned in the slot encoding of runtimeadapters: i32 and f32
// zero-extended, NaN payloads kept.
func ScenarioScalarBits(t *testing.T, newRT RuntimeFactory) {
	ctx := context.Background()
	rt := newRT(t)
	cm, err := rt.Compile(ctx, wat(t, `(module
		(func (export "neg") (param i32) (result i32) (i32.sub (i32.const 0) (local.get 0)))
		(func (export "f32") (param f32) (result f32) (local.get 0))
		(func (export "f64") (param f64) (result f64) (local.get 0))
		(func (export "many") (param i32 i64 f32 f64 i32 i64 f32 f64) (result i64 i32 f64 f32)
			(local.get 1) (local.get 4) (local.get 3) (local.get 6)))`))
	if err != nil {
		t.Fatal(err)
	}
	inst, err := rt.Instantiate(ctx, cm, ra.InstanceConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close(ctx)
	stack := make([]uint64, 8)
	stack[0] = 1
	if err := inst.Function("neg").Call(ctx, stack); err != nil || stack[0] != 0xffffffff {
		t.Fatalf("neg(1) = %#x, %v", stack[0], err)
	}
	const nan32 = 0x7fc00123
	stack[0] = nan32
	if err := inst.Function("f32").Call(ctx, stack); err != nil || stack[0] != nan32 {
		t.Fatalf("f32 NaN = %#x, %v", stack[0], err)
	}
	const nan64 = 0x7ff8000000000123
	stack[0] = nan64
	if err := inst.Function("f64").Call(ctx, stack); err != nil || stack[0] != nan64 {
		t.Fatalf("f64 NaN = %#x, %v", stack[0], err)
	}
	copy(stack, []uint64{1, 1 << 40, ra.EncodeF32(2.5), ra.EncodeF64(3.5), 0xfffffffe, 5, ra.EncodeF32(-1), ra.EncodeF64(7)})
	if err := inst.Function("many").Call(ctx, stack); err != nil {
		t.Fatal(err)
	}
	if stack[0] != 1<<40 || ra.DecodeU32(stack[1]) != 0xfffffffe || ra.DecodeF64(stack[2]) != 3.5 || ra.DecodeF32(stack[3]) != -1 {
		t.Fatalf("many = %#x", stack[:4])
	}
	// Known divergence: wazero's compiler leaves the upper 32 bits of i32
	// and f32 slots of a multi-value result unmasked (stale bits of the
	// parameters), where the interpreter and wasmtime zero them. Decoding
	// with DecodeI32/DecodeF32 (as generated code does) is unaffected.
	if stack[1]>>32 != 0 || stack[3]>>32 != 0 {
		t.Logf("upper bits set in i32/f32 result slots: %#x %#x", stack[1], stack[3])
	}
}

// A host function sees the export call's context and can give up when it
// is done; the call then fails with the host's error.
func ScenarioHostSeesCancel(t *testing.T, newRT RuntimeFactory) {
	st := &state{}
	inst := newFixture(t, newRT).instantiate(t, st)
	ctx, cancel := context.WithCancel(context.Background())
	st.addHook = func(ctx context.Context, caller ra.Instance) error {
		if st.adds == 10 {
			cancel()
		}
		return ctx.Err()
	}
	stack := []uint64{100}
	err := mustFunc(t, inst, "host-loop").Call(ctx, stack)
	var he *ra.HostError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &he) || st.adds != 10 {
		t.Fatalf("got %v after %d host calls", err, st.adds)
	}
}
