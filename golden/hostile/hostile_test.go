package hostile_test

// The hostile-guest suite (testdata/hostile/README.md): each guest is the
// correct ok.wasm with one canonical-ABI violation; the bindings must turn
// every violation into an error (never a panic, a bad read or a partial
// value), lock the instance down after a trap, and produce exactly the
// lenient values the spec defines where it defines them.

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wasmhost/wit-bindgen-go-host/golden/hostile"
	ra "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wazero"
)

type thing struct {
	hostile.UnimplementedThing
	id uint32
}

func (t *thing) ID(ctx context.Context) (uint32, error) { return t.id, nil }

type host struct {
	hostile.UnimplementedHost
	calls    []string
	callBack func(ctx context.Context) (uint32, error)
}

func (h *host) NewThing(ctx context.Context, id uint32) (hostile.Thing, error) {
	h.calls = append(h.calls, "new-thing")
	return &thing{id: id}, nil
}
func (h *host) Ping(ctx context.Context, x uint32) (uint32, error) {
	h.calls = append(h.calls, "ping")
	return x + 1, nil
}
func (h *host) CallBack(ctx context.Context) (uint32, error) {
	h.calls = append(h.calls, "call-back")
	if h.callBack != nil {
		return h.callBack(ctx)
	}
	return 77, nil
}
func (h *host) TakeChar(ctx context.Context, c rune) error {
	h.calls = append(h.calls, "take-char:"+string(c))
	return nil
}
func (h *host) TakeShape(ctx context.Context, s hostile.Shape) error {
	if sq, ok := s.(hostile.ShapeSquare); ok && sq.Value == 5 {
		h.calls = append(h.calls, "take-shape:square(5)")
		return nil
	}
	h.calls = append(h.calls, "take-shape:other")
	return nil
}
func (h *host) TakeString(ctx context.Context, s string) error {
	h.calls = append(h.calls, "take-string:"+s)
	return nil
}
func (h *host) Name(ctx context.Context) (string, error) { return "host-name", nil }

// instantiate instantiates testdata/hostile/<name>.wasm; err is the
// instantiation error.
func instantiate(t *testing.T, name string, interp bool) (*hostile.HostileInstance, *host, error) {
	t.Helper()
	ctx := context.Background()
	rt, err := wazero.NewRuntime(ctx, wazero.Config{Interpreter: interp})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close(ctx) })
	wasm, err := os.ReadFile(filepath.Join("..", "..", "testdata", "hostile", name+".wasm"))
	if err != nil {
		t.Skipf("hostile guest %s not available: %v", name, err)
	}
	mod, err := rt.Compile(ctx, wasm)
	if err != nil {
		t.Fatal(err)
	}
	w, err := hostile.NewHostile(ctx, rt, mod)
	if err != nil {
		t.Fatal(err)
	}
	h := &host{}
	in, err := w.Instantiate(ctx, hostile.Imports{Host: h})
	if err == nil {
		t.Cleanup(func() { in.Close(ctx) })
	}
	return in, h, err
}

func must(t *testing.T, name string) (*hostile.HostileInstance, *host) {
	t.Helper()
	in, h, err := instantiate(t, name, true)
	if err != nil {
		t.Fatalf("instantiate %s: %v", name, err)
	}
	return in, h
}

// trap checks that err is a non-nil error of the expected kind whose text
// mentions every word in words (case-insensitively).
func trap(t *testing.T, err error, kind error, words ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want a trap")
	}
	if kind != nil && !errors.Is(err, kind) {
		t.Errorf("error %q does not match %v", err, kind)
	}
	for _, w := range words {
		if !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(w)) {
			t.Errorf("error %q does not mention %q", err, w)
		}
	}
}

// lockedDown checks that a trapped instance refuses further calls.
func lockedDown(t *testing.T, in *hostile.HostileInstance) {
	t.Helper()
	if _, err := in.API().GetBool(context.Background()); !errors.Is(err, ra.ErrClosed) {
		t.Errorf("call after a trap: %v, want ErrClosed", err)
	}
}

