package difftest

// TestHostileDifferential: the hostile guests of testdata/hostile (ok.wat
// with one canonical-ABI violation each) wrapped as components and run
// under wasmtime's native component model, against the generated bindings
// (golden/hostile) on every engine. For each variant both sides must
// agree on the outcome class — the call traps, the component is rejected
// before any call, or the call returns — and, when it returns, on the value
// and on what the host function received.
//
// Not covered: the variants that need resources (handle-*, borrow-*,
// cell-*, the thing exports: the oracle has no resources) and spin (the
// oracle cannot interrupt a guest).

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/gob"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wasmhost/wit-bindgen-go-host/golden/hostile"
	ra "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
	wasmtimeadapter "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wasmtime"
	co "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wasmtime/internal/componentoracle"
	wazeroadapter "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wazero"
)

const hostileDir = "../../../testdata/hostile"

var (
	hShape = &typ{kind: co.KindVariant, name: "shape", cases: []field{{"none", nil}, {"circle", tF32}, {"square", tU32}, {"wide", tU64}}}
	hLevel = enum("level", "low", "mid", "high")
	hPerms = &typ{kind: co.KindFlags, name: "perms", flags: []string{"read", "write", "exec"}}
	hPair  = record("pair", field{"name", tString}, field{"value", tU32})
)

// hostileWorld is hostile.wit without its resources.
func hostileWorld() world {
	nullary := func(name string, res *typ) fn { return fn{name: name, result: res} }
	return world{
		hostIface: "test:hostile/host@0.1.0", guestIface: "test:hostile/api@0.1.0",
		types: []*typ{hShape, hLevel, hPerms, hPair},
		imports: []fn{
			{"ping", []field{{"x", tU32}}, tU32}, nullary("call-back", tU32),
			{"take-char", []field{{"c", tChar}}, nil}, {"take-shape", []field{{"s", hShape}}, nil},
			{"take-string", []field{{"s", tString}}, nil}, nullary("name", tString),
		},
		exports: []fn{
			nullary("get-string", tString), nullary("get-list", list(tU32)), nullary("get-record", hPair),
			nullary("get-shape", hShape), nullary("get-level", hLevel), nullary("get-perms", hPerms),
			nullary("get-char", tChar), nullary("get-bool", tBool),
			{"put-string", []field{{"s", tString}}, tU32}, {"put-list", []field{{"l", list(tU32)}}, tU32},
			nullary("send-char", nil), nullary("send-shape", nil), nullary("send-string", nil),
			nullary("fetch-name", tU32), nullary("reenter", tU32), nullary("crash", nil),
		},
	}
}

// hostileArgs are the arguments of the exports that take some.
var hostileArgs = map[string][]co.Value{
	"put-string": {co.String("héllo")},
	"put-list":   {co.List(co.U32(1), co.U32(2), co.U32(3), co.U32(4))},
}

// outcome is what one call did.
type outcome struct {
	Class string // "returned", "trapped" or "rejected" (before any call)
	Res   *co.Value
	Host  []string // host calls with what they received
	Err   string
}

func (o outcome) String() string {
	s := o.Class
	if o.Class == "returned" {
		s += " " + show(o.Res)
	}
	if len(o.Host) > 0 {
		s += fmt.Sprintf(", host calls %v", o.Host)
	}
	if o.Err != "" {
		s += fmt.Sprintf(" (%s)", o.Err)
	}
	return s
}

func (o outcome) same(p outcome) bool {
	return o.Class == p.Class && eqOpt(o.Res, p.Res) && slices.Equal(o.Host, p.Host)
}

