package wittypes

import (
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/internal/witfmt"
)

// TestNoHeavyDeps checks that guests linking wittypes do not link fmt,
// reflect or os (the point of the package).
func TestNoHeavyDeps(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(cmd.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		switch dep {
		case "fmt", "reflect", "os":
			t.Errorf("wittypes depends on %s", dep)
		}
		if strings.Contains(dep, "/runtimeadapters") && !strings.Contains(dep, "/runtimeadapters/internal/") && !strings.HasSuffix(dep, "/wittypes") {
			t.Errorf("wittypes depends on %s", dep)
		}
	}
}

type stringer struct{}

func (stringer) String() string { return "S" }

type point struct{ X int }

// TestFormat covers the fmt-free formatting, as in a guest without
// runtimeadapters (whose hook alias_test.go links in this test binary).
func TestFormat(t *testing.T) {
	saved := witfmt.Sprint
	witfmt.Sprint = nil
	defer func() { witfmt.Sprint = saved }()
	for _, c := range []struct{ got, want string }{
		{None[int]().String(), "none"},
		{Some(42).String(), "some(42)"},
		{Some(int8(-3)).String(), "some(-3)"},
		{Some(uint64(1) << 63).String(), "some(9223372036854775808)"},
		{Some("hi").String(), "some(hi)"},
		{Some(true).String(), "some(true)"},
		{Some(float32(0.1)).String(), "some(0.1)"},
		{Some(1e21).String(), "some(1e+21)"},
		{Some(Some(None[int]())).String(), "some(some(none))"},
		{Some(stringer{}).String(), "some(S)"},
		{Some(point{1}).String(), "some(?)"},
		{OK[int, string](7).String(), "ok(7)"},
		{Err[int]("bad").String(), "err(bad)"},
		{Err[struct{}](errors.New("e")).String(), "err(e)"},
		{NewWITError(uint32(5)).Error(), "wit error: 5"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestAccessors(t *testing.T) {
	o := Some(3)
	if v, ok := o.Get(); !ok || v != 3 || !o.IsSome() || o.IsNone() || o.Value() != 3 {
		t.Errorf("Some(3) = %v", o)
	}
	var n Option[string]
	if _, ok := n.Get(); ok || !n.IsNone() {
		t.Error("zero Option is not none")
	}
	r := Err[int]("x")
	if e, ok := r.Err(); !ok || e != "x" || r.IsOK() || !r.IsErr() {
		t.Errorf("Err(x) = %v", r)
	}
	var z Result[int, string]
	if v, ok := z.OK(); !ok || v != 0 {
		t.Error("zero Result is not ok(0)")
	}
}
