package difftest

// The generated bindings' side: a host for interface host that echoes and
// records what it received, and one caller per guest export.

import (
	"context"
	"errors"

	ks "github.com/wasmhost/wit-bindgen-go-host/golden/kitchen-sink"
	ra "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
	co "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wasmtime/internal/componentoracle"
)

var (
	cListU8     = cList(cU8)
	cListString = cList(cString)
	cListRecord = cList(cMixed)
	cListList   = cList(cList(cU32))
	cOptOpt     = cOption(cOptU32)
	cResUnit    = cResult[struct{}, struct{}](nil, nil)
	cResOk      = cResult[string, struct{}](&cString, nil)
	cResErr     = cResult[struct{}, ks.Color](nil, &cColor)
	cResBoth    = cResult[ks.Point, string](&cPoint, &cString)
)

// recHost implements interface host: every echo-* returns its argument and
// records it (as a component value) in got.
type recHost struct {
	ks.UnimplementedHost
	got   *co.Value
	blobs blobStore // resource blob (resource_test.go)
}

func rec[T any](h *recHost, c conv[T], x T) (T, error) {
	h.got = co.Ptr(c.from(x))
	return x, nil
}

func (h *recHost) Ping(ctx context.Context) error { return nil }

func (h *recHost) EchoBool(ctx context.Context, x bool) (bool, error)      { return rec(h, cBool, x) }
func (h *recHost) EchoU8(ctx context.Context, x uint8) (uint8, error)      { return rec(h, cU8, x) }
func (h *recHost) EchoS8(ctx context.Context, x int8) (int8, error)        { return rec(h, cS8, x) }
func (h *recHost) EchoU16(ctx context.Context, x uint16) (uint16, error)   { return rec(h, cU16, x) }
func (h *recHost) EchoS16(ctx context.Context, x int16) (int16, error)     { return rec(h, cS16, x) }
func (h *recHost) EchoU32(ctx context.Context, x uint32) (uint32, error)   { return rec(h, cU32, x) }
func (h *recHost) EchoS32(ctx context.Context, x int32) (int32, error)     { return rec(h, cS32, x) }
func (h *recHost) EchoU64(ctx context.Context, x uint64) (uint64, error)   { return rec(h, cU64, x) }
func (h *recHost) EchoS64(ctx context.Context, x int64) (int64, error)     { return rec(h, cS64, x) }
func (h *recHost) EchoF32(ctx context.Context, x float32) (float32, error) { return rec(h, cF32, x) }
func (h *recHost) EchoF64(ctx context.Context, x float64) (float64, error) { return rec(h, cF64, x) }
func (h *recHost) EchoChar(ctx context.Context, x rune) (rune, error)      { return rec(h, cChar, x) }
func (h *recHost) EchoString(ctx context.Context, x string) (string, error) {
	return rec(h, cString, x)
}
func (h *recHost) EchoListU8(ctx context.Context, x []byte) ([]byte, error) {
	return rec(h, cListU8, x)
}
func (h *recHost) EchoListString(ctx context.Context, x []string) ([]string, error) {
	return rec(h, cListString, x)
}
func (h *recHost) EchoListRecord(ctx context.Context, x []ks.Mixed) ([]ks.Mixed, error) {
	return rec(h, cListRecord, x)
}
func (h *recHost) EchoListList(ctx context.Context, x [][]uint32) ([][]uint32, error) {
	return rec(h, cListList, x)
}
func (h *recHost) EchoPoint(ctx context.Context, x ks.Point) (ks.Point, error) {
	return rec(h, cPoint, x)
}
func (h *recHost) EchoRecord(ctx context.Context, x ks.Mixed) (ks.Mixed, error) {
	return rec(h, cMixed, x)
}
func (h *recHost) EchoNested(ctx context.Context, x ks.Nested) (ks.Nested, error) {
	return rec(h, cNested, x)
}
func (h *recHost) EchoColor(ctx context.Context, x ks.Color) (ks.Color, error) {
	return rec(h, cColor, x)
}
func (h *recHost) EchoBigEnum(ctx context.Context, x ks.BigEnum) (ks.BigEnum, error) {
	return rec(h, cBigEnum, x)
}
func (h *recHost) EchoFlags1(ctx context.Context, x ks.Flags1) (ks.Flags1, error) {
	return rec(h, cFlags1, x)
}
func (h *recHost) EchoFlags8(ctx context.Context, x ks.Flags8) (ks.Flags8, error) {
	return rec(h, cFlags8, x)
}
func (h *recHost) EchoFlags9(ctx context.Context, x ks.Flags9) (ks.Flags9, error) {
	return rec(h, cFlags9, x)
}
func (h *recHost) EchoFlags16(ctx context.Context, x ks.Flags16) (ks.Flags16, error) {
	return rec(h, cFlags16, x)
}
func (h *recHost) EchoFlags17(ctx context.Context, x ks.Flags17) (ks.Flags17, error) {
	return rec(h, cFlags17, x)
}
func (h *recHost) EchoFlags32(ctx context.Context, x ks.Flags32) (ks.Flags32, error) {
	return rec(h, cFlags32, x)
}
func (h *recHost) EchoBigVariant(ctx context.Context, x ks.BigVariant) (ks.BigVariant, error) {
	return rec(h, cBigVariant, x)
}
func (h *recHost) EchoJoined(ctx context.Context, x ks.Joined) (ks.Joined, error) {
	return rec(h, cJoined, x)
}
func (h *recHost) EchoNum(ctx context.Context, x ks.Num) (ks.Num, error) { return rec(h, cNum, x) }
func (h *recHost) EchoOptionU32(ctx context.Context, x ra.Option[uint32]) (ra.Option[uint32], error) {
	return rec(h, cOptU32, x)
}
func (h *recHost) EchoOptionString(ctx context.Context, x ra.Option[string]) (ra.Option[string], error) {
	return rec(h, cOptString, x)
}
func (h *recHost) EchoOptionOption(ctx context.Context, x ra.Option[ra.Option[uint32]]) (ra.Option[ra.Option[uint32]], error) {
	return rec(h, cOptOpt, x)
}
func (h *recHost) EchoTuple(ctx context.Context, x tuple3) (tuple3, error) { return rec(h, cTuple, x) }