// runOracle runs export on a fresh component built from the hostile module
// at path, in a child process: wasmtime's C API aborts the process on some
// guest misbehaviour (see disagreements_test.go), and a test must survive
// that to report it.
func runOracle(t *testing.T, path, export string) outcome {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), oracleCaseEnv+"="+path+"|"+export)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	for _, line := range strings.Split(stdout.String(), "\n") {
		if b64, ok := strings.CutPrefix(line, "OUTCOME:"); ok {
			raw, err := base64.StdEncoding.DecodeString(b64)
			if err != nil {
				t.Fatal(err)
			}
			var o outcome
			if err := gob.NewDecoder(bytes.NewReader(raw)).Decode(&o); err != nil {
				t.Fatal(err)
			}
			return o
		}
	}
	why := fmt.Sprint(runErr)
	for _, line := range strings.Split(stderr.String(), "\n") {
		if strings.Contains(line, "panicked at") || strings.Contains(line, "out of bounds") {
			why += "; " + strings.TrimSpace(line)
		}
	}
	return outcome{Class: "aborted the process", Err: why}
}

// oracleCaseEnv tells TestMain to run one oracle case and print its
// outcome (see runOracle).
const oracleCaseEnv = "DIFFTEST_ORACLE_CASE"

// oracleChild runs the oracle case named by oracleCaseEnv ("path|export")
// and prints its outcome.
func oracleChild(spec string) {
	path, export, _ := strings.Cut(spec, "|")
	e := co.NewEngine()
	defer e.Close()
	o, err := oracleCase(e, path, export)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(o); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fmt.Println("OUTCOME:" + base64.StdEncoding.EncodeToString(buf.Bytes()))
}

func oracleCase(e *co.Engine, path, export string) (outcome, error) {
	wat, err := os.ReadFile(path)
	if err != nil {
		return outcome{}, err
	}
	wasm, err := os.ReadFile(strings.TrimSuffix(path, ".wat") + ".wasm")
	if err != nil {
		return outcome{}, err
	}
	s := string(wat)
	i, j := strings.Index(s, "(module"), strings.LastIndex(s, ")")
	src, err := wrapCore(hostileWorld(), wasm, s[i+len("(module"):j])
	if err != nil {
		return outcome{Class: "rejected", Err: err.Error()}, nil
	}
	c, err := e.Compile(src)
	if err != nil {
		return outcome{Class: "rejected", Err: err.Error()}, nil
	}
	defer c.Close()
	l := e.NewLinker()
	defer l.Close()
	var host []string
	rec := func(name string, res ...co.Value) co.HostFunc {
		return func(args []co.Value) ([]co.Value, error) {
			host = append(host, fmt.Sprintf("%s%v", name, args))
			return res, nil
		}
	}
	err = l.Define("test:hostile/host@0.1.0", map[string]co.HostFunc{
		"ping": func(args []co.Value) ([]co.Value, error) {
			host = append(host, fmt.Sprintf("ping%v", args))
			return []co.Value{co.U32(uint32(args[0].Uint) + 1)}, nil
		},
		"call-back":   rec("call-back", co.U32(99)),
		"take-char":   rec("take-char"),
		"take-shape":  rec("take-shape"),
		"take-string": rec("take-string"),
		"name":        rec("name", co.String("hostile-host")),
	})
	if err != nil {
		return outcome{}, err
	}
	inst, err := l.Instantiate(c)
	if err != nil {
		return outcome{Class: "rejected", Err: err.Error()}, nil
	}
	defer inst.Close()
	res, err := inst.Call("test:hostile/api@0.1.0#"+export, hostileArgs[export]...)
	if err != nil {
		return outcome{Class: "trapped", Err: err.Error(), Host: host}, nil
	}
	o := outcome{Class: "returned", Host: host}
	if len(res) > 0 {
		o.Res = &res[0]
	}
	return o, nil
}

// hostileRecHost implements hostile's interface host like runOracle's
// host functions, recording the calls the same way.
type hostileRecHost struct {
	hostile.UnimplementedHost
	calls []string
}

func (h *hostileRecHost) Ping(ctx context.Context, x uint32) (uint32, error) {
	h.calls = append(h.calls, fmt.Sprintf("ping%v", []co.Value{co.U32(x)}))
	return x + 1, nil
}

func (h *hostileRecHost) CallBack(ctx context.Context) (uint32, error) {
	h.calls = append(h.calls, fmt.Sprintf("call-back%v", []co.Value{}))
	return 99, nil
}

func (h *hostileRecHost) TakeChar(ctx context.Context, c rune) error {
	h.calls = append(h.calls, fmt.Sprintf("take-char%v", []co.Value{co.Char(c)}))
	return nil
}

