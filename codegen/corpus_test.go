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
	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
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

// corpusModule is a temporary Go module with one generated package per
// corpus world, shared by TestCorpus (host) and TestGuestCorpus (guest).
type corpusModule struct {
	dir    string
	module string // module path
	prefix string // package name prefix
	// generated, refused and failed name the worlds by outcome.
	generated, refused, failed []string
}

// newCorpusModule creates the module (go.mod, and the repository's go.sum)
// in a temporary directory, requiring this repository by a replace.
func newCorpusModule(t *testing.T, module, prefix string) *corpusModule {
	tmp := t.TempDir()
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	gomod := fmt.Sprintf("module %s\n\ngo 1.26\n\nrequire github.com/wasmhost/wit-bindgen-go-host v0.0.0\n\nreplace github.com/wasmhost/wit-bindgen-go-host => %s\n", module, repo)
	if err := os.WriteFile(filepath.Join(tmp, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	if sum, err := os.ReadFile(filepath.Join(repo, "go.sum")); err == nil {
		os.WriteFile(filepath.Join(tmp, "go.sum"), sum, 0o644)
	}
	return &corpusModule{dir: tmp, module: module, prefix: prefix}
}

// pkg is the package name (and directory) of the world of corpus case name.
func (m *corpusModule) pkg(name string) string {
	return m.prefix + nonIdent.ReplaceAllString(strings.ToLower(name), "")
}

// generate loads every case, generates it with gen (all features on) and
// writes the files into the case's package. A *codegen.Diagnostic counts
// as refused; any other error fails the case.
func (m *corpusModule) generate(t *testing.T, cases []corpusCase, gen func(*wit.Resolve, *wit.World, codegen.Options) ([]codegen.File, error)) {
	for _, c := range cases {
		pkgName := m.pkg(c.name)
		r, main, err := parser.LoadPath(c.path, parser.Options{AllFeatures: true})
		if err != nil {
			m.failed = append(m.failed, c.name)
			t.Errorf("%s: load: %v", c.name, err)
			continue
		}
		w, err := parser.SelectWorld(r, main, "")
		if err != nil && c.name == "wasi-http-v0.2.0" {
			w, err = parser.SelectWorld(r, main, "proxy")
		}
		if err != nil {
			m.failed = append(m.failed, c.name)
			t.Errorf("%s: select world: %v", c.name, err)
			continue
		}
		files, err := gen(r, w, codegen.Options{PackageName: pkgName, SourceName: c.name})
		var d *codegen.Diagnostic
		if errors.As(err, &d) {
			m.refused = append(m.refused, c.name)
			t.Logf("%s: refused: %v", c.name, d)
			continue
		}
		if err != nil {
			m.failed = append(m.failed, c.name)
			t.Errorf("%s: generate: %v", c.name, err)
			continue
		}
		dir := filepath.Join(m.dir, pkgName)
		os.MkdirAll(dir, 0o755)
		for _, f := range files {
			if err := os.WriteFile(filepath.Join(dir, f.Name), f.Content, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		m.generated = append(m.generated, c.name)
	}
}

// goTool runs `go <verb> ./...` in the module with env added, reports a
// failure as what (e.g. "go vet ./..."), and marks in bad the generated
// worlds its output names.
func (m *corpusModule) goTool(t *testing.T, verb, what string, env []string, bad map[string]bool) {
	cmd := exec.Command("go", verb, "./...")
	cmd.Dir = m.dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err == nil {
		return
	}
	// Attribute failures to packages.
	for _, line := range strings.Split(string(out), "\n") {
		for _, c := range m.generated {
			pkg := m.pkg(c)
			if strings.Contains(line, "/"+pkg+"/") || strings.Contains(line, m.module+"/"+pkg) || strings.HasPrefix(line, pkg+"/") {
				bad[c] = true
			}
		}
	}
	t.Errorf("%s failed:\n%s", what, out)
}

// settle moves the generated worlds marked bad to failed (sorted) and
// returns how many passed.
func (m *corpusModule) settle(bad map[string]bool) int {
	ok := 0
	for _, c := range m.generated {
		if bad[c] {
			m.failed = append(m.failed, c)
		} else {
			ok++
		}
	}
	sort.Strings(m.failed)
	return ok
}

// TestCorpus generates Go for every world of the wit-bindgen codegen corpus
// and wasi-http 0.2.0, writes them as packages of one temporary module and
// runs a single `go vet ./...` over it.
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping corpus build in -short mode")
	}
	cases := corpusCases(t)
	m := newCorpusModule(t, "corpus.test", "w")
	m.generate(t, cases, codegen.Generate)
	bad := map[string]bool{}
	m.goTool(t, "vet", "go vet ./...", []string{"GOFLAGS=-mod=mod", "GOWORK=off"}, bad)
	ok := m.settle(bad)
	msg := fmt.Sprintf("codegen corpus (%d worlds): %d generated+compiled / %d refused-with-diagnostic / %d failed", len(cases), ok, len(m.refused), len(m.failed))
	t.Log(msg)
	fmt.Println(msg)
	if len(m.failed) > 0 {
		t.Errorf("failed: %s", strings.Join(m.failed, ", "))
	}
}
