package parser

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// sharedDir locates ../shared (relative to the repository root), or skips.
func sharedDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("conformance data not found at %s (expected ../shared next to the repository): %v", dir, err)
	}
	return dir
}

// witFiles lists the .wit files under root, recursively, skipping
// directories for which skip returns true.
func witFiles(t testing.TB, root string, skip func(path string) bool) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if skip != nil && skip(path) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".wit") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestParseCorpus parses every valid .wit file of the shared corpora.
func TestParseCorpus(t *testing.T) {
	shared := sharedDir(t)
	roots := []string{
		filepath.Join(shared, "conformance", "wit-parser-ui"),
		filepath.Join(shared, "conformance", "wit-bindgen-codegen"),
		filepath.Join(shared, "wit", "wasi-http", "v0.2.0"),
		filepath.Join(shared, "wit", "wasi-keyvalue"),
	}
	n := 0
	for _, root := range roots {
		if _, err := os.Stat(root); err != nil {
			t.Errorf("missing corpus %s: %v", root, err)
			continue
		}
		files := witFiles(t, root, func(path string) bool {
			return filepath.Base(path) == "parse-fail"
		})
		for _, path := range files {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ParseFile(path, src); err != nil {
				t.Errorf("%v", err)
			}
			n++
		}
	}
	t.Logf("parsed %d files", n)
	if n < 100 {
		t.Errorf("only %d corpus files found", n)
	}
}

// expectedError is the first error of a wit-parser parse-fail case.
type expectedError struct {
	file      string // path of the .wit file the error points into
	line, col int
	msg       string
}

// readExpected reads an X.wit.result file. It reports false when the file
// has no position.
func readExpected(t *testing.T, dir, result string) (expectedError, bool) {
	t.Helper()
	data, err := os.ReadFile(result)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	lines := strings.Split(text, "\n")
	msg := lines[0]
	// Directory cases wrap the message in context.
	for _, prefix := range []string{"failed to resolve directory while parsing WIT for path [", "failed to parse package: "} {
		if strings.HasPrefix(msg, prefix) {
			if i := strings.Index(msg, ": "); i >= 0 {
				msg = msg[i+2:]
			}
		}
	}
	if strings.HasPrefix(msg, "failed to parse package: ") {
		msg = strings.TrimPrefix(msg, "failed to parse package: ")
		if i := strings.Index(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
	}
	loc := ""
	for _, l := range lines[1:] {
		if i := strings.Index(l, "--> "); i >= 0 {
			loc = strings.TrimSpace(l[i+4:])
			break
		}
	}
	if loc == "" {
		// "path:line:col: message" (used for very long lines).
		if strings.HasPrefix(msg, "tests/ui/") {
			parts := strings.SplitN(msg, ": ", 2)
			loc = parts[0]
			if len(parts) == 2 {
				msg = parts[1]
			}
		}
	}
	if loc == "" {
		return expectedError{msg: msg}, false
	}
	parts := strings.Split(loc, ":")
	if len(parts) < 3 {
		return expectedError{msg: msg}, false
	}
	line, err1 := strconv.Atoi(parts[len(parts)-2])
	col, err2 := strconv.Atoi(parts[len(parts)-1])
	if err1 != nil || err2 != nil {
		return expectedError{msg: msg}, false
	}
	file := strings.Join(parts[:len(parts)-2], ":")
	file = strings.TrimPrefix(file, "tests/ui/parse-fail/")
	return expectedError{file: filepath.Join(dir, filepath.FromSlash(file)), line: line, col: col, msg: msg}, true
}

// isSyntaxMessage reports whether wit-parser reports msg while parsing a
// single file (as opposed to resolving).
func isSyntaxMessage(msg string) bool {
	for _, prefix := range []string{
		"expected ", "type nesting too deep", "package nesting too deep",
		"nested packages must be placed at the top-level", "unknown attribute",
		"cannot place attributes on nested packages", "unexpected character",
		"unterminated block comment", "invalid character in identifier",
		"identifiers must have characters between",
	} {
		if strings.HasPrefix(msg, prefix) {
			return true
		}
	}
	return false
}

// TestParseFailSyntax checks that every parse-fail case whose expected
// error is a syntax error fails in ParseFile at the same line:col with the
// same message.
func TestParseFailSyntax(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "conformance", "wit-parser-ui", "parse-fail")
	results, err := filepath.Glob(filepath.Join(dir, "*.result"))
	if err != nil {
		t.Fatal(err)
	}
	var cases, samePos, sameMsg int
	for _, result := range results {
		name := strings.TrimSuffix(filepath.Base(result), ".wit.result")
		exp, ok := readExpected(t, dir, result)
		if !ok || !isSyntaxMessage(exp.msg) {
			continue
		}
		if _, err := os.Stat(exp.file); err != nil {
			continue // stale .result without input
		}
		cases++
		src, err := os.ReadFile(exp.file)
		if err != nil {
			t.Fatal(err)
		}
		_, perr := ParseFile(exp.file, src)
		var e *Error
		if !errors.As(perr, &e) {
			t.Errorf("%s: want error %d:%d %q, got %v", name, exp.line, exp.col, exp.msg, perr)
			continue
		}
		if e.Span.Pos.Line != exp.line || e.Span.Pos.Col != exp.col {
			t.Errorf("%s: want %d:%d %q, got %d:%d %q", name, exp.line, exp.col, exp.msg,
				e.Span.Pos.Line, e.Span.Pos.Col, e.Msg)
			continue
		}
		samePos++
		if e.Msg != exp.msg {
			t.Errorf("%s: at %d:%d want message %q, got %q", name, exp.line, exp.col, exp.msg, e.Msg)
			continue
		}
		sameMsg++
	}
	t.Logf("wit-parser parse-fail syntax cases: %d, same line:col %d, same message %d", cases, samePos, sameMsg)
	if cases < 20 {
		t.Errorf("only %d syntax cases found", cases)
	}
}

