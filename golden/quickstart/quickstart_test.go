package quickstart_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/wasmhost/wit-bindgen-go-host/golden/quickstart"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wazero"
)

// logger is the host side of interface logging.
type logger struct {
	quickstart.UnimplementedLogging
	lines []string
	fail  error
	// reenter, if set, is called from inside Log.
	reenter func(ctx context.Context) error
}

func (l *logger) Log(ctx context.Context, lvl quickstart.Level, msg string) error {
	l.lines = append(l.lines, lvl.String()+": "+msg)
	if l.reenter != nil {
		if err := l.reenter(ctx); err != nil {
			return err
		}
	}
	return l.fail
}

func setup(t testing.TB, interp bool) (*quickstart.GreeterWorldInstance, *logger) {
	t.Helper()
	ctx := context.Background()
	rt, err := wazero.NewRuntime(ctx, wazero.Config{Interpreter: interp, IgnoreContextDone: !interp})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close(ctx) })
	wasm, err := os.ReadFile("testdata/guest.wasm")
	if err != nil {
		t.Fatal(err)
	}
	mod, err := rt.Compile(ctx, wasm)
	if err != nil {
		t.Fatal(err)
	}
	w, err := quickstart.NewGreeterWorld(ctx, rt, mod)
	if err != nil {
		t.Fatal(err)
	}
	log := &logger{}
	in, err := w.Instantiate(ctx, quickstart.Imports{Logging: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(ctx) })
	return in, log
}

func TestGreet(t *testing.T) {
	ctx := context.Background()
	in, log := setup(t, true)
	for i, name := range []string{"Ada", "Grace"} {
		g, err := in.Greeter().Greet(ctx, name)
		if err != nil {
			t.Fatalf("Greet(%q): %v", name, err)
		}
		if g.Text != name || g.Count != uint32(i+1) {
			t.Errorf("Greet(%q) = %+v", name, g)
		}
	}
	if got := strings.Join(log.lines, ","); got != "info: Ada,info: Grace" {
		t.Errorf("log = %q", got)
	}
	// post-return ran once per successful call.
	posts := in.Instance().Function("posts")
	stack := []uint64{0}
	if err := posts.Call(ctx, stack); err != nil || stack[0] != 2 {
		t.Errorf("posts = %d, %v; want 2", stack[0], err)
	}
}

func TestGreetErrors(t *testing.T) {
	ctx := context.Background()
	in, _ := setup(t, true)
	_, err := in.Greeter().Greet(ctx, "")
	var we *runtimeadapters.WITError[quickstart.GreetError]
	if !errors.As(err, &we) || we.Value != (quickstart.GreetErrorEmptyName{}) {
		t.Errorf("Greet(\"\") error = %v, want err(empty-name)", err)
	}
	_, err = in.Greeter().Greet(ctx, "a very long name")
	if !errors.As(err, &we) || we.Value != (quickstart.GreetErrorTooLong{Value: 16}) {
		t.Errorf("Greet(long) error = %v, want err(too-long(16))", err)
	}
	// A guest returning a bad discriminant is an ABI error, not a WIT error.
	_, err = in.Greeter().Greet(ctx, "bad-disc")
	if !errors.Is(err, runtimeadapters.ErrInvalidDiscriminant) || errors.As(err, &we) {
		t.Errorf("Greet(bad-disc) error = %v, want ErrInvalidDiscriminant", err)
	}
}

func TestHostErrorTraps(t *testing.T) {
	ctx := context.Background()
	in, log := setup(t, true)
	boom := errors.New("boom")
	log.fail = boom
	_, err := in.Greeter().Greet(ctx, "Ada")
	var trap *runtimeadapters.TrapError
	if !errors.Is(err, boom) || !errors.As(err, &trap) {
		t.Errorf("error = %v, want a trap wrapping boom", err)
	}
}

func TestReentranceRefused(t *testing.T) {
	ctx := context.Background()
	in, log := setup(t, true)
	var inner error
	log.reenter = func(ctx context.Context) error {
		_, inner = in.Greeter().Greet(ctx, "again")
		return nil
	}
	if _, err := in.Greeter().Greet(ctx, "Ada"); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(inner, runtimeadapters.ErrReentrant) {
		t.Errorf("re-entrant call error = %v, want ErrReentrant", inner)
	}
}

func TestUnimplemented(t *testing.T) {
	ctx := context.Background()
	in, err := func() (*quickstart.GreeterWorldInstance, error) {
		rt, err := wazero.NewRuntime(ctx, wazero.Config{Interpreter: true})
		if err != nil {
			return nil, err
		}
		t.Cleanup(func() { rt.Close(ctx) })
		wasm, _ := os.ReadFile("testdata/guest.wasm")
		mod, err := rt.Compile(ctx, wasm)
		if err != nil {
			return nil, err
		}
		w, err := quickstart.NewGreeterWorld(ctx, rt, mod)
		if err != nil {
			return nil, err
		}
		return w.Instantiate(ctx, quickstart.Imports{Logging: quickstart.UnimplementedLogging{}})
	}()
	if err != nil {
		t.Fatal(err)
	}
	_, err = in.Greeter().Greet(ctx, "Ada")
	if !errors.Is(err, runtimeadapters.ErrNotImplemented) {
		t.Errorf("error = %v, want ErrNotImplemented", err)
	}
}

func BenchmarkGreet(b *testing.B) {
	ctx := context.Background()
	in, log := setup(b, false)
	b.ReportAllocs()
	for b.Loop() {
		log.lines = log.lines[:0]
		if _, err := in.Greeter().Greet(ctx, "Ada"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPostReturnMayNotLeave checks that an import called from cabi_post_*
// is refused.
func TestPostReturnMayNotLeave(t *testing.T) {
	ctx := context.Background()
	in, log := setup(t, true)
	_, err := in.Greeter().Greet(ctx, "leave-me")
	if !errors.Is(err, runtimeadapters.ErrReentrant) {
		t.Errorf("error = %v, want ErrReentrant", err)
	}
	if len(log.lines) != 1 {
		t.Errorf("log = %q: the import ran during post-return", log.lines)
	}
}
