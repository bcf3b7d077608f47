package guestkitchensink_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"os"
	"os/exec"
	"path/filepath"

	"runtime"

	"sync"
	"testing"

	host "github.com/wasmhost/wit-bindgen-go-host/golden/kitchen-sink"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
)

// This file runs the kitchen-sink world end to end: the generated Go HOST
// bindings (golden/kitchen-sink, owned by the host generator) against two guests that the host cannot tell
// apart — the Go guest built from testdata/guest-kitchen-sink/goguest on
// the generated GUEST bindings (golden/guest/kitchensink), and the
// hand-written C guest testdata/kitchen-sink/kitchen-sink.wasm — under
// wazero's compiler and its interpreter. The same assertions run against
// both guests, so a bug shared by the two generated sides cannot hide.

// repoRoot is the repository root, relative to this package.
const repoRoot = "../.."

// cacheDir is where built guests and wazero's compiled code are cached.
func cacheDir(t testing.TB) string {
	d, err := os.UserCacheDir()
	if err != nil {
		d = os.TempDir()
	}
	d = filepath.Join(d, "wit-bindgen-go-host-test")
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	return d
}

var (
	guestMu    sync.Mutex
	guestBuilt = map[string][]byte{}
)

// buildGuest builds the Go guest program in testdata/guest-kitchen-sink/<dir>
// with GOOS=wasip1 -buildmode=c-shared, cached (in the user cache dir) by
// the hash of its sources and of the packages it uses.
func buildGuest(t testing.TB, dir string) []byte {
	guestMu.Lock()
	defer guestMu.Unlock()
	if b, ok := guestBuilt[dir]; ok {
		return b
	}
	h := sha256.New()
	for _, d := range []string{"testdata/guest-kitchen-sink/" + dir, "golden/guest/kitchensink", "runtimeadapters"} {
		files, _ := filepath.Glob(filepath.Join(repoRoot, d, "*.go"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(h, "%s %d\n", filepath.Base(f), len(b))
			h.Write(b)
		}
	}
	fmt.Fprintf(h, "%s\n", runtime.Version())
	out := filepath.Join(cacheDir(t), dir+"-"+hex.EncodeToString(h.Sum(nil))[:16]+".wasm")
	if b, err := os.ReadFile(out); err == nil {
		guestBuilt[dir] = b
		return b
	}
	cmd := exec.Command("go", "build", "-buildmode=c-shared", "-o", out+".tmp", "./testdata/guest-kitchen-sink/"+dir)
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the Go guest %s: %v\n%s", dir, err, b)
	}
	if err := os.Rename(out+".tmp", out); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	guestBuilt[dir] = b
	return b
}

// goGuest is the kitchen-sink guest on the generated guest bindings.
func goGuest(t testing.TB) []byte { return buildGuest(t, "goguest") }

