package codegen_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/wasmhost/wit-bindgen-go-host/codegen"
	"github.com/wasmhost/wit-bindgen-go-host/parser"
)

// TestGuestCorpus generates guest bindings for every world of the
// wit-bindgen codegen corpus (and wasi-http 0.2.0) into one temporary
// module and runs one `GOOS=wasip1 GOARCH=wasm go build ./...` and one
// `go vet ./...` over it. Worlds the generator refuses must be refused
// with a *codegen.Diagnostic.
func TestGuestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping guest corpus build in -short mode")
	}
	cases := corpusCases(t)
	tmp := t.TempDir()
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	gomod := fmt.Sprintf("module guestcorpus.test\n\ngo 1.26\n\nrequire github.com/wasmhost/wit-bindgen-go-host v0.0.0\n\nreplace github.com/wasmhost/wit-bindgen-go-host => %s\n", repo)
	if err := os.WriteFile(filepath.Join(tmp, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	if sum, err := os.ReadFile(filepath.Join(repo, "go.sum")); err == nil {
		os.WriteFile(filepath.Join(tmp, "go.sum"), sum, 0o644)
	}
	var generated, refused, failed []string
	pkgOf := func(name string) string { return "g" + nonIdent.ReplaceAllString(strings.ToLower(name), "") }
	for _, c := range cases {
		r, main, err := parser.LoadPath(c.path, parser.Options{AllFeatures: true})
		if err != nil {
			failed = append(failed, c.name)
			t.Errorf("%s: load: %v", c.name, err)
			continue
		}
		w, err := parser.SelectWorld(r, main, "")
		if err != nil && c.name == "wasi-http-v0.2.0" {
			w, err = parser.SelectWorld(r, main, "proxy")
		}
		if err != nil {
			failed = append(failed, c.name)
			t.Errorf("%s: select world: %v", c.name, err)
			continue
		}
		files, err := codegen.GenerateGuest(r, w, codegen.Options{PackageName: pkgOf(c.name), SourceName: c.name})
		var d *codegen.Diagnostic
		if errors.As(err, &d) {
			refused = append(refused, c.name)
			t.Logf("%s: refused: %v", c.name, d)
			continue
		}
		if err != nil {
			failed = append(failed, c.name)
			t.Errorf("%s: generate: %v", c.name, err)
			continue
		}
		dir := filepath.Join(tmp, pkgOf(c.name))
		os.MkdirAll(dir, 0o755)
		for _, f := range files {
			if err := os.WriteFile(filepath.Join(dir, f.Name), f.Content, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		generated = append(generated, c.name)
	}
	bad := map[string]bool{}
	for _, verb := range []string{"build", "vet"} {
		cmd := exec.Command("go", verb, "./...")
		cmd.Dir = tmp
		cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "GOFLAGS=-mod=mod", "GOWORK=off")
		out, err := cmd.CombinedOutput()
		if err == nil {
			continue
		}
		for _, line := range strings.Split(string(out), "\n") {
			for _, c := range generated {
				pkg := pkgOf(c)
				if strings.Contains(line, "/"+pkg+"/") || strings.Contains(line, "guestcorpus.test/"+pkg) || strings.HasPrefix(line, pkg+"/") {
					bad[c] = true
				}
			}
		}
		t.Errorf("GOOS=wasip1 GOARCH=wasm go %s ./... failed:\n%s", verb, out)
	}
	ok := 0
	for _, c := range generated {
		if bad[c] {
			failed = append(failed, c)
		} else {
			ok++
		}
	}
	sort.Strings(failed)
	msg := fmt.Sprintf("guest corpus (%d worlds): %d built / %d refused-with-diagnostic / %d failed", len(cases), ok, len(refused), len(failed))
	t.Log(msg)
	fmt.Println(msg)
	if len(failed) > 0 {
		t.Errorf("failed: %s", strings.Join(failed, ", "))
	}
}