// TestParseFailAllRejectedOrValid checks that ParseFile never panics on the
// parse-fail inputs and reports how many it rejects by itself.
func TestParseFailAllRejectedOrValid(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "conformance", "wit-parser-ui", "parse-fail")
	files := witFiles(t, dir, nil)
	rejected := 0
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseFile(path, src); err != nil {
			rejected++
		}
	}
	t.Logf("%s", fmt.Sprintf("parse-fail: %d files, %d rejected by the parser alone", len(files), rejected))
}

// collectDocs appends every non-empty doc comment of f to out.
func collectDocs(f *File, out map[string]bool) {
	add := func(d AstDocs) {
		if d.Contents != "" {
			out[d.Contents] = true
		}
	}
	var typ func(TypeExpr)
	typ = func(te TypeExpr) {
		switch te := te.(type) {
		case *TypeRecord:
			for _, fl := range te.Fields {
				add(fl.Docs)
			}
		case *TypeVariant:
			for _, c := range te.Cases {
				add(c.Docs)
			}
		case *TypeEnum:
			for _, c := range te.Cases {
				add(c.Docs)
			}
		case *TypeFlags:
			for _, c := range te.Flags {
				add(c.Docs)
			}
		case *TypeResource:
			for _, fn := range te.Funcs {
				add(fn.Docs)
			}
		}
	}
	ifaceItems := func(items []InterfaceItem) {
		for _, it := range items {
			switch it := it.(type) {
			case *TypeDecl:
				add(it.Docs)
				typ(it.Type)
			case *FuncDecl:
				add(it.Docs)
			}
		}
	}
	var items func([]Item)
	items = func(list []Item) {
		for _, it := range list {
			switch it := it.(type) {
			case *InterfaceDecl:
				add(it.Docs)
				ifaceItems(it.Items)
			case *WorldDecl:
				add(it.Docs)
				for _, wi := range it.Items {
					switch wi := wi.(type) {
					case *ImportExport:
						add(wi.Docs)
						ifaceItems(wi.Items)
					case *TypeDecl:
						add(wi.Docs)
						typ(wi.Type)
					}
				}
			case *NestedPackage:
				add(it.Docs)
				items(it.Items)
			}
		}
	}
	if f.Package != nil {
		add(f.Package.Docs)
	}
	items(f.Items)
}

// jsonDocs appends every docs.contents string found in a wit-parser JSON
// dump to out.
func jsonDocs(v any, out map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if k == "docs" {
				if m, ok := x.(map[string]any); ok {
					if s, ok := m["contents"].(string); ok {
						out[s] = true
					}
				}
				continue
			}
			jsonDocs(x, out)
		}
	case []any:
		for _, x := range v {
			jsonDocs(x, out)
		}
	}
}

// TestDocsMatchWitParser checks that every doc string wit-parser produced
// for the single-file cases of the UI suite is produced by the parser.
func TestDocsMatchWitParser(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "conformance", "wit-parser-ui")
	jsons, err := filepath.Glob(filepath.Join(dir, "*.wit.json"))
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, js := range jsons {
		witPath := strings.TrimSuffix(js, ".json")
		src, err := os.ReadFile(witPath)
		if err != nil {
			continue // directory or .wat case
		}
		data, err := os.ReadFile(js)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{}
		jsonDocs(v, want)
		if len(want) == 0 {
			continue
		}
		f, err := ParseFile(witPath, src)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		collectDocs(f, got)
		for s := range want {
			checked++
			if !got[s] {
				t.Errorf("%s: docs %q not produced; got %q", filepath.Base(witPath), s, keys(got))
			}
		}
	}
	t.Logf("checked %d doc strings", checked)
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