func TestOK(t *testing.T) {
	ctx := context.Background()
	in, h := must(t, "ok")
	api := in.API()
	if s, err := api.GetString(ctx); err != nil || s != "hello" {
		t.Errorf("get-string = %q, %v", s, err)
	}
	if l, err := api.GetList(ctx); err != nil || len(l) != 3 || l[2] != 3 {
		t.Errorf("get-list = %v, %v", l, err)
	}
	if p, err := api.GetRecord(ctx); err != nil || p != (hostile.Pair{Name: "hello", Value: 42}) {
		t.Errorf("get-record = %v, %v", p, err)
	}
	if s, err := api.GetShape(ctx); err != nil || s != (hostile.ShapeSquare{Value: 7}) {
		t.Errorf("get-shape = %v, %v", s, err)
	}
	if l, err := api.GetLevel(ctx); err != nil || l != hostile.LevelMid {
		t.Errorf("get-level = %v, %v", l, err)
	}
	if p, err := api.GetPerms(ctx); err != nil || p != hostile.PermsRead|hostile.PermsExec {
		t.Errorf("get-perms = %v, %v", p, err)
	}
	if c, err := api.GetChar(ctx); err != nil || c != 0x1F600 {
		t.Errorf("get-char = %q, %v", c, err)
	}
	if b, err := api.GetBool(ctx); err != nil || !b {
		t.Errorf("get-bool = %v, %v", b, err)
	}
	if n, err := api.PutString(ctx, "hello"); err != nil || n != 5 {
		t.Errorf("put-string = %d, %v", n, err)
	}
	if n, err := api.PutList(ctx, []uint32{1, 2}); err != nil || n != 2 {
		t.Errorf("put-list = %d, %v", n, err)
	}
	th, err := api.MakeThing(ctx)
	if err != nil || th.(*thing).id != 7 {
		t.Fatalf("make-thing = %v, %v", th, err)
	}
	if n, err := api.Inspect(ctx, th); err != nil || n != 7 {
		t.Errorf("inspect = %d, %v", n, err)
	}
	if n, err := api.UseThing(ctx); err != nil || n != 9 {
		t.Errorf("use-thing = %d, %v", n, err)
	}
	c, err := api.MakeCell(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := c.Get(ctx); err != nil || v != 1 {
		t.Errorf("cell.get = %d, %v", v, err)
	}
	if v, err := api.CellValue(ctx, c); err != nil || v != 1 {
		t.Errorf("cell-value = %d, %v", v, err)
	}
	h.calls = nil
	for _, f := range []func(context.Context) error{api.SendChar, api.SendShape, api.SendString} {
		if err := f(ctx); err != nil {
			t.Error(err)
		}
	}
	if got := strings.Join(h.calls, ","); got != "take-char:A,take-shape:square(5),take-string:hello" {
		t.Errorf("host calls = %s", got)
	}
	if n, err := api.FetchName(ctx); err != nil || n != uint32(len("host-name")) {
		t.Errorf("fetch-name = %d, %v", n, err)
	}
	if n, err := api.Reenter(ctx); err != nil || n != 77 {
		t.Errorf("reenter (benign) = %d, %v", n, err)
	}
	if err := api.Spin(ctx); err != nil {
		t.Error(err)
	}
	if err := api.Crash(ctx); err != nil {
		t.Error(err)
	}
}

func TestReentrance(t *testing.T) {
	ctx := context.Background()
	in, h := must(t, "ok")
	var inner error
	h.callBack = func(ctx context.Context) (uint32, error) {
		_, inner = in.API().GetBool(ctx)
		return 0, inner
	}
	_, err := in.API().Reenter(ctx)
	if !errors.Is(inner, ra.ErrReentrant) {
		t.Errorf("inner call: %v, want ErrReentrant", inner)
	}
	trap(t, err, ra.ErrReentrant)
}

// exportTraps are the variants whose violation surfaces from one export
// call as an error.
var exportTraps = []struct {
	name  string
	call  func(context.Context, hostile.APIExports) error
	kind  error
	words []string
}{
	{"string-oob", getString, ra.ErrOutOfBounds, []string{"get-string", "out of bounds"}},
	{"string-end-oob", getString, ra.ErrOutOfBounds, []string{"out of bounds"}},
	{"string-len-wrap", getString, nil, []string{"get-string", "lift string"}}, // too large or out of bounds
	{"string-invalid-utf8", getString, ra.ErrInvalidUTF8, []string{"utf-8"}},
	{"string-surrogate-utf8", getString, ra.ErrInvalidUTF8, []string{"utf-8"}},
	{"retarea-oob", getString, ra.ErrOutOfBounds, []string{"out of bounds"}},
	{"retarea-misaligned", getString, ra.ErrMisaligned, []string{"misaligned"}},
	{"list-misaligned", getList, ra.ErrMisaligned, []string{"get-list", "misaligned"}},
	{"list-len-wrap", getList, ra.ErrOutOfBounds, []string{"out of bounds"}},
	{"list-oob", getList, ra.ErrOutOfBounds, []string{"out of bounds"}},
	{"record-field-oob", func(ctx context.Context, a hostile.APIExports) error { _, err := a.GetRecord(ctx); return err }, ra.ErrOutOfBounds, []string{"out of bounds"}},
	{"variant-bad-disc", func(ctx context.Context, a hostile.APIExports) error { _, err := a.GetShape(ctx); return err }, ra.ErrInvalidDiscriminant, []string{"discriminant"}},
	{"enum-bad-disc", getLevel, ra.ErrInvalidDiscriminant, []string{"discriminant"}},
	{"enum-disc-high-bits", getLevel, ra.ErrInvalidDiscriminant, []string{"discriminant"}},
	{"char-surrogate", getChar, ra.ErrInvalidChar, []string{"char"}},
	{"char-too-big", getChar, ra.ErrInvalidChar, []string{"char"}},
	{"handle-forged", makeThing, ra.ErrInvalidHandle, []string{"handle"}},
	{"handle-returned-after-drop", makeThing, ra.ErrInvalidHandle, []string{"handle"}},
	{"handle-use-after-drop", useThing, ra.ErrInvalidHandle, []string{"handle"}},
	{"handle-double-drop", useThing, ra.ErrInvalidHandle, []string{"handle"}},
	{"handle-forged-import-arg", useThing, ra.ErrInvalidHandle, []string{"handle"}},
	{"cell-forged-rep", cellValue, ra.ErrInvalidHandle, []string{"handle"}},
	{"realloc-oob", putString, ra.ErrOutOfBounds, []string{"realloc"}},
	{"realloc-misaligned", putList, ra.ErrMisaligned, []string{"realloc"}},
	{"realloc-trap", putString, ra.ErrRealloc, []string{"realloc"}},
	{"realloc-calls-import", putString, ra.ErrReentrant, []string{"import"}},
	{"trap", func(ctx context.Context, a hostile.APIExports) error { return a.Crash(ctx) }, nil, []string{"crash", "unreachable"}},
	{"post-return-trap", getString, nil, []string{"get-string"}},
	{"import-bad-char", func(ctx context.Context, a hostile.APIExports) error { return a.SendChar(ctx) }, ra.ErrInvalidChar, []string{"take-char"}},
	{"import-bad-string", sendString, ra.ErrOutOfBounds, []string{"take-string"}},
	{"import-invalid-utf8", sendString, ra.ErrInvalidUTF8, []string{"take-string"}},
	{"import-bad-variant", func(ctx context.Context, a hostile.APIExports) error { return a.SendShape(ctx) }, ra.ErrInvalidDiscriminant, []string{"take-shape"}},
	{"import-retptr-oob", fetchName, ra.ErrOutOfBounds, []string{"name"}},
	{"import-retptr-misaligned", fetchName, ra.ErrMisaligned, []string{"name"}},
}

func getString(ctx context.Context, a hostile.APIExports) error {
	_, err := a.GetString(ctx)
	return err
}
func getList(ctx context.Context, a hostile.APIExports) error  { _, err := a.GetList(ctx); return err }
func getLevel(ctx context.Context, a hostile.APIExports) error { _, err := a.GetLevel(ctx); return err }
func getChar(ctx context.Context, a hostile.APIExports) error  { _, err := a.GetChar(ctx); return err }
func makeThing(ctx context.Context, a hostile.APIExports) error {
	_, err := a.MakeThing(ctx)
	return err
}
func useThing(ctx context.Context, a hostile.APIExports) error { _, err := a.UseThing(ctx); return err }
func putString(ctx context.Context, a hostile.APIExports) error {
	_, err := a.PutString(ctx, "hello")
	return err
}
func putList(ctx context.Context, a hostile.APIExports) error {
	_, err := a.PutList(ctx, []uint32{1, 2})
	return err
}
func sendString(ctx context.Context, a hostile.APIExports) error { return a.SendString(ctx) }
func fetchName(ctx context.Context, a hostile.APIExports) error {
	_, err := a.FetchName(ctx)
	return err
}
func cellValue(ctx context.Context, a hostile.APIExports) error {
	c, err := a.MakeCell(ctx)
	if err != nil {
		return err
	}
	_, err = a.CellValue(ctx, c)
	return err
}

func TestExportTraps(t *testing.T) {
	for _, tt := range exportTraps {
		t.Run(tt.name, func(t *testing.T) {
			in, h := must(t, tt.name)
			h.calls = nil
			err := tt.call(context.Background(), in.API())
			trap(t, err, tt.kind, tt.words...)
			if strings.HasPrefix(tt.name, "import-") && len(h.calls) != 0 {
				t.Errorf("the host function ran: %v", h.calls)
			}
			lockedDown(t, in)
		})
	}
}

func TestBorrowViolations(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"borrow-leak", "borrow-double-drop"} {
		t.Run(name, func(t *testing.T) {
			in, _ := must(t, name)
			_, err := in.API().Inspect(ctx, &thing{id: 3})
			trap(t, err, ra.ErrInvalidHandle, "handle")
			lockedDown(t, in)
		})
	}
}

