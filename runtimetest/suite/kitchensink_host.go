package suite

import (
	"context"
	"errors"
	"fmt"

	ks "github.com/wasmhost/wit-bindgen-go-host/golden/kitchen-sink"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
)

// ksHost implements interface `host`: every echo-* returns its argument
// unchanged, and blob is an in-memory byte buffer whose destructor calls
// are counted.
type ksHost struct {
	ks.UnimplementedHost
	created int // blobs created by the host (constructor, merge, make-blob)
	dropped int // Drop calls on blobs (destructor runs)
	pings   int
	// failU32, if set, is what echo-u32 fails with.
	failU32 error
}

// blob is the host's implementation of resource blob.
type blob struct {
	h       *ksHost
	data    []byte
	dropped bool
}

func (h *ksHost) newBlob(data []byte) *blob {
	h.created++
	return &blob{h: h, data: append([]byte(nil), data...)}
}

func (b *blob) Size(ctx context.Context) (uint32, error) { return uint32(len(b.data)), nil }

func (b *blob) Read(ctx context.Context, offset, n uint32) ([]byte, error) {
	if uint64(offset)+uint64(n) > uint64(len(b.data)) {
		return nil, fmt.Errorf("read %d+%d past %d", offset, n, len(b.data))
	}
	return append([]byte(nil), b.data[offset:offset+n]...), nil
}

func (b *blob) Append(ctx context.Context, data []byte) error {
	b.data = append(b.data, data...)
	return nil
}

func (b *blob) Drop(ctx context.Context) error {
	if b.dropped {
		return errors.New("blob dropped twice")
	}
	b.dropped = true
	b.h.dropped++
	return nil
}

func (h *ksHost) NewBlob(ctx context.Context, init []byte) (ks.Blob, error) {
	return h.newBlob(init), nil
}

func (h *ksHost) BlobMerge(ctx context.Context, a, b ks.Blob) (ks.Blob, error) {
	x, y := a.(*blob), b.(*blob)
	return h.newBlob(append(append([]byte(nil), x.data...), y.data...)), nil
}

func (h *ksHost) MakeBlob(ctx context.Context, data []byte) (ks.Blob, error) {
	return h.newBlob(data), nil
}

func (h *ksHost) BlobLen(ctx context.Context, b ks.Blob) (uint32, error) {
	return uint32(len(b.(*blob).data)), nil
}

// ConsumeBlob takes ownership of b: it returns the contents and disposes
// of the blob (counted as a destructor run).
func (h *ksHost) ConsumeBlob(ctx context.Context, b ks.Blob) ([]byte, error) {
	data := b.(*blob).data
	return data, b.Drop(ctx)
}

func (h *ksHost) EchoBlob(ctx context.Context, b ks.Blob) (ks.Blob, error) { return b, nil }

func (h *ksHost) Ping(ctx context.Context) error { h.pings++; return nil }

