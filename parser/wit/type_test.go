package wit

import (
	"slices"
	"testing"
)

func TestTypeRefs(t *testing.T) {
	r := &TypeDef{Name: "r", Kind: &Resource{}}
	a := &TypeDef{Name: "a", Kind: &Alias{Type: U8}}
	for _, tc := range []struct {
		k    TypeDefKind
		want []Type
	}{
		{nil, nil},
		{&Enum{Cases: []EnumCase{{Name: "x"}}}, nil},
		{&Flags{Flags: []Flag{{Name: "x"}}}, nil},
		{&Resource{}, nil},
		{&Alias{Type: a}, []Type{a}},
		{&Record{Fields: []Field{{Name: "x", Type: U32}, {Name: "y", Type: a}}}, []Type{U32, a}},
		{&Variant{Cases: []Case{{Name: "x"}, {Name: "y", Type: String}}}, []Type{String}},
		{&Tuple{Types: []Type{U8, a, U8}}, []Type{U8, a, U8}},
		{&List{Type: a}, []Type{a}},
		{&FixedLengthList{Type: U16, Length: 3}, []Type{U16}},
		{&Option{Type: String}, []Type{String}},
		{&Result{}, nil},
		{&Result{Err: U8}, []Type{U8}},
		{&Result{OK: a, Err: U8}, []Type{a, U8}},
		{&Map{Key: String, Value: a}, []Type{String, a}},
		{&Future{}, nil},
		{&Stream{Type: U8}, []Type{U8}},
		{&Own{Type: r}, []Type{r}},
		{&Borrow{Type: r}, []Type{r}},
		{&Borrow{}, nil},
	} {
		if got := TypeRefs(tc.k); !slices.Equal(got, tc.want) {
			t.Errorf("TypeRefs(%T) = %v, want %v", tc.k, got, tc.want)
		}
	}
}
