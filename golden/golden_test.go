package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wasmhost/wit-bindgen-go-host/codegen"
	"github.com/wasmhost/wit-bindgen-go-host/parser"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// cases are the directories of testdata/ with golden outputs.
var cases = []string{"both", "handles", "hostile", "kinds", "kitchen-sink", "names", "quickstart", "resources", "spill"}

// generate runs the generator on testdata/<name>.
func generate(t *testing.T, name string) []codegen.File {
	t.Helper()
	src := filepath.Join("..", "testdata", name)
	r, main, err := parser.LoadPath(src, parser.Options{})
	if err != nil {
		t.Fatalf("load %s: %v", src, err)
	}
	w, err := parser.SelectWorld(r, main, "")
	if err != nil {
		t.Fatalf("select world in %s: %v", src, err)
	}
	files, err := codegen.Generate(r, w, codegen.Options{
		PackageName: strings.ReplaceAll(name, "-", ""),
		SourceName:  "testdata/" + name,
	})
	if err != nil {
		t.Fatalf("generate %s: %v", src, err)
	}
	return files
}

func TestGolden(t *testing.T) {
	for _, name := range cases {
		t.Run(name, func(t *testing.T) {
			files := generate(t, name)
			dir := name
			for _, f := range files {
				path := filepath.Join(dir, f.Name)
				if *update {
					if err := os.MkdirAll(dir, 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, f.Content, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				old, err := os.ReadFile(path)
				if err != nil {
					t.Errorf("stale generated files; run make golden: %v", err)
					continue
				}
				if !bytes.Equal(old, f.Content) {
					t.Errorf("stale generated files; run make golden: %s differs:\n%s", path, unifiedDiff(path, string(old), string(f.Content)))
				}
			}
		})
	}
}

// TestDeterministic checks that generating twice gives the same bytes.
func TestDeterministic(t *testing.T) {
	for _, name := range cases {
		a, b := generate(t, name), generate(t, name)
		for i := range a {
			if !bytes.Equal(a[i].Content, b[i].Content) {
				t.Errorf("%s: output differs between runs", name)
			}
		}
	}
}

// unifiedDiff returns a unified diff (3 lines of context) of a and b.
func unifiedDiff(name, a, b string) string {
	x, y := strings.SplitAfter(a, "\n"), strings.SplitAfter(b, "\n")
	// Trim the common prefix and suffix; diff the middle with an LCS
	// table when it is small enough, else show it as replaced.
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	mx, my := x[pre:len(x)-suf], y[pre:len(y)-suf]
	type op struct {
		kind byte // ' ', '-', '+'
		line string
	}
	var ops []op
	for _, l := range x[max(0, pre-3):pre] {
		ops = append(ops, op{' ', l})
	}
	if len(mx)*len(my) <= 4_000_000 {
		n, m := len(mx), len(my)
		lcs := make([][]int32, n+1)
		for i := range lcs {
			lcs[i] = make([]int32, m+1)
		}
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if mx[i] == my[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		i, j := 0, 0
		for i < n || j < m {
			switch {
			case i < n && j < m && mx[i] == my[j]:
				ops = append(ops, op{' ', mx[i]})
				i++
				j++
			case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
				ops = append(ops, op{'-', mx[i]})
				i++
			default:
				ops = append(ops, op{'+', my[j]})
				j++
			}
		}
	} else {
		for _, l := range mx {
			ops = append(ops, op{'-', l})
		}
		for _, l := range my {
			ops = append(ops, op{'+', l})
		}
	}
	for _, l := range x[len(x)-suf : min(len(x), len(x)-suf+3)] {
		ops = append(ops, op{' ', l})
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- %s (golden)\n+++ %s (generated)\n@@ -%d +%d @@\n", name, name, max(1, pre-2), max(1, pre-2))
	shown := 0
	for k, o := range ops {
		// Elide long runs of context inside the middle.
		if o.kind == ' ' {
			near := false
			for d := -3; d <= 3; d++ {
				if k+d >= 0 && k+d < len(ops) && ops[k+d].kind != ' ' {
					near = true
				}
			}
			if !near {
				continue
			}
		}
		if shown++; shown > 400 {
			sb.WriteString("... (diff truncated)\n")
			break
		}
		sb.WriteByte(o.kind)
		sb.WriteString(strings.TrimSuffix(o.line, "\n"))
		sb.WriteByte('\n')
	}
	return sb.String()
}