func (h *recHost) EchoPair(ctx context.Context, a uint64, b string) (pair, error) {
	return rec(h, cPair, pair{a, b})
}

func (h *recHost) EchoMany(ctx context.Context, a uint8, b int8, c uint16, d int16, e uint32, f int32, g uint64, hh int64, i float32, j float64, k bool, l rune, m string, n ks.Point, o ks.Color, p ks.Flags9, q ra.Option[uint32]) (ks.ManyFields, error) {
	return rec(h, cMany, ks.ManyFields{A: a, B: b, C: c, D: d, E: e, F: f, G: g, H: hh, I: i, J: j, K: k, L: l, M: m, N: n, O: o, P: p, Q: q})
}

// The result-returning imports answer err(e) with a *WITError[E].

func (h *recHost) EchoResultUnit(ctx context.Context, x ra.Result[struct{}, struct{}]) error {
	h.got = co.Ptr(cResUnit.from(x))
	if x.IsErr() {
		return ra.NewWITError(struct{}{})
	}
	return nil
}

func (h *recHost) EchoResultOk(ctx context.Context, x ra.Result[string, struct{}]) (string, error) {
	h.got = co.Ptr(cResOk.from(x))
	if v, ok := x.OK(); ok {
		return v, nil
	}
	return "", ra.NewWITError(struct{}{})
}

func (h *recHost) EchoResultErr(ctx context.Context, x ra.Result[struct{}, ks.Color]) error {
	h.got = co.Ptr(cResErr.from(x))
	if e, isErr := x.Err(); isErr {
		return ra.NewWITError(e)
	}
	return nil
}

func (h *recHost) EchoResultBoth(ctx context.Context, x ra.Result[ks.Point, string]) (ks.Point, error) {
	h.got = co.Ptr(cResBoth.from(x))
	if e, isErr := x.Err(); isErr {
		return ks.Point{}, ra.NewWITError(e)
	}
	v, _ := x.OK()
	return v, nil
}

