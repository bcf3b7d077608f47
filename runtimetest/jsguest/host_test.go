package jsguest

import (
	"context"
	"slices"
	"sync"

	ks "github.com/wasmhost/wit-bindgen-go-host/golden/kitchen-sink"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
)

// host implements the kitchen-sink world's imports: every echo-* returns
// its arguments, and blob is a byte buffer whose lifecycle is counted.
type host struct {
	mu      sync.Mutex
	created int
	dropped int
	pings   int
}

type blob struct {
	h       *host
	data    []byte
	dropped bool
}

func (h *host) newBlob(data []byte) *blob {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.created++
	return &blob{h: h, data: slices.Clone(data)}
}

// live is the number of blobs created and not dropped yet.
func (h *host) live() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.created - h.dropped
}

func (b *blob) Size(context.Context) (uint32, error) { return uint32(len(b.data)), nil }
func (b *blob) Read(_ context.Context, off, n uint32) ([]byte, error) {
	lo := min(int(off), len(b.data))
	hi := min(lo+int(n), len(b.data))
	return slices.Clone(b.data[lo:hi]), nil
}
func (b *blob) Append(_ context.Context, d []byte) error { b.data = append(b.data, d...); return nil }
func (b *blob) Drop(context.Context) error {
	b.h.mu.Lock()
	defer b.h.mu.Unlock()
	if b.dropped {
		panic("blob dropped twice")
	}
	b.dropped = true
	b.h.dropped++
	return nil
}

func (h *host) NewBlob(_ context.Context, init []byte) (ks.Blob, error) { return h.newBlob(init), nil }
func (h *host) BlobMerge(_ context.Context, a, b ks.Blob) (ks.Blob, error) {
	return h.newBlob(append(slices.Clone(a.(*blob).data), b.(*blob).data...)), nil
}
func (h *host) MakeBlob(_ context.Context, data []byte) (ks.Blob, error) { return h.newBlob(data), nil }
func (h *host) BlobLen(_ context.Context, b ks.Blob) (uint32, error) {
	return uint32(len(b.(*blob).data)), nil
}
func (h *host) ConsumeBlob(ctx context.Context, b ks.Blob) ([]byte, error) {
	d := slices.Clone(b.(*blob).data)
	return d, b.Drop(ctx)
}
func (h *host) EchoBlob(_ context.Context, b ks.Blob) (ks.Blob, error) { return b, nil }
func (h *host) Ping(context.Context) error {
	h.mu.Lock()
	h.pings++
	h.mu.Unlock()
	return nil
}

