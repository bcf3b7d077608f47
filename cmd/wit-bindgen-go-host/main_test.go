package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// quickstart is the sample WIT the README's quick start uses.
const quickstart = "../../testdata/quickstart"

func runCLI(t *testing.T, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	status = run(args, &out, &errb)
	return status, out.String(), errb.String()
}

func TestVersionAndHelp(t *testing.T) {
	if st, out, _ := runCLI(t, "--version"); st != 0 || !strings.Contains(out, version) {
		t.Fatalf("--version: status %d, output %q", st, out)
	}
	st, out, _ := runCLI(t, "--help")
	if st != 0 {
		t.Fatalf("--help: status %d", st)
	}
	for _, want := range []string{"wit", "generate", "completion"} {
		if !strings.Contains(out, want) {
			t.Errorf("--help does not list %q:\n%s", want, out)
		}
	}
	if st, out, _ := runCLI(t, "completion", "bash"); st != 0 || !strings.Contains(out, "wit-bindgen-go-host") {
		t.Fatalf("completion bash: status %d", st)
	}
}

func TestWitCommand(t *testing.T) {
	st, out, errs := runCLI(t, "wit", quickstart)
	if st != 0 {
		t.Fatalf("wit: status %d: %s", st, errs)
	}
	for _, want := range []string{"package example:greeter@0.1.0;", "interface logging", "world greeter-world"} {
		if !strings.Contains(out, want) {
			t.Errorf("wit output lacks %q:\n%s", want, out)
		}
	}
	st, out, errs = runCLI(t, "wit", "--json", quickstart)
	if st != 0 {
		t.Fatalf("wit --json: status %d: %s", st, errs)
	}
	var doc struct {
		Worlds   []map[string]any `json:"worlds"`
		Packages []map[string]any `json:"packages"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("wit --json is not JSON: %v", err)
	}
	if len(doc.Worlds) != 1 || len(doc.Packages) != 1 {
		t.Errorf("wit --json: %d worlds, %d packages; want 1 and 1", len(doc.Worlds), len(doc.Packages))
	}
	st, out, _ = runCLI(t, "wit", "--world", "greeter-world", quickstart)
	if st != 0 || !strings.Contains(out, "world greeter-world") || strings.Contains(out, "interface logging") {
		t.Errorf("wit --world: status %d, output:\n%s", st, out)
	}
	if st, _, errs := runCLI(t, "wit", "--world", "nope", quickstart); st != 1 || !strings.Contains(errs, "nope") {
		t.Errorf("unknown world: status %d, stderr %q", st, errs)
	}
}

func TestBadInputReportsPosition(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "bad.wit")
	if err := os.WriteFile(p, []byte("package a:b;\ninterface i {\n  f: func() -> list<u32;\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	st, _, errs := runCLI(t, "wit", p)
	if st != 1 {
		t.Fatalf("status %d, want 1; stderr:\n%s", st, errs)
	}
	// path:line:col: message, then the source line and a caret.
	if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(p) + `:3:\d+: .+$`).MatchString(errs) {
		t.Errorf("error does not start with path:line:col:\n%s", errs)
	}
	if !strings.Contains(errs, "f: func() -> list<u32;") || !strings.Contains(errs, "^") {
		t.Errorf("error lacks the source line and caret:\n%s", errs)
	}
	if strings.Contains(errs, "goroutine") || strings.Contains(errs, "panic") {
		t.Errorf("error looks like a stack trace:\n%s", errs)
	}
	if st, _, errs := runCLI(t, "wit", filepath.Join(dir, "missing.wit")); st != 1 || errs == "" {
		t.Errorf("missing file: status %d, stderr %q", st, errs)
	}
}

func TestGenerateCommand(t *testing.T) {
	for _, guest := range []bool{false, true} {
		out := t.TempDir()
		args := []string{"generate", "--out", out, "--package", "greeter", quickstart}
		if guest {
			args = append([]string{"generate", "--guest"}, args[1:]...)
		}
		st, _, errs := runCLI(t, args...)
		if st != 0 {
			t.Fatalf("generate (guest=%v): status %d: %s", guest, st, errs)
		}
		files, _ := filepath.Glob(filepath.Join(out, "*.go"))
		if len(files) == 0 {
			t.Fatalf("generate (guest=%v) wrote no Go files", guest)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if !regexp.MustCompile(`^// Code generated .* DO NOT EDIT\.\n`).Match(b) {
				t.Errorf("%s: missing the generated-code header", f)
			}
			if !bytes.Contains(b, []byte("package greeter")) {
				t.Errorf("%s: --package not honoured", f)
			}
			if abs, _ := filepath.Abs(quickstart); bytes.Contains(b, []byte(abs)) {
				t.Errorf("%s: embeds an absolute path", f)
			}
		}
	}
}