func (h *ksHost) EchoBool(ctx context.Context, x bool) (bool, error)       { return x, nil }
func (h *ksHost) EchoU8(ctx context.Context, x uint8) (uint8, error)       { return x, nil }
func (h *ksHost) EchoS8(ctx context.Context, x int8) (int8, error)         { return x, nil }
func (h *ksHost) EchoU16(ctx context.Context, x uint16) (uint16, error)    { return x, nil }
func (h *ksHost) EchoS16(ctx context.Context, x int16) (int16, error)      { return x, nil }
func (h *ksHost) EchoU32(ctx context.Context, x uint32) (uint32, error)    { return x, h.failU32 }
func (h *ksHost) EchoS32(ctx context.Context, x int32) (int32, error)      { return x, nil }
func (h *ksHost) EchoU64(ctx context.Context, x uint64) (uint64, error)    { return x, nil }
func (h *ksHost) EchoS64(ctx context.Context, x int64) (int64, error)      { return x, nil }
func (h *ksHost) EchoF32(ctx context.Context, x float32) (float32, error)  { return x, nil }
func (h *ksHost) EchoF64(ctx context.Context, x float64) (float64, error)  { return x, nil }
func (h *ksHost) EchoChar(ctx context.Context, x rune) (rune, error)       { return x, nil }
func (h *ksHost) EchoString(ctx context.Context, x string) (string, error) { return x, nil }
func (h *ksHost) EchoListU8(ctx context.Context, x []byte) ([]byte, error) { return x, nil }
func (h *ksHost) EchoListString(ctx context.Context, x []string) ([]string, error) {
	return x, nil
}
func (h *ksHost) EchoListRecord(ctx context.Context, x []ks.Mixed) ([]ks.Mixed, error) {
	return x, nil
}
func (h *ksHost) EchoListList(ctx context.Context, x [][]uint32) ([][]uint32, error) {
	return x, nil
}
func (h *ksHost) EchoPoint(ctx context.Context, x ks.Point) (ks.Point, error)       { return x, nil }
func (h *ksHost) EchoRecord(ctx context.Context, x ks.Mixed) (ks.Mixed, error)      { return x, nil }
func (h *ksHost) EchoNested(ctx context.Context, x ks.Nested) (ks.Nested, error)    { return x, nil }
func (h *ksHost) EchoColor(ctx context.Context, x ks.Color) (ks.Color, error)       { return x, nil }
func (h *ksHost) EchoBigEnum(ctx context.Context, x ks.BigEnum) (ks.BigEnum, error) { return x, nil }
func (h *ksHost) EchoFlags1(ctx context.Context, x ks.Flags1) (ks.Flags1, error)    { return x, nil }
func (h *ksHost) EchoFlags8(ctx context.Context, x ks.Flags8) (ks.Flags8, error)    { return x, nil }
func (h *ksHost) EchoFlags9(ctx context.Context, x ks.Flags9) (ks.Flags9, error)    { return x, nil }
func (h *ksHost) EchoFlags16(ctx context.Context, x ks.Flags16) (ks.Flags16, error) { return x, nil }
func (h *ksHost) EchoFlags17(ctx context.Context, x ks.Flags17) (ks.Flags17, error) { return x, nil }
func (h *ksHost) EchoFlags32(ctx context.Context, x ks.Flags32) (ks.Flags32, error) { return x, nil }
func (h *ksHost) EchoBigVariant(ctx context.Context, x ks.BigVariant) (ks.BigVariant, error) {
	return x, nil
}
func (h *ksHost) EchoJoined(ctx context.Context, x ks.Joined) (ks.Joined, error) { return x, nil }
func (h *ksHost) EchoNum(ctx context.Context, x ks.Num) (ks.Num, error)          { return x, nil }
func (h *ksHost) EchoOptionU32(ctx context.Context, x runtimeadapters.Option[uint32]) (runtimeadapters.Option[uint32], error) {
	return x, nil
}
func (h *ksHost) EchoOptionString(ctx context.Context, x runtimeadapters.Option[string]) (runtimeadapters.Option[string], error) {
	return x, nil
}
func (h *ksHost) EchoOptionOption(ctx context.Context, x runtimeadapters.Option[runtimeadapters.Option[uint32]]) (runtimeadapters.Option[runtimeadapters.Option[uint32]], error) {
	return x, nil
}

// The result-returning imports answer err(e) with a *WITError[E].

func (h *ksHost) EchoResultUnit(ctx context.Context, x runtimeadapters.Result[struct{}, struct{}]) error {
	if x.IsErr() {
		return runtimeadapters.NewWITError(struct{}{})
	}
	return nil
}

func (h *ksHost) EchoResultOk(ctx context.Context, x runtimeadapters.Result[string, struct{}]) (string, error) {
	if v, ok := x.OK(); ok {
		return v, nil
	}
	return "", runtimeadapters.NewWITError(struct{}{})
}

func (h *ksHost) EchoResultErr(ctx context.Context, x runtimeadapters.Result[struct{}, ks.Color]) error {
	if e, isErr := x.Err(); isErr {
		return runtimeadapters.NewWITError(e)
	}
	return nil
}

func (h *ksHost) EchoResultBoth(ctx context.Context, x runtimeadapters.Result[ks.Point, string]) (ks.Point, error) {
	if e, isErr := x.Err(); isErr {
		return ks.Point{}, runtimeadapters.NewWITError(e)
	}
	v, _ := x.OK()
	return v, nil
}

func (h *ksHost) EchoTuple(ctx context.Context, x tuple3) (tuple3, error) { return x, nil }

func (h *ksHost) EchoPair(ctx context.Context, a uint64, b string) (pair, error) {
	return pair{a, b}, nil
}

func (h *ksHost) EchoMany(ctx context.Context, a uint8, b int8, c uint16, d int16, e uint32, f int32, g uint64, hh int64, i float32, j float64, k bool, l rune, m string, n ks.Point, o ks.Color, p ks.Flags9, q runtimeadapters.Option[uint32]) (ks.ManyFields, error) {
	return ks.ManyFields{A: a, B: b, C: c, D: d, E: e, F: f, G: g, H: hh, I: i, J: j, K: k, L: l, M: m, N: n, O: o, P: p, Q: q}, nil
}

// tuple3 is tuple<u8, string, f64>.
type tuple3 = struct {
	F0 uint8
	F1 string
	F2 float64
}

// pair is tuple<u64, string>.
type pair = struct {
	F0 uint64
	F1 string
}

var _ ks.Host = (*ksHost)(nil)