func (h *hostileRecHost) TakeShape(ctx context.Context, s hostile.Shape) error {
	h.calls = append(h.calls, fmt.Sprintf("take-shape%v", []co.Value{shapeValue(s)}))
	return nil
}

func (h *hostileRecHost) TakeString(ctx context.Context, s string) error {
	h.calls = append(h.calls, fmt.Sprintf("take-string%v", []co.Value{co.String(s)}))
	return nil
}

func (h *hostileRecHost) Name(ctx context.Context) (string, error) {
	h.calls = append(h.calls, fmt.Sprintf("name%v", []co.Value{}))
	return "hostile-host", nil
}

func shapeValue(s hostile.Shape) co.Value {
	switch s := s.(type) {
	case hostile.ShapeNone:
		return co.Variant("none", nil)
	case hostile.ShapeCircle:
		return co.Variant("circle", co.Ptr(co.F32(s.Value)))
	case hostile.ShapeSquare:
		return co.Variant("square", co.Ptr(co.U32(s.Value)))
	case hostile.ShapeWide:
		return co.Variant("wide", co.Ptr(co.U64(s.Value)))
	}
	return co.Variant(fmt.Sprintf("<%T>", s), nil)
}

// hostileCall calls export through the generated bindings and returns its
// result as a component value.
func hostileCall(ctx context.Context, a hostile.APIExports, export string) (*co.Value, error) {
	val := func(v co.Value, err error) (*co.Value, error) {
		if err != nil {
			return nil, err
		}
		return &v, nil
	}
	u32 := func(x uint32, err error) (*co.Value, error) { return val(co.U32(x), err) }
	switch export {
	case "get-string":
		s, err := a.GetString(ctx)
		return val(co.String(s), err)
	case "get-list":
		l, err := a.GetList(ctx)
		return val(cList(cU32).from(l), err)
	case "get-record":
		p, err := a.GetRecord(ctx)
		return val(co.Record(fld("name", co.String(p.Name)), fld("value", co.U32(p.Value))), err)
	case "get-shape":
		s, err := a.GetShape(ctx)
		return val(shapeValue(s), err)
	case "get-level":
		l, err := a.GetLevel(ctx)
		return val(cEnum[hostile.Level](hLevel).from(l), err)
	case "get-perms":
		p, err := a.GetPerms(ctx)
		return val(cFlags[hostile.Perms](hPerms).from(p), err)
	case "get-char":
		c, err := a.GetChar(ctx)
		return val(co.Char(c), err)
	case "get-bool":
		b, err := a.GetBool(ctx)
		return val(co.Bool(b), err)
	case "put-string":
		return u32(a.PutString(ctx, hostileArgs[export][0].Str))
	case "put-list":
		return u32(a.PutList(ctx, cList(cU32).to(hostileArgs[export][0])))
	case "send-char":
		return nil, a.SendChar(ctx)
	case "send-shape":
		return nil, a.SendShape(ctx)
	case "send-string":
		return nil, a.SendString(ctx)
	case "fetch-name":
		return u32(a.FetchName(ctx))
	case "reenter":
		return u32(a.Reenter(ctx))
	case "crash":
		return nil, a.Crash(ctx)
	}
	panic("hostileCall: " + export)
}

// runBindings runs export on a fresh instance of the hostile module at path
// through the generated bindings on a runtime from newRT.
func runBindings(t *testing.T, newRT func() (ra.Runtime, error), path, export string) outcome {
	ctx := context.Background()
	rt, err := newRT()
	if err != nil {
		t.Fatal(err)
	}
	defer rt.(interface{ Close(context.Context) error }).Close(ctx)
	wasm, err := os.ReadFile(strings.TrimSuffix(path, ".wat") + ".wasm")
	if err != nil {
		t.Fatal(err)
	}
	mod, err := rt.Compile(ctx, wasm)
	if err != nil {
		return outcome{Class: "rejected", Err: err.Error()}
	}
	w, err := hostile.NewHostile(ctx, rt, mod)
	if err != nil {
		return outcome{Class: "rejected", Err: err.Error()}
	}
	h := &hostileRecHost{}
	in, err := w.Instantiate(ctx, hostile.Imports{Host: h})
	if err != nil {
		return outcome{Class: "rejected", Err: err.Error()}
	}
	defer in.Close(ctx)
	res, err := hostileCall(ctx, in.API(), export)
	if err != nil {
		return outcome{Class: "trapped", Err: err.Error(), Host: h.calls}
	}
	return outcome{Class: "returned", Res: res, Host: h.calls}
}

