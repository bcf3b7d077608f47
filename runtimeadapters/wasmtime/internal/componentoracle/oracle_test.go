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
			if args[0].Uint == 99 {
				return []Value{String("not a u32")}, nil
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
	// Type mismatches and invalid values are refused by the Go-side type
	// check before wasmtime sees them: a clear error wrapping ErrType that
	// names the argument and the path inside it, and the instance stays
	// usable (wasmtime's own check runs while lowering, inside the call,
	// and would poison the instance; an invalid char would abort the
	// process in wasmtime's C API).
	for _, c := range []struct {
		fn   string
		args []Value
		msg  string
	}{
		{"echo-u32", []Value{String("x")}, "argument 0 (x): want u32, got a string value"},
		{"echo-u32", nil, "0 arguments, the function takes 1"},
		{"echo-u32", []Value{U32(1), U32(2)}, "2 arguments, the function takes 1"},
		{"echo-s8", []Value{{Kind: KindS8, Int: 300}}, "300 out of range for s8"},
		{"echo-u16", []Value{{Kind: KindU16, Uint: 1 << 16}}, "65536 out of range for u16"},
		{"echo-char", []Value{Char(0xD800)}, "invalid char 0xd800"},
		{"echo-string", []Value{String("\xff")}, "not valid UTF-8"},
		{"echo-record", []Value{Record(Field{"a", U32(1)})}, "record with 1 fields, the type has 3"},
		{"echo-record", []Value{Record(Field{"a", U32(1)}, Field{"c", String("")}, Field{"b", Bool(true)})}, `field 1 is "c", the type's is "b"`},
		{"echo-record", []Value{Record(Field{"a", U32(1)}, Field{"b", U32(2)}, Field{"c", Bool(true)})}, "argument 0 (x).b: want string"},
		{"echo-enum", []Value{Enum("purple")}, `no case "purple" in the enum`},
		{"echo-flags", []Value{Flags("read", "fly")}, `no flag "fly"`},
		{"echo-flags", []Value{Flags("read", "read")}, `flag "read" set twice`},
		{"echo-variant", []Value{Variant("num", Ptr(String("x")))}, "argument 0 (x)(num): want u64"},
		{"echo-variant", []Value{Variant("none", Ptr(U64(1)))}, `case "none" has no payload`},
		{"echo-variant", []Value{Variant("num", nil)}, `case "num" needs a payload`},
		{"echo-variant", []Value{Variant("nope", nil)}, `no case "nope"`},
		{"echo-option", []Value{Some(S32(1))}, "(some): want u32"},
		{"echo-result", []Value{Err(Ptr(U32(1)))}, "(err): want string"},
		{"echo-result", []Value{Ok(nil)}, "ok needs a payload"},
		{"echo-tuple", []Value{Tuple(U8(1), S64(2))}, "tuple of 2, the type has 3"},
		{"echo-bytes", []Value{List(U8(1), U16(2))}, "argument 0 (x)[1]: want u8, got a u16 value"},
		{"echo-u32", []Value{HostOwn(1, 1)}, "want u32, got a resource value"},
	} {
		if err := f.inst.CheckArgs(c.fn, c.args...); !errors.Is(err, ErrType) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("CheckArgs %s%v: %v, want ErrType with %q", c.fn, c.args, err, c.msg)
		}
		_, err := f.inst.Call(c.fn, c.args...)
		if !errors.Is(err, ErrType) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s%v: %v, want ErrType with %q", c.fn, c.args, err, c.msg)
		}
		if got, err := f.inst.Call("echo-u32", U32(5)); err != nil || !Equal(got[0], U32(5)) {
			t.Errorf("after %s%v: instance unusable: %v, %v", c.fn, c.args, got, err)
		}
	}
	// A host function's result is checked too: the guest traps with a
	// message naming the function and the mismatch.
	if _, err := f.inst.Call("add-via-host", U32(99), U32(0)); err == nil || !strings.Contains(err.Error(), "host function host-add: value does not match the component type: result: want u32, got a string value") {
		t.Errorf("host result of the wrong type: %v", err)
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
