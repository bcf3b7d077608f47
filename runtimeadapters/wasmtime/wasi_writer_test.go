package wasmtime

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"

	ra "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
)

// fdWriteWasm is a module that imports WASI's fd_write and exports
// write(fd) -> errno, which writes "hi\n" to fd (an iovec at 0 pointing at
// the text at 32; nwritten at 16).
var fdWriteWasm = []byte{
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
	// types: (i32 i32 i32 i32) -> i32, (i32) -> i32
	0x01, 0x0e, 0x02, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7f,
	// import wasi_snapshot_preview1.fd_write
	0x02, 0x23, 0x01, 0x16, 'w', 'a', 's', 'i', '_', 's', 'n', 'a', 'p', 's', 'h', 'o', 't', '_',
	'p', 'r', 'e', 'v', 'i', 'e', 'w', '1', 0x08, 'f', 'd', '_', 'w', 'r', 'i', 't', 'e', 0x00, 0x00,
	// one function of type 1; one memory of one page
	0x03, 0x02, 0x01, 0x01,
	0x05, 0x03, 0x01, 0x00, 0x01,
	// exports: write (func 1), memory
	0x07, 0x12, 0x02, 0x05, 'w', 'r', 'i', 't', 'e', 0x00, 0x01, 0x06, 'm', 'e', 'm', 'o', 'r', 'y', 0x02, 0x00,
	// write: fd_write(fd, 0, 1, 16)
	0x0a, 0x0e, 0x01, 0x0c, 0x00, 0x20, 0x00, 0x41, 0x00, 0x41, 0x01, 0x41, 0x10, 0x10, 0x00, 0x0b,
	// data: the iovec {32, 3} at 0, "hi\n" at 32
	0x0b, 0x16, 0x02,
	0x00, 0x41, 0x00, 0x0b, 0x08, 0x20, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
	0x00, 0x41, 0x20, 0x0b, 0x03, 'h', 'i', '\n',
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type failingWriter struct{ panics bool }

func (f failingWriter) Write([]byte) (int, error) {
	if f.panics {
		panic("writer bug")
	}
	return 0, errors.New("disk full")
}

// writeTo instantiates fdWriteWasm on a WASI runtime with cfg and calls
// write(fd) on n instances from n goroutines; it returns the errnos (or
// the call errors).
func writeTo(t *testing.T, cfg Config, fd uint64, n int) ([]uint64, []error) {
	t.Helper()
	ctx := context.Background()
	cfg.WASI = true
	rt := newWasmtime(t, cfg)
	cm, err := rt.Compile(ctx, fdWriteWasm)
	if err != nil {
		t.Fatal(err)
	}
	errnos, errs := make([]uint64, n), make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			inst, err := rt.Instantiate(ctx, cm, ra.InstanceConfig{})
			if err != nil {
				errs[i] = err
				return
			}
			defer inst.Close(ctx)
			stack := []uint64{fd}
			errs[i] = inst.Function("write").Call(ctx, stack)
			errnos[i] = stack[0]
		})
	}
	wg.Wait()
	return errnos, errs
}

// TestWASIWriters checks Config.WASIStdout and WASIStderr: every
// instance's output reaches the writer whole, stdout and stderr apart, and
// a failing or panicking writer is an errno for the guest, not a crash.
func TestWASIWriters(t *testing.T) {
	var out, errOut lockedBuffer
	for _, fd := range []uint64{1, 2} {
		errnos, errs := writeTo(t, Config{WASIStdout: &out, WASIStderr: &errOut}, fd, 8)
		for i := range errs {
			if errs[i] != nil || errnos[i] != 0 {
				t.Fatalf("write(%d) on instance %d: errno %d, %v", fd, i, errnos[i], errs[i])
			}
		}
	}
	want := bytes.Repeat([]byte("hi\n"), 8)
	if out.String() != string(want) || errOut.String() != string(want) {
		t.Fatalf("stdout %q, stderr %q; want %q each", out.String(), errOut.String(), want)
	}
	for _, w := range []failingWriter{{}, {panics: true}} {
		errnos, errs := writeTo(t, Config{WASIStdout: w}, 1, 1)
		const eio = 29 // WASI's errno for EIO
		if errs[0] != nil || errnos[0] != eio {
			t.Fatalf("writer %+v: errno %d, %v; want errno %d (EIO)", w, errnos[0], errs[0], eio)
		}
	}
}