func cGuest(t testing.TB) []byte {
	b, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "kitchen-sink", "kitchen-sink.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// hostImpl implements interface host: echo-* return their argument, blobs
// are byte slices.
type hostImpl struct {
	calls int
	blobs int // live blobs
	// hook, if set, runs inside every echo-* (the guest is then inside
	// an import call).
	hook func()
}

func (h *hostImpl) called() {
	h.calls++
	if h.hook != nil {
		h.hook()
	}
}

type blob struct {
	host.UnimplementedBlob
	h    *hostImpl
	data []byte
}

func (b *blob) Size(ctx context.Context) (uint32, error) { return uint32(len(b.data)), nil }
func (b *blob) Read(ctx context.Context, off, n uint32) ([]byte, error) {
	if uint64(off)+uint64(n) > uint64(len(b.data)) {
		return nil, fmt.Errorf("read %d+%d beyond %d", off, n, len(b.data))
	}
	return bytes.Clone(b.data[off : off+n]), nil
}
func (b *blob) Append(ctx context.Context, d []byte) error {
	b.data = append(b.data, d...)
	return nil
}
func (b *blob) Drop(ctx context.Context) error {
	b.h.blobs--
	return nil
}

func (h *hostImpl) newBlob(d []byte) *blob {
	h.blobs++
	return &blob{h: h, data: bytes.Clone(d)}
}

func (h *hostImpl) NewBlob(ctx context.Context, init []byte) (host.Blob, error) {
	return h.newBlob(init), nil
}
func (h *hostImpl) BlobMerge(ctx context.Context, a host.Blob, b host.Blob) (host.Blob, error) {
	return h.newBlob(append(bytes.Clone(a.(*blob).data), b.(*blob).data...)), nil
}
func (h *hostImpl) MakeBlob(ctx context.Context, data []byte) (host.Blob, error) {
	return h.newBlob(data), nil
}
func (h *hostImpl) BlobLen(ctx context.Context, b host.Blob) (uint32, error) {
	return uint32(len(b.(*blob).data)), nil
}
func (h *hostImpl) ConsumeBlob(ctx context.Context, b host.Blob) ([]byte, error) {
	d := b.(*blob).data
	return d, b.Drop(ctx)
}
func (h *hostImpl) EchoBlob(ctx context.Context, b host.Blob) (host.Blob, error) { return b, nil }
func (h *hostImpl) Ping(ctx context.Context) error                               { h.calls++; return nil }
func (h *hostImpl) EchoPair(ctx context.Context, a uint64, b string) (struct {
	F0 uint64
	F1 string
}, error) {
	return struct {
		F0 uint64
		F1 string
	}{a, b}, nil
}
func (h *hostImpl) EchoMany(ctx context.Context, a uint8, b int8, c uint16, d int16, e uint32, f int32, g uint64, hh int64, i float32, j float64, k bool, l rune, m string, n host.Point, o host.Color, p host.Flags9, q runtimeadapters.Option[uint32]) (host.ManyFields, error) {
	return host.ManyFields{A: a, B: b, C: c, D: d, E: e, F: f, G: g, H: hh, I: i, J: j, K: k, L: l, M: m, N: n, O: o, P: p, Q: q}, nil
}

func (h *hostImpl) EchoBool(_ context.Context, x bool) (bool, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoU8(_ context.Context, x uint8) (uint8, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoS8(_ context.Context, x int8) (int8, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoU16(_ context.Context, x uint16) (uint16, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoS16(_ context.Context, x int16) (int16, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoU32(_ context.Context, x uint32) (uint32, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoS32(_ context.Context, x int32) (int32, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoU64(_ context.Context, x uint64) (uint64, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoS64(_ context.Context, x int64) (int64, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoF32(_ context.Context, x float32) (float32, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoF64(_ context.Context, x float64) (float64, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoChar(_ context.Context, x rune) (rune, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoString(_ context.Context, x string) (string, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoListU8(_ context.Context, x []byte) ([]byte, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoListString(_ context.Context, x []string) ([]string, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoListRecord(_ context.Context, x []host.Mixed) ([]host.Mixed, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoListList(_ context.Context, x [][]uint32) ([][]uint32, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoPoint(_ context.Context, x host.Point) (host.Point, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoRecord(_ context.Context, x host.Mixed) (host.Mixed, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoNested(_ context.Context, x host.Nested) (host.Nested, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoColor(_ context.Context, x host.Color) (host.Color, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoBigEnum(_ context.Context, x host.BigEnum) (host.BigEnum, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoFlags1(_ context.Context, x host.Flags1) (host.Flags1, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoFlags8(_ context.Context, x host.Flags8) (host.Flags8, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoFlags9(_ context.Context, x host.Flags9) (host.Flags9, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoFlags16(_ context.Context, x host.Flags16) (host.Flags16, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoFlags17(_ context.Context, x host.Flags17) (host.Flags17, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoFlags32(_ context.Context, x host.Flags32) (host.Flags32, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoBigVariant(_ context.Context, x host.BigVariant) (host.BigVariant, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoJoined(_ context.Context, x host.Joined) (host.Joined, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoNum(_ context.Context, x host.Num) (host.Num, error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoOptionU32(_ context.Context, x runtimeadapters.Option[uint32]) (runtimeadapters.Option[uint32], error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoOptionString(_ context.Context, x runtimeadapters.Option[string]) (runtimeadapters.Option[string], error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoOptionOption(_ context.Context, x runtimeadapters.Option[runtimeadapters.Option[uint32]]) (runtimeadapters.Option[runtimeadapters.Option[uint32]], error) {
	h.called()
	return x, nil
}

func (h *hostImpl) EchoResultUnit(_ context.Context, x runtimeadapters.Result[struct{}, struct{}]) error {
	if x.IsErr() {
		return runtimeadapters.NewWITError(struct{}{})
	}
	return nil
}

func (h *hostImpl) EchoResultOk(_ context.Context, x runtimeadapters.Result[string, struct{}]) (string, error) {
	if v, ok := x.OK(); ok {
		return v, nil
	}
	return "", runtimeadapters.NewWITError(struct{}{})
}

func (h *hostImpl) EchoResultErr(_ context.Context, x runtimeadapters.Result[struct{}, host.Color]) error {
	if e, isErr := x.Err(); isErr {
		return runtimeadapters.NewWITError(e)
	}
	return nil
}

func (h *hostImpl) EchoResultBoth(_ context.Context, x runtimeadapters.Result[host.Point, string]) (host.Point, error) {
	if e, isErr := x.Err(); isErr {
		return host.Point{}, runtimeadapters.NewWITError(e)
	}
	v, _ := x.OK()
	return v, nil
}

func (h *hostImpl) EchoTuple(_ context.Context, x struct {
	F0 uint8
	F1 string
	F2 float64
}) (struct {
	F0 uint8
	F1 string
	F2 float64
}, error) {
	h.called()
	return x, nil
}
