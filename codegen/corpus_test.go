package codegen_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/wasmhost/wit-bindgen-go-host/codegen"
	"github.com/wasmhost/wit-bindgen-go-host/parser"
)

// corpusCase is one world to generate.
type corpusCase struct {
	name string // package directory name
	path string // WIT file or directory
}

func corpusCases(t *testing.T) []corpusCase {
	root := filepath.Join("..", "..", "shared")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("skipping: %s is absent (the shared WIT corpora live next to the repository)", root)
	}
	var cases []corpusCase
	dir := filepath.Join(root, "conformance", "wit-bindgen-codegen")
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		p := filepath.Join(dir, e.Name())
		switch {
		case e.IsDir():
			if st, err := os.Stat(filepath.Join(p, "wit")); err == nil && st.IsDir() {
				cases = append(cases, corpusCase{e.Name(), filepath.Join(p, "wit")})
			}
		case strings.HasSuffix(e.Name(), ".wit"):
			cases = append(cases, corpusCase{strings.TrimSuffix(e.Name(), ".wit"), p})
		}
	}
	cases = append(cases, corpusCase{"wasi-http-v0.2.0", filepath.Join(root, "wit", "wasi-http", "v0.2.0")})
	return cases
}

var nonIdent = regexp.MustCompile(`[^a-z0-9]+`)

// TestCorpus generates Go for every world of the wit-bindgen codegen corpus
// and wasi-http 0.2.0, writes them as packages of one temporary module and
// runs a single `go vet ./...` over it.
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping corpus build in -short mode")
	}
	cases := corpusCases(t)
	tmp := t.TempDir()
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	gomod := fmt.Sprintf("module corpus.test\n\ngo 1.26\n\nrequire github.com/wasmhost/wit-bindgen-go-host v0.0.0\n\nreplace github.com/wasmhost/wit-bindgen-go-host => %s\n", repo)
	if err := os.WriteFile(filepath.Join(tmp, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	if sum, err := os.ReadFile(filepath.Join(repo, "go.sum")); err == nil {
		os.WriteFile(filepath.Join(tmp, "go.sum"), sum, 0o644)
	}
	var generated, refused, failed []string
	for _, c := range cases {
		pkgName := "w" + nonIdent.ReplaceAllString(strings.ToLower(c.name), "")
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
		files, err := codegen.Generate(r, w, codegen.Options{PackageName: pkgName, SourceName: c.name})
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
		dir := filepath.Join(tmp, pkgName)
		os.MkdirAll(dir, 0o755)
		for _, f := range files {
			if err := os.WriteFile(filepath.Join(dir, f.Name), f.Content, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		generated = append(generated, c.name)
	}
	cmd := exec.Command("go", "vet", "./...")
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	vetFailed := map[string]bool{}
	if err != nil {
		// Attribute failures to packages.
		for _, line := range strings.Split(string(out), "\n") {
			for _, c := range generated {
				pkg := "w" + nonIdent.ReplaceAllString(strings.ToLower(c), "")
				if strings.Contains(line, "/"+pkg+"/") || strings.Contains(line, "corpus.test/"+pkg) || strings.HasPrefix(line, pkg+"/") {
					vetFailed[c] = true
				}
			}
		}
		t.Errorf("go vet ./... failed:\n%s", out)
	}
	var ok []string
	for _, c := range generated {
		if vetFailed[c] {
			failed = append(failed, c)
		} else {
			ok = append(ok, c)
		}
	}
	sort.Strings(failed)
	t.Logf("codegen corpus (%d worlds): %d generated+compiled / %d refused-with-diagnostic / %d failed", len(cases), len(ok), len(refused), len(failed))
	fmt.Printf("codegen corpus (%d worlds): %d generated+compiled / %d refused-with-diagnostic / %d failed\n", len(cases), len(ok), len(refused), len(failed))
	if len(failed) > 0 {
		t.Errorf("failed: %s", strings.Join(failed, ", "))
	}
}