func TestCellReturnedAfterDrop(t *testing.T) {
	ctx := context.Background()
	in, _ := must(t, "cell-returned-after-drop")
	_, err := in.API().MakeCell(ctx)
	trap(t, err, ra.ErrInvalidHandle, "handle")
}

func TestLenientValues(t *testing.T) {
	ctx := context.Background()
	in, _ := must(t, "flags-extra-bits")
	if p, err := in.API().GetPerms(ctx); err != nil || p != hostile.PermsRead|hostile.PermsExec {
		t.Errorf("flags-extra-bits: %v, %v; want read|exec", p, err)
	}
	in, _ = must(t, "bool-nonzero")
	if b, err := in.API().GetBool(ctx); err != nil || !b {
		t.Errorf("bool-nonzero: %v, %v; want true", b, err)
	}
	in, h := must(t, "import-variant-high-bits")
	if err := in.API().SendShape(ctx); err != nil || len(h.calls) != 1 || h.calls[0] != "take-shape:square(5)" {
		t.Errorf("import-variant-high-bits: %v, %v; want square(5)", h.calls, err)
	}
	// realloc-misaligned: put-string (alignment 1) still works.
	in, _ = must(t, "realloc-misaligned")
	if n, err := in.API().PutString(ctx, "hello"); err != nil || n != 5 {
		t.Errorf("realloc-misaligned put-string: %d, %v", n, err)
	}
}