func (*host) EchoBool(_ context.Context, x bool) (bool, error)       { return x, nil }
func (*host) EchoU8(_ context.Context, x uint8) (uint8, error)       { return x, nil }
func (*host) EchoS8(_ context.Context, x int8) (int8, error)         { return x, nil }
func (*host) EchoU16(_ context.Context, x uint16) (uint16, error)    { return x, nil }
func (*host) EchoS16(_ context.Context, x int16) (int16, error)      { return x, nil }
func (*host) EchoU32(_ context.Context, x uint32) (uint32, error)    { return x, nil }
func (*host) EchoS32(_ context.Context, x int32) (int32, error)      { return x, nil }
func (*host) EchoU64(_ context.Context, x uint64) (uint64, error)    { return x, nil }
func (*host) EchoS64(_ context.Context, x int64) (int64, error)      { return x, nil }
func (*host) EchoF32(_ context.Context, x float32) (float32, error)  { return x, nil }
func (*host) EchoF64(_ context.Context, x float64) (float64, error)  { return x, nil }
func (*host) EchoChar(_ context.Context, x rune) (rune, error)       { return x, nil }
func (*host) EchoString(_ context.Context, x string) (string, error) { return x, nil }
func (*host) EchoListU8(_ context.Context, x []byte) ([]byte, error) { return x, nil }
func (*host) EchoListString(_ context.Context, x []string) ([]string, error) {
	return x, nil
}
func (*host) EchoListRecord(_ context.Context, x []ks.Mixed) ([]ks.Mixed, error) { return x, nil }
func (*host) EchoListList(_ context.Context, x [][]uint32) ([][]uint32, error)   { return x, nil }
func (*host) EchoPoint(_ context.Context, x ks.Point) (ks.Point, error)          { return x, nil }
func (*host) EchoRecord(_ context.Context, x ks.Mixed) (ks.Mixed, error)         { return x, nil }
func (*host) EchoNested(_ context.Context, x ks.Nested) (ks.Nested, error)       { return x, nil }
func (*host) EchoColor(_ context.Context, x ks.Color) (ks.Color, error)          { return x, nil }
func (*host) EchoBigEnum(_ context.Context, x ks.BigEnum) (ks.BigEnum, error)    { return x, nil }
func (*host) EchoFlags1(_ context.Context, x ks.Flags1) (ks.Flags1, error)       { return x, nil }
func (*host) EchoFlags8(_ context.Context, x ks.Flags8) (ks.Flags8, error)       { return x, nil }
func (*host) EchoFlags9(_ context.Context, x ks.Flags9) (ks.Flags9, error)       { return x, nil }
func (*host) EchoFlags16(_ context.Context, x ks.Flags16) (ks.Flags16, error)    { return x, nil }
func (*host) EchoFlags17(_ context.Context, x ks.Flags17) (ks.Flags17, error)    { return x, nil }
func (*host) EchoFlags32(_ context.Context, x ks.Flags32) (ks.Flags32, error)    { return x, nil }
func (*host) EchoBigVariant(_ context.Context, x ks.BigVariant) (ks.BigVariant, error) {
	return x, nil
}
func (*host) EchoJoined(_ context.Context, x ks.Joined) (ks.Joined, error) { return x, nil }
func (*host) EchoNum(_ context.Context, x ks.Num) (ks.Num, error)          { return x, nil }
func (*host) EchoOptionU32(_ context.Context, x runtimeadapters.Option[uint32]) (runtimeadapters.Option[uint32], error) {
	return x, nil
}
func (*host) EchoOptionString(_ context.Context, x runtimeadapters.Option[string]) (runtimeadapters.Option[string], error) {
	return x, nil
}
func (*host) EchoOptionOption(_ context.Context, x runtimeadapters.Option[runtimeadapters.Option[uint32]]) (runtimeadapters.Option[runtimeadapters.Option[uint32]], error) {
	return x, nil
}

// unwrap returns r as an imported function's (ok, error): err(e) becomes
// a *WITError[E], which the guest receives as err(e).
func unwrap[T, E any](r runtimeadapters.Result[T, E]) (T, error) {
	if v, ok := r.OK(); ok {
		return v, nil
	}
	e, _ := r.Err()
	var zero T
	return zero, runtimeadapters.NewWITError(e)
}

func (*host) EchoResultUnit(_ context.Context, x runtimeadapters.Result[struct{}, struct{}]) error {
	_, err := unwrap(x)
	return err
}
func (*host) EchoResultOk(_ context.Context, x runtimeadapters.Result[string, struct{}]) (string, error) {
	return unwrap(x)
}
func (*host) EchoResultErr(_ context.Context, x runtimeadapters.Result[struct{}, ks.Color]) error {
	_, err := unwrap(x)
	return err
}
func (*host) EchoResultBoth(_ context.Context, x runtimeadapters.Result[ks.Point, string]) (ks.Point, error) {
	return unwrap(x)
}
func (*host) EchoTuple(_ context.Context, x tuple3) (tuple3, error) { return x, nil }
func (*host) EchoPair(_ context.Context, a uint64, b string) (pair, error) {
	return pair{a, b}, nil
}
func (*host) EchoMany(_ context.Context, a uint8, b int8, c uint16, d int16, e uint32, f int32, g uint64, h int64, i float32, j float64, k bool, l rune, m string, n ks.Point, o ks.Color, p ks.Flags9, q runtimeadapters.Option[uint32]) (ks.ManyFields, error) {
	return ks.ManyFields{A: a, B: b, C: c, D: d, E: e, F: f, G: g, H: h, I: i, J: j, K: k, L: l, M: m, N: n, O: o, P: p, Q: q}, nil
}

// tuple3 and pair are the generated anonymous tuple types.
type (
	tuple3 = struct {
		F0 uint8
		F1 string
		F2 float64
	}
	pair = struct {
		F0 uint64
		F1 string
	}
)

var _ ks.Host = (*host)(nil)