func newWazeroCompiler() (ra.Runtime, error) {
	return wazeroadapter.NewRuntime(context.Background(), wazeroadapter.Config{})
}

func newWazeroInterpreter() (ra.Runtime, error) {
	return wazeroadapter.NewRuntime(context.Background(), wazeroadapter.Config{Interpreter: true})
}

func newWasmtimeAdapter() (ra.Runtime, error) {
	return wasmtimeadapter.NewRuntime(wasmtimeadapter.Config{})
}

// hostileReplaced matches the marker naming the piece a variant replaced.
var hostileReplaced = regexp.MustCompile(`;; HOSTILE: "(export |post )?([a-z-]+)" (replaced|removed)`)

// hostileCases lists (variant, export) pairs: the export each variant
// breaks (cabi_realloc: both exports that lower a list or string; post
// get-string: get-string; the memory: get-string), every export of ok.wat,
// minus what needs resources or an interruptible call.
func hostileCases(t *testing.T) [][2]string {
	files, err := filepath.Glob(filepath.Join(hostileDir, "*.wat"))
	if err != nil {
		t.Fatal(err)
	}
	exported := map[string]bool{}
	for _, f := range hostileWorld().exports {
		exported[f.name] = true
	}
	var cases [][2]string
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".wat")
		if name == "ok" {
			for _, e := range hostileWorld().exports {
				cases = append(cases, [2]string{name, e.name})
			}
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m := hostileReplaced.FindStringSubmatch(string(src))
		if m == nil {
			t.Fatalf("%s: no HOSTILE marker", f)
		}
		switch piece := m[2]; {
		case piece == "realloc":
			cases = append(cases, [2]string{name, "put-string"}, [2]string{name, "put-list"})
		case piece == "memory":
			cases = append(cases, [2]string{name, "get-string"})
		case exported[piece] && piece != "spin":
			cases = append(cases, [2]string{name, piece})
		}
	}
	return cases
}

// hostileVerdicts says, for each (variant, export) whose two sides
// disagree, which side CanonicalABI.md says is right; disagreements_test.go
// holds the regression test of each. A disagreement not listed here fails
// the test.
var hostileVerdicts = map[string]string{
	"flags-extra-bits/get-perms": verdictFlagsExtraBits,
}

func TestHostileDifferential(t *testing.T) {
	engines := []struct {
		name  string
		newRT func() (ra.Runtime, error)
	}{
		{"wazero-compiler", newWazeroCompiler},
		{"wazero-interpreter", newWazeroInterpreter},
		{"wasmtime-adapter", newWasmtimeAdapter},
	}
	agree, disagree := 0, 0
	for _, c := range hostileCases(t) {
		variant, export := c[0], c[1]
		t.Run(variant+"/"+export, func(t *testing.T) {
			path := filepath.Join(hostileDir, variant+".wat")
			want := runOracle(t, path, export)
			for _, en := range engines {
				got := runBindings(t, en.newRT, path, export)
				if got.same(want) {
					agree++
					t.Logf("%s: both %s", en.name, got.Class)
					continue
				}
				disagree++
				msg := fmt.Sprintf("DISAGREEMENT on %s, %s:\n  oracle (wasmtime component model): %v\n  generated bindings:                %v", variant, export, want, got)
				if v, ok := hostileVerdicts[variant+"/"+export]; ok {
					t.Logf("%s\n  known; %s", msg, v)
					continue
				}
				t.Error(msg)
			}
		})
	}
	t.Logf("%d (variant, export, engine) outcomes agree with wasmtime's component model, %d disagree", agree, disagree)
}
