package wit

import (
	"fmt"
	"slices"
	"testing"
)

func td(k TypeDefKind) *TypeDef { return &TypeDef{Kind: k} }

func flatString(fs []FlatType) string { return fmt.Sprint(fs) }

func namedFlags(n int) *TypeDef {
	f := &Flags{}
	for i := range n {
		f.Flags = append(f.Flags, Flag{Name: fmt.Sprintf("f%d", i)})
	}
	return td(f)
}

func enumOf(n int) *TypeDef {
	e := &Enum{}
	for i := range n {
		e.Cases = append(e.Cases, EnumCase{Name: fmt.Sprintf("c%d", i)})
	}
	return td(e)
}

// Expectations below are computed by hand from CanonicalABI.md.
func TestLayout(t *testing.T) {
	res := td(&Resource{})
	tests := []struct {
		name  string
		t     Type
		size  uint32
		align uint32
		flat  string
	}{
		{"bool", Bool, 1, 1, "[i32]"},
		{"u8", U8, 1, 1, "[i32]"},
		{"s16", S16, 2, 2, "[i32]"},
		{"u32", U32, 4, 4, "[i32]"},
		{"s64", S64, 8, 8, "[i64]"},
		{"f32", F32, 4, 4, "[f32]"},
		{"f64", F64, 8, 8, "[f64]"},
		{"char", Char, 4, 4, "[i32]"},
		{"string", String, 8, 4, "[i32 i32]"},
		{"error-context", ErrorContext, 4, 4, "[i32]"},
		{"list<u64>", td(&List{Type: U64}), 8, 4, "[i32 i32]"},
		{"map<string,u8>", td(&Map{Key: String, Value: U8}), 8, 4, "[i32 i32]"},
		// record {a: u8, b: u32, c: u16}: a@0, b@4, c@8, size 10 -> 12.
		{"record u8,u32,u16", td(&Record{Fields: []Field{{Type: U8}, {Type: U32}, {Type: U16}}}), 12, 4, "[i32 i32 i32]"},
		// tuple<u8, u64>: 0, 8 -> 16, align 8.
		{"tuple<u8,u64>", td(&Tuple{Types: []Type{U8, U64}}), 16, 8, "[i32 i64]"},
		{"tuple<>", td(&Tuple{}), 0, 1, "[]"},
		// option<u8>: disc u8 @0, payload @1 -> 2.
		{"option<u8>", td(&Option{Type: U8}), 2, 1, "[i32 i32]"},
		// option<u64>: disc @0, payload @8 -> 16.
		{"option<u64>", td(&Option{Type: U64}), 16, 8, "[i32 i64]"},
		// option<string>: disc @0, payload @4 -> 12.
		{"option<string>", td(&Option{Type: String}), 12, 4, "[i32 i32 i32]"},
		{"option<option<u8>>", td(&Option{Type: td(&Option{Type: U8})}), 3, 1, "[i32 i32 i32]"},
		// result<u32, f32>: join(i32, f32) = i32.
		{"result<u32,f32>", td(&Result{OK: U32, Err: F32}), 8, 4, "[i32 i32]"},
		// result<f32, u64>: join(f32, i64) = i64; size 16.
		{"result<f32,u64>", td(&Result{OK: F32, Err: U64}), 16, 8, "[i32 i64]"},
		// result<f64, f32>: join(f64, f32) = i64.
		{"result<f64,f32>", td(&Result{OK: F64, Err: F32}), 16, 8, "[i32 i64]"},
		{"result<f32,f32>", td(&Result{OK: F32, Err: F32}), 8, 4, "[i32 f32]"},
		{"result", td(&Result{}), 1, 1, "[i32]"},
		{"result<_,string>", td(&Result{Err: String}), 12, 4, "[i32 i32 i32]"},
		// variant {a(tuple<f32,u32>), b(u64), c}: payload flat [f32 i32] join [i64] = [i64 i32].
		{"variant", td(&Variant{Cases: []Case{
			{Name: "a", Type: td(&Tuple{Types: []Type{F32, U32}})},
			{Name: "b", Type: U64},
			{Name: "c"},
		}}), 16, 8, "[i32 i64 i32]"},
		{"enum 2", enumOf(2), 1, 1, "[i32]"},
		{"enum 256", enumOf(256), 1, 1, "[i32]"},
		{"enum 257", enumOf(257), 2, 2, "[i32]"},
		{"flags 1", namedFlags(1), 1, 1, "[i32]"},
		{"flags 8", namedFlags(8), 1, 1, "[i32]"},
		{"flags 9", namedFlags(9), 2, 2, "[i32]"},
		{"flags 16", namedFlags(16), 2, 2, "[i32]"},
		{"flags 17", namedFlags(17), 4, 4, "[i32]"},
		{"flags 32", namedFlags(32), 4, 4, "[i32]"},
		{"flags 33", namedFlags(33), 8, 4, "[i32 i32]"},
		{"own", td(&Own{Type: res}), 4, 4, "[i32]"},
		{"borrow", td(&Borrow{Type: res}), 4, 4, "[i32]"},
		{"future", td(&Future{Type: U8}), 4, 4, "[i32]"},
		{"stream", td(&Stream{}), 4, 4, "[i32]"},
		// list<u16, 3>: 6 bytes, align 2, three i32.
		{"list<u16,3>", td(&FixedLengthList{Type: U16, Length: 3}), 6, 2, "[i32 i32 i32]"},
		{"list<string,2>", td(&FixedLengthList{Type: String, Length: 2}), 16, 4, "[i32 i32 i32 i32]"},
		{"alias of u64", td(&Alias{Type: U64}), 8, 8, "[i64]"},
		// record {a: char, b: option<bool>, c: s8}: a@0 (4), b@4 (2), c@6 -> 7 -> 8.
		{"nested record", td(&Record{Fields: []Field{
			{Type: Char}, {Type: td(&Option{Type: Bool})}, {Type: S8},
		}}), 8, 4, "[i32 i32 i32 i32]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Size(tt.t); got != tt.size {
				t.Errorf("Size = %d, want %d", got, tt.size)
			}
			if got := Align(tt.t); got != tt.align {
				t.Errorf("Align = %d, want %d", got, tt.align)
			}
			if got := flatString(Flat(tt.t)); got != tt.flat {
				t.Errorf("Flat = %s, want %s", got, tt.flat)
			}
		})
	}
}