var _ ks.Host = (*recHost)(nil)

// caller calls one guest export through the generated bindings with
// component-value arguments and returns its result as a component value.
type caller func(ctx context.Context, g ks.GuestExports, args []co.Value) (*co.Value, error)

func call1[T any](c conv[T], f func(ks.GuestExports, context.Context, T) (T, error)) caller {
	return func(ctx context.Context, g ks.GuestExports, args []co.Value) (*co.Value, error) {
		r, err := f(g, ctx, c.to(args[0]))
		if err != nil {
			return nil, err
		}
		return co.Ptr(c.from(r)), nil
	}
}

// resultOf turns a (T, error) answer of a result<T, E> function back into
// a Result: a *WITError[E] becomes err(E).
func resultOf[T, E any](v T, err error) (ra.Result[T, E], error) {
	var we *ra.WITError[E]
	if errors.As(err, &we) {
		return ra.Err[T](we.Value), nil
	}
	if err != nil {
		return ra.Result[T, E]{}, err
	}
	return ra.OK[T, E](v), nil
}

func unit(err error) (struct{}, error) { return struct{}{}, err }

func many(f func(ks.GuestExports, context.Context, uint8, int8, uint16, int16, uint32, int32, uint64, int64, float32, float64, bool, rune, string, ks.Point, ks.Color, ks.Flags9, ra.Option[uint32]) (ks.ManyFields, error)) caller {
	return func(ctx context.Context, g ks.GuestExports, a []co.Value) (*co.Value, error) {
		r, err := f(g, ctx, cU8.to(a[0]), cS8.to(a[1]), cU16.to(a[2]), cS16.to(a[3]), cU32.to(a[4]), cS32.to(a[5]),
			cU64.to(a[6]), cS64.to(a[7]), cF32.to(a[8]), cF64.to(a[9]), cBool.to(a[10]), cChar.to(a[11]),
			cString.to(a[12]), cPoint.to(a[13]), cColor.to(a[14]), cFlags9.to(a[15]), cOptU32.to(a[16]))
		if err != nil {
			return nil, err
		}
		return co.Ptr(cMany.from(r)), nil
	}
}

func pairOf(f func(ks.GuestExports, context.Context, uint64, string) (pair, error)) caller {
	return func(ctx context.Context, g ks.GuestExports, a []co.Value) (*co.Value, error) {
		r, err := f(g, ctx, a[0].Uint, a[1].Str)
		if err != nil {
			return nil, err
		}
		return co.Ptr(cPair.from(r)), nil
	}
}

func noArgs(f func(ks.GuestExports, context.Context) error) caller {
	return func(ctx context.Context, g ks.GuestExports, _ []co.Value) (*co.Value, error) {
		return nil, f(g, ctx)
	}
}