func TestBindTime(t *testing.T) {
	for _, tt := range []struct{ name, word string }{
		{"missing-export", "get-bool"},
		{"wrong-signature", "get-bool"},
		{"no-memory-export", "memory"},
		{"no-realloc", "cabi_realloc"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := instantiate(t, tt.name, true)
			trap(t, err, nil, tt.word)
		})
	}
}

func TestSpinCancelled(t *testing.T) {
	in, _, err := instantiate(t, "spin", false)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- in.API().Spin(ctx) }()
	select {
	case err := <-done:
		trap(t, err, context.DeadlineExceeded)
	case <-time.After(10 * time.Second):
		t.Fatal("spin did not stop when its context expired")
	}
}

// TestHostValuesChecked: invalid host values are refused before anything
// reaches the guest, and the instance keeps working.
func TestHostValuesChecked(t *testing.T) {
	ctx := context.Background()
	in, _ := must(t, "ok")
	if _, err := in.API().PutString(ctx, "a\xffb"); !errors.Is(err, ra.ErrInvalidUTF8) {
		t.Errorf("PutString(invalid UTF-8): %v, want ErrInvalidUTF8", err)
	}
	if _, err := in.API().PutString(ctx, "\xed\xa0\x80"); !errors.Is(err, ra.ErrInvalidUTF8) {
		t.Errorf("PutString(encoded surrogate): %v, want ErrInvalidUTF8", err)
	}
	if _, err := in.API().Inspect(ctx, nil); !errors.Is(err, ra.ErrBadCall) {
		t.Errorf("Inspect(nil): %v, want ErrBadCall", err)
	}
	if n, err := in.API().PutString(ctx, "fine"); err != nil || n != 4 {
		t.Errorf("PutString after refused calls: %d, %v", n, err)
	}
}
