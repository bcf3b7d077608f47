package componentoracle

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	wasmtimego "github.com/bytecodealliance/wasmtime-go/v39"
)

type fixture struct {
	inst  *Instance
	greet int
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	src, err := os.ReadFile("testdata/echo.wat")
	if err != nil {
		t.Fatal(err)
	}
	e := NewEngine()
	t.Cleanup(e.Close)
	c, err := e.Compile(src)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	l := e.NewLinker()
	t.Cleanup(l.Close)
	f := &fixture{}
	err = l.Define("", map[string]HostFunc{
		"host-add": func(args []Value) ([]Value, error) {
			if args[0].Uint == 13 {
				return nil, errors.New("unlucky")
			}
			return []Value{U32(uint32(args[0].Uint + args[1].Uint))}, nil
		},
		"host-greet": func(args []Value) ([]Value, error) {
			f.greet++
			return []Value{String("hello, " + args[0].Str + "!")}, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	err = l.Define("example:oracle/math", map[string]HostFunc{
		"mul": func(args []Value) ([]Value, error) {
			if args[0].Int == 0 {
				panic("host bug")
			}
			return []Value{S32(int32(args[0].Int * args[1].Int))}, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	f.inst, err = l.Instantiate(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.inst.Close)
	return f
}

func TestRoundTrip(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		fn string
		v  Value
	}{
		{"echo-bool", Bool(true)},
		{"echo-bool", Bool(false)},
		{"echo-s8", S8(-128)},
		{"echo-u8", U8(255)},
		{"echo-s16", S16(-32768)},
		{"echo-u16", U16(65535)},
		{"echo-s32", S32(math.MinInt32)},
		{"echo-u32", U32(math.MaxUint32)},
		{"echo-s64", S64(math.MinInt64)},
		{"echo-u64", U64(math.MaxUint64)},
		{"echo-f32", F32(-1.5)},
		{"echo-f32", F32(float32(math.Inf(1)))},
		{"echo-f64", F64(math.Pi)},
		{"echo-f64", F64(math.Copysign(0, -1))},
		{"echo-char", Char('✓')},
		{"echo-char", Char(0x10FFFF)},
		{"echo-enum", Enum("blue")},
		{"echo-flags", Flags("read", "exec")},
		{"echo-flags", Flags()},
		{"echo-string", String("")},
		{"echo-string", String("hello, wörld ✓")},
		{"echo-string", String(strings.Repeat("big ", 50000))},
		{"echo-bytes", Bytes([]byte{0, 1, 2, 255})},
		{"echo-bytes", Bytes(nil)},
		{"echo-record", Record(Field{"a", U32(7)}, Field{"b", String("bee")}, Field{"c", Bool(true)})},
		{"echo-option", Some(U32(42))},
		{"echo-option", None()},
		{"echo-result", Ok(Ptr(U32(1)))},
		{"echo-result", Err(Ptr(String("boom")))},
		{"echo-variant", Variant("none", nil)},
		{"echo-variant", Variant("num", Ptr(U64(1<<60)))},
		{"echo-variant", Variant("text", Ptr(String("tex")))},
		{"echo-tuple", Tuple(U8(9), S64(-1), F32(0.25))},
	} {
		got, err := f.inst.Call(c.fn, c.v)
		if err != nil {
			t.Errorf("%s(%v): %v", c.fn, c.v, err)
			continue
		}
		if len(got) != 1 || !Equal(got[0], c.v) {
			t.Errorf("%s(%v) = %v", c.fn, shorten(c.v), got)
		}
	}
}

func shorten(v Value) string {
	s := v.String()
	if len(s) > 80 {
		s = s[:80] + "..."
	}
	return s
}

func TestHostFunctions(t *testing.T) {
	f := newFixture(t)
	got, err := f.inst.Call("add-via-host", U32(40), U32(2))
	if err != nil || len(got) != 1 || !Equal(got[0], U32(42)) {
		t.Fatalf("add-via-host = %v, %v", got, err)
	}
	got, err = f.inst.Call("greet-via-host", String("oracle"))
	if err != nil || len(got) != 1 || !Equal(got[0], String("hello, oracle!")) || f.greet != 1 {
		t.Fatalf("greet-via-host = %v, %v", got, err)
	}
	got, err = f.inst.Call("example:oracle/calc#mul-via-host", S32(-6), S32(7))
	if err != nil || len(got) != 1 || !Equal(got[0], S32(-42)) {
		t.Fatalf("mul-via-host = %v, %v", got, err)
	}
	// A host error traps the call, with its message.
	if _, err := f.inst.Call("add-via-host", U32(13), U32(2)); err == nil || !strings.Contains(err.Error(), "unlucky") {
		t.Fatalf("host error: %v", err)
	}
}

func TestHostPanic(t *testing.T) {
	f := newFixture(t)
	if _, err := f.inst.Call("example:oracle/calc#mul-via-host", S32(0), S32(7)); err == nil || !strings.Contains(err.Error(), "host bug") {
		t.Fatalf("host panic: %v", err)
	}
}

func TestErrors(t *testing.T) {
	f := newFixture(t)
	if _, err := f.inst.Call("no-such"); err == nil || !strings.Contains(err.Error(), `no export "no-such"`) {
		t.Fatal(err)
	}
	if _, err := f.inst.Call("example:oracle/calc#nope"); err == nil {
		t.Fatal("missing nested export")
	}
	if _, err := NewEngine().Compile([]byte("(component (core module (func (export \"f\") unreachable)) oops")); err == nil {
		t.Fatal("bad text compiled")
	}
	// Type mismatches and invalid values are refused. wasmtime checks them
	// while lowering, inside the call, so a refused value poisons the
	// instance like a trap ("cannot enter component instance"); only values
	// the Go side refuses before the call (invalid chars) do not. Oracle
	// users take a fresh instance after an error.
	for _, c := range []struct {
		fn      string
		arg     Value
		poisons bool
	}{
		{"echo-u32", String("x"), true},
		{"echo-char", Char(0xD800), false},
		{"echo-record", Record(Field{"a", U32(1)}), true},
		{"echo-enum", Enum("purple"), true},
		{"echo-flags", Flags("read", "fly"), true},
		{"echo-variant", Variant("num", Ptr(String("x"))), true},
	} {
		f := newFixture(t)
		if _, err := f.inst.Call(c.fn, c.arg); err == nil {
			t.Errorf("%s(%v) accepted", c.fn, c.arg)
		}
		_, err := f.inst.Call("echo-u32", U32(5))
		if poisoned := err != nil; poisoned != c.poisons {
			t.Errorf("after %s(%v): instance poisoned: %v (%v)", c.fn, c.arg, poisoned, err)
		}
	}
}

// The same component, compiled from its binary form (wasmtime-go's
// Wat2Wasm also encodes components).
func TestCompileBinary(t *testing.T) {
	src, err := os.ReadFile("testdata/echo.wat")
	if err != nil {
		t.Fatal(err)
	}
	bin, err := wasmtimego.Wat2Wasm(string(src))
	if err != nil {
		t.Fatal(err)
	}
	if string(bin[:4]) != "\x00asm" || bin[6] != 0x01 { // layer 1: a component
		t.Fatalf("not a component binary: % x", bin[:8])
	}
	e := NewEngine()
	defer e.Close()
	c, err := e.Compile(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	l := e.NewLinker()
	defer l.Close()
	// Unknown imports: instantiation fails and names one.
	if _, err := l.Instantiate(c); err == nil || !strings.Contains(err.Error(), "host-") {
		t.Fatalf("missing imports: %v", err)
	}
	noop := func([]Value) ([]Value, error) { return []Value{U32(0)}, nil }
	if err := l.Define("", map[string]HostFunc{"host-add": noop, "host-greet": noop}); err != nil {
		t.Fatal(err)
	}
	if err := l.Define("example:oracle/math", map[string]HostFunc{"mul": noop}); err != nil {
		t.Fatal(err)
	}
	inst, err := l.Instantiate(c)
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	v := Record(Field{"a", U32(1)}, Field{"b", String("binary")}, Field{"c", Bool(false)})
	if got, err := inst.Call("echo-record", v); err != nil || !Equal(got[0], v) {
		t.Fatal(got, err)
	}
	// A host function returning the wrong type: the call fails.
	if _, err := inst.Call("greet-via-host", String("x")); err == nil {
		t.Fatal("u32 accepted as string result")
	}
	inst.Close()
	if _, err := inst.Call("echo-u32", U32(1)); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Fatal(err)
	}
}