func TestOffsets(t *testing.T) {
	got := FieldOffsets([]Type{U8, U32, U16, U64, Bool})
	want := []uint32{0, 4, 8, 16, 24}
	if !slices.Equal(got, want) {
		t.Errorf("FieldOffsets = %v, want %v", got, want)
	}
	for _, tt := range []struct {
		k    TypeDefKind
		want uint32
	}{
		{&Option{Type: U8}, 1},
		{&Option{Type: U64}, 8},
		{&Result{}, 1},
		{&Result{OK: String}, 4},
		{enumOf(300).Kind, 2},
	} {
		if got := VariantPayloadOffset(tt.k); got != tt.want {
			t.Errorf("VariantPayloadOffset(%T) = %d, want %d", tt.k, got, tt.want)
		}
	}
}

func TestJoin(t *testing.T) {
	for _, tt := range []struct{ a, b, want FlatType }{
		{FlatI32, FlatI32, FlatI32},
		{FlatI32, FlatF32, FlatI32},
		{FlatF32, FlatI32, FlatI32},
		{FlatF32, FlatF32, FlatF32},
		{FlatI32, FlatI64, FlatI64},
		{FlatF32, FlatF64, FlatI64},
		{FlatF64, FlatF64, FlatF64},
		{FlatI64, FlatF64, FlatI64},
	} {
		if got := JoinFlat(tt.a, tt.b); got != tt.want {
			t.Errorf("JoinFlat(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestFunctionABI(t *testing.T) {
	params := func(ts ...Type) []Param {
		ps := make([]Param, len(ts))
		for i, t := range ts {
			ps[i] = Param{Name: fmt.Sprintf("p%d", i), Type: t}
		}
		return ps
	}
	many := make([]Type, 17)
	for i := range many {
		many[i] = U32
	}
	tests := []struct {
		name              string
		f                 *Function
		cx                ABIContext
		params, results   string
		pIndirect, rIndir bool
	}{
		{"scalars lift", &Function{Params: params(U32, F64), Result: U64}, Lift, "[i32 f64]", "[i64]", false, false},
		{"nothing", &Function{}, Lower, "[]", "[]", false, false},
		{"string result lift", &Function{Params: params(String), Result: String}, Lift, "[i32 i32]", "[i32]", false, true},
		{"string result lower", &Function{Params: params(String), Result: String}, Lower, "[i32 i32 i32]", "[]", false, true},
		{"16 params", &Function{Params: params(many[:16]...)}, Lift, "[i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32]", "[]", false, false},
		{"17 params lift", &Function{Params: params(many...)}, Lift, "[i32]", "[]", true, false},
		{"17 params lower + retptr", &Function{Params: params(many...), Result: td(&Tuple{Types: []Type{U8, U8}})}, Lower, "[i32 i32]", "[]", true, true},
		{"option<u8> result lift", &Function{Result: td(&Option{Type: U8})}, Lift, "[]", "[i32]", false, true},
		{"enum result", &Function{Result: enumOf(3)}, Lift, "[]", "[i32]", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.f.ABI(tt.cx)
			if got := flatString(a.Params); got != tt.params {
				t.Errorf("Params = %s, want %s", got, tt.params)
			}
			if got := flatString(a.Results); got != tt.results {
				t.Errorf("Results = %s, want %s", got, tt.results)
			}
			if a.ParamsIndirect != tt.pIndirect || a.ResultsIndirect != tt.rIndir {
				t.Errorf("indirect = %v/%v, want %v/%v", a.ParamsIndirect, a.ResultsIndirect, tt.pIndirect, tt.rIndir)
			}
		})
	}
}

func TestLayoutMethods(t *testing.T) {
	r := td(&Record{Fields: []Field{{Type: U8}, {Type: U64}}})
	if r.Size() != 16 || r.Align() != 8 || flatString(r.Flat()) != "[i32 i64]" {
		t.Errorf("record methods: %d %d %v", r.Size(), r.Align(), r.Flat())
	}
	if String.Size() != 8 || String.Align() != 4 || flatString(String.Flat()) != "[i32 i32]" {
		t.Errorf("string methods: %d %d %v", String.Size(), String.Align(), String.Flat())
	}
}