// bindingsOf maps every guest export of the differential test to its
// caller.
var bindingsOf = map[string]caller{
	"ping":                    noArgs(ks.GuestExports.Ping),
	"roundtrip-ping":          noArgs(ks.GuestExports.RoundtripPing),
	"echo-pair":               pairOf(ks.GuestExports.EchoPair),
	"roundtrip-pair":          pairOf(ks.GuestExports.RoundtripPair),
	"echo-many":               many(ks.GuestExports.EchoMany),
	"roundtrip-many":          many(ks.GuestExports.RoundtripMany),
	"echo-bool":               call1(cBool, ks.GuestExports.EchoBool),
	"roundtrip-bool":          call1(cBool, ks.GuestExports.RoundtripBool),
	"echo-u8":                 call1(cU8, ks.GuestExports.EchoU8),
	"roundtrip-u8":            call1(cU8, ks.GuestExports.RoundtripU8),
	"echo-s8":                 call1(cS8, ks.GuestExports.EchoS8),
	"roundtrip-s8":            call1(cS8, ks.GuestExports.RoundtripS8),
	"echo-u16":                call1(cU16, ks.GuestExports.EchoU16),
	"roundtrip-u16":           call1(cU16, ks.GuestExports.RoundtripU16),
	"echo-s16":                call1(cS16, ks.GuestExports.EchoS16),
	"roundtrip-s16":           call1(cS16, ks.GuestExports.RoundtripS16),
	"echo-u32":                call1(cU32, ks.GuestExports.EchoU32),
	"roundtrip-u32":           call1(cU32, ks.GuestExports.RoundtripU32),
	"echo-s32":                call1(cS32, ks.GuestExports.EchoS32),
	"roundtrip-s32":           call1(cS32, ks.GuestExports.RoundtripS32),
	"echo-u64":                call1(cU64, ks.GuestExports.EchoU64),
	"roundtrip-u64":           call1(cU64, ks.GuestExports.RoundtripU64),
	"echo-s64":                call1(cS64, ks.GuestExports.EchoS64),
	"roundtrip-s64":           call1(cS64, ks.GuestExports.RoundtripS64),
	"echo-f32":                call1(cF32, ks.GuestExports.EchoF32),
	"roundtrip-f32":           call1(cF32, ks.GuestExports.RoundtripF32),
	"echo-f64":                call1(cF64, ks.GuestExports.EchoF64),
	"roundtrip-f64":           call1(cF64, ks.GuestExports.RoundtripF64),
	"echo-char":               call1(cChar, ks.GuestExports.EchoChar),
	"roundtrip-char":          call1(cChar, ks.GuestExports.RoundtripChar),
	"echo-string":             call1(cString, ks.GuestExports.EchoString),
	"roundtrip-string":        call1(cString, ks.GuestExports.RoundtripString),
	"echo-list-u8":            call1(cListU8, ks.GuestExports.EchoListU8),
	"roundtrip-list-u8":       call1(cListU8, ks.GuestExports.RoundtripListU8),
	"echo-list-string":        call1(cListString, ks.GuestExports.EchoListString),
	"roundtrip-list-string":   call1(cListString, ks.GuestExports.RoundtripListString),
	"echo-list-record":        call1(cListRecord, ks.GuestExports.EchoListRecord),
	"roundtrip-list-record":   call1(cListRecord, ks.GuestExports.RoundtripListRecord),
	"echo-list-list":          call1(cListList, ks.GuestExports.EchoListList),
	"roundtrip-list-list":     call1(cListList, ks.GuestExports.RoundtripListList),
	"echo-point":              call1(cPoint, ks.GuestExports.EchoPoint),
	"roundtrip-point":         call1(cPoint, ks.GuestExports.RoundtripPoint),
	"echo-record":             call1(cMixed, ks.GuestExports.EchoRecord),
	"roundtrip-record":        call1(cMixed, ks.GuestExports.RoundtripRecord),
	"echo-nested":             call1(cNested, ks.GuestExports.EchoNested),
	"roundtrip-nested":        call1(cNested, ks.GuestExports.RoundtripNested),
	"echo-color":              call1(cColor, ks.GuestExports.EchoColor),
	"roundtrip-color":         call1(cColor, ks.GuestExports.RoundtripColor),
	"echo-big-enum":           call1(cBigEnum, ks.GuestExports.EchoBigEnum),
	"roundtrip-big-enum":      call1(cBigEnum, ks.GuestExports.RoundtripBigEnum),
	"echo-flags1":             call1(cFlags1, ks.GuestExports.EchoFlags1),
	"roundtrip-flags1":        call1(cFlags1, ks.GuestExports.RoundtripFlags1),
	"echo-flags8":             call1(cFlags8, ks.GuestExports.EchoFlags8),
	"roundtrip-flags8":        call1(cFlags8, ks.GuestExports.RoundtripFlags8),
	"echo-flags9":             call1(cFlags9, ks.GuestExports.EchoFlags9),
	"roundtrip-flags9":        call1(cFlags9, ks.GuestExports.RoundtripFlags9),
	"echo-flags16":            call1(cFlags16, ks.GuestExports.EchoFlags16),
	"roundtrip-flags16":       call1(cFlags16, ks.GuestExports.RoundtripFlags16),
	"echo-flags17":            call1(cFlags17, ks.GuestExports.EchoFlags17),
	"roundtrip-flags17":       call1(cFlags17, ks.GuestExports.RoundtripFlags17),
	"echo-flags32":            call1(cFlags32, ks.GuestExports.EchoFlags32),
	"roundtrip-flags32":       call1(cFlags32, ks.GuestExports.RoundtripFlags32),
	"echo-big-variant":        call1(cBigVariant, ks.GuestExports.EchoBigVariant),
	"roundtrip-big-variant":   call1(cBigVariant, ks.GuestExports.RoundtripBigVariant),
	"echo-joined":             call1(cJoined, ks.GuestExports.EchoJoined),
	"roundtrip-joined":        call1(cJoined, ks.GuestExports.RoundtripJoined),
	"echo-num":                call1(cNum, ks.GuestExports.EchoNum),
	"roundtrip-num":           call1(cNum, ks.GuestExports.RoundtripNum),
	"echo-option-u32":         call1(cOptU32, ks.GuestExports.EchoOptionU32),
	"roundtrip-option-u32":    call1(cOptU32, ks.GuestExports.RoundtripOptionU32),
	"echo-option-string":      call1(cOptString, ks.GuestExports.EchoOptionString),
	"roundtrip-option-string": call1(cOptString, ks.GuestExports.RoundtripOptionString),
	"echo-option-option":      call1(cOptOpt, ks.GuestExports.EchoOptionOption),
	"roundtrip-option-option": call1(cOptOpt, ks.GuestExports.RoundtripOptionOption),
	"echo-tuple":              call1(cTuple, ks.GuestExports.EchoTuple),
	"roundtrip-tuple":         call1(cTuple, ks.GuestExports.RoundtripTuple),
	"echo-result-unit": call1(cResUnit, func(g ks.GuestExports, ctx context.Context, x ra.Result[struct{}, struct{}]) (ra.Result[struct{}, struct{}], error) {
		return resultOf[struct{}, struct{}](unit(g.EchoResultUnit(ctx, x)))
	}),
	"roundtrip-result-unit": call1(cResUnit, func(g ks.GuestExports, ctx context.Context, x ra.Result[struct{}, struct{}]) (ra.Result[struct{}, struct{}], error) {
		return resultOf[struct{}, struct{}](unit(g.RoundtripResultUnit(ctx, x)))
	}),
	"echo-result-ok": call1(cResOk, func(g ks.GuestExports, ctx context.Context, x ra.Result[string, struct{}]) (ra.Result[string, struct{}], error) {
		return resultOf[string, struct{}](g.EchoResultOk(ctx, x))
	}),
	"roundtrip-result-ok": call1(cResOk, func(g ks.GuestExports, ctx context.Context, x ra.Result[string, struct{}]) (ra.Result[string, struct{}], error) {
		return resultOf[string, struct{}](g.RoundtripResultOk(ctx, x))
	}),
	"echo-result-err": call1(cResErr, func(g ks.GuestExports, ctx context.Context, x ra.Result[struct{}, ks.Color]) (ra.Result[struct{}, ks.Color], error) {
		return resultOf[struct{}, ks.Color](unit(g.EchoResultErr(ctx, x)))
	}),
	"roundtrip-result-err": call1(cResErr, func(g ks.GuestExports, ctx context.Context, x ra.Result[struct{}, ks.Color]) (ra.Result[struct{}, ks.Color], error) {
		return resultOf[struct{}, ks.Color](unit(g.RoundtripResultErr(ctx, x)))
	}),
	"echo-result-both": call1(cResBoth, func(g ks.GuestExports, ctx context.Context, x ra.Result[ks.Point, string]) (ra.Result[ks.Point, string], error) {
		return resultOf[ks.Point, string](g.EchoResultBoth(ctx, x))
	}),
	"roundtrip-result-both": call1(cResBoth, func(g ks.GuestExports, ctx context.Context, x ra.Result[ks.Point, string]) (ra.Result[ks.Point, string], error) {
		return resultOf[ks.Point, string](g.RoundtripResultBoth(ctx, x))
	}),
}
