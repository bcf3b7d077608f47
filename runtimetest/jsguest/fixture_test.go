package jsguest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
	wazeroadapter "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wazero"
)

// root is the repository root, relative to this package.
const root = "../.."

// cacheDir keeps wazero's compiled code across runs: compiling a JS guest
// takes tens of seconds, loading it from the cache about a second.
var cacheDir = filepath.Join(os.TempDir(), "wit-bindgen-go-host-jsguest-cache")

// slow skips the test unless JSGUEST=1 (make test-slow).
func slow(t *testing.T) {
	t.Helper()
	if os.Getenv("JSGUEST") != "1" {
		t.Skip("JS guests are slow to compile; run with JSGUEST=1 (make test-slow)")
	}
}

// guestWasm returns the core module of the JS guest name, unpacked from
// testdata/jsguests/<name>/<name>.core.wasm.gz.
func guestWasm(t testing.TB, name string) []byte {
	t.Helper()
	p := filepath.Join(root, "testdata", "jsguests", name, name+".core.wasm.gz")
	f, err := os.Open(p)
	if err != nil {
		t.Fatalf("%v (build the fixtures with sh tools/jco/build.sh)", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return b
}

// engines are the wazero configurations the JS guests run on. The
// interpreter runs only with JSGUEST_INTERPRETER=1: it compiles the guest
// quickly, but SpiderMonkey interpreted by wazero's interpreter is slow.
func engines() []struct {
	name string
	cfg  wazeroadapter.Config
} {
	e := []struct {
		name string
		cfg  wazeroadapter.Config
	}{{"compiler", wazeroadapter.Config{CompilationCacheDir: cacheDir}}}
	if os.Getenv("JSGUEST_INTERPRETER") == "1" {
		e = append(e, struct {
			name string
			cfg  wazeroadapter.Config
		}{"interpreter", wazeroadapter.Config{Interpreter: true}})
	}
	return e
}

// compile creates a runtime for cfg and compiles wasm in it; both are
// closed when the test ends.
func compile(t testing.TB, cfg wazeroadapter.Config, wasm []byte) (*wazeroadapter.Runtime, runtimeadapters.CompiledModule) {
	t.Helper()
	ctx := context.Background()
	rt, err := wazeroadapter.NewRuntime(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close(context.Background()) })
	begin := time.Now()
	cm, err := rt.Compile(ctx, wasm)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("compiled %d bytes in %v", len(wasm), time.Since(begin).Round(time.Millisecond))
	return rt, cm
}

// inputs computes what tools/jco/build.sh writes to inputs.sha256: the
// sha256sum lines of the guest's app.js, tools/jco/package-lock.json and
// every .wit file under its WIT path, sorted by path.
func inputs(guest, wit string) (string, error) {
	paths := []string{"testdata/jsguests/" + guest + "/app.js", "tools/jco/package-lock.json"}
	err := filepath.WalkDir(filepath.Join(root, wit), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".wit") {
			return err
		}
		rel, err := filepath.Rel(root, p)
		paths = append(paths, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		return "", err
	}
	slices.Sort(paths) // build.sh sorts with LC_ALL=C: bytewise, like Go
	var b strings.Builder
	for _, p := range paths {
		data, err := os.ReadFile(filepath.Join(root, p))
		if err != nil {
			return "", err
		}
		sum := sha256.Sum256(data)
		fmt.Fprintf(&b, "%s  %s\n", hex.EncodeToString(sum[:]), p)
	}
	return b.String(), nil
}

// TestFixturesUpToDate fails when a fixture was built from other inputs
// than the tree's: rebuild with sh tools/jco/build.sh.
func TestFixturesUpToDate(t *testing.T) {
	slow(t)
	for _, g := range []struct{ guest, wit string }{
		{"kitchen-sink", "testdata/kitchen-sink/kitchen-sink.wit"},
		{"http-server-demo", "demo/wit"},
	} {
		want, err := inputs(g.guest, g.wit)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(root, "testdata", "jsguests", g.guest, "inputs.sha256"))
		if err != nil {
			t.Fatalf("%v (run sh tools/jco/build.sh)", err)
		}
		if string(got) != want {
			var diff []string
			sc := bufio.NewScanner(bytes.NewReader(got))
			for sc.Scan() {
				if !strings.Contains(want, sc.Text()+"\n") {
					diff = append(diff, sc.Text())
				}
			}
			t.Errorf("testdata/jsguests/%s is stale (changed since the build: %v); run sh tools/jco/build.sh", g.guest, diff)
		}
	}
}
