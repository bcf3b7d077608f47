package suite

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wasmhost/wit-bindgen-go-host/golden/hostile"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
)

// hostileHost implements interface `host` and records what the guest did.
type hostileHost struct {
	hostile.UnimplementedHost
	created, dropped int      // things
	calls            []string // host functions that ran
	gotShape         hostile.Shape
	// callBack, if set, implements call-back.
	callBack func(ctx context.Context) (uint32, error)
}

// thing is the host's implementation of resource thing.
type thing struct {
	h       *hostileHost
	id      uint32
	dropped bool
}

func (x *thing) ID(ctx context.Context) (uint32, error) { return x.id, nil }

func (x *thing) Drop(ctx context.Context) error {
	if x.dropped {
		return errors.New("thing dropped twice")
	}
	x.dropped = true
	x.h.dropped++
	return nil
}

func (h *hostileHost) NewThing(ctx context.Context, id uint32) (hostile.Thing, error) {
	h.created++
	return &thing{h: h, id: id}, nil
}

func (h *hostileHost) Ping(ctx context.Context, x uint32) (uint32, error) {
	h.calls = append(h.calls, "ping")
	return x + 1, nil
}

func (h *hostileHost) CallBack(ctx context.Context) (uint32, error) {
	h.calls = append(h.calls, "call-back")
	if h.callBack != nil {
		return h.callBack(ctx)
	}
	return 99, nil
}

func (h *hostileHost) TakeChar(ctx context.Context, c rune) error {
	h.calls = append(h.calls, "take-char")
	return nil
}

func (h *hostileHost) TakeShape(ctx context.Context, s hostile.Shape) error {
	h.calls = append(h.calls, "take-shape")
	h.gotShape = s
	return nil
}

func (h *hostileHost) TakeString(ctx context.Context, s string) error {
	h.calls = append(h.calls, "take-string")
	return nil
}

func (h *hostileHost) Name(ctx context.Context) (string, error) {
	h.calls = append(h.calls, "name")
	return "hostile-host", nil
}

// newRuntime returns a runtime from newRT. Host modules are defined once
// per runtime, so every instance of the tests gets a runtime of its own.
func newRuntime(t *testing.T, newRT NewRuntime) runtimeadapters.Runtime {
	t.Helper()
	return newRT(t)
}

// instantiate compiles testdata/hostile/<name>.wasm on rt and instantiates
// it with h.
func instantiate(ctx context.Context, rt runtimeadapters.Runtime, name string, h *hostileHost) (*hostile.HostileInstance, error) {
	wasm, err := os.ReadFile(TestdataPath("hostile", name+".wasm"))
	if err != nil {
		return nil, err
	}
	mod, err := rt.Compile(ctx, wasm)
	if err != nil {
		return nil, err
	}
	w, err := hostile.NewHostile(ctx, rt, mod)
	if err != nil {
		return nil, err
	}
	return w.Instantiate(ctx, hostile.Imports{Host: h})
}

// expectation says how a hostile variant must fail.
type expectation struct {
	// call makes the hostile call; it returns the call's error.
	call func(ctx context.Context, in *hostile.HostileInstance, h *hostileHost) error
	// kinds: the error must match one of these under errors.Is (any
	// non-nil error when empty and words is empty).
	kinds []error
	// words: the error text must contain each of these (case-insensitive).
	words []string
	// lenient: the call must succeed (check validates the value).
	lenient bool
	// bind: Instantiate itself must fail (or, failing that, call).
	bind bool
	// trap: the call traps, so the instance must refuse later calls
	// (lockdown-after-trap).
	trap bool
	// hostNotCalled: this host function must not have run.
	hostNotCalled string
	// timeout: the call gets a context with a short deadline.
	timeout bool
}

func api(in *hostile.HostileInstance) hostile.APIExports { return in.API() }

func errOf[T any](_ T, err error) error { return err }

func wantValue[T comparable](got T, err error, want T) error {
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("got %v, want %v", got, want)
	}
	return nil
}

var (
	getString = func(ctx context.Context, in *hostile.HostileInstance, _ *hostileHost) error {
		return errOf(api(in).GetString(ctx))
	}
	getList = func(ctx context.Context, in *hostile.HostileInstance, _ *hostileHost) error {
		return errOf(api(in).GetList(ctx))
	}
	getShape = func(ctx context.Context, in *hostile.HostileInstance, _ *hostileHost) error {
		return errOf(api(in).GetShape(ctx))
	}
	getLevel = func(ctx context.Context, in *hostile.HostileInstance, _ *hostileHost) error {
		return errOf(api(in).GetLevel(ctx))
	}
	getChar = func(ctx context.Context, in *hostile.HostileInstance, _ *hostileHost) error {
		return errOf(api(in).GetChar(ctx))
	}
	makeThing = func(ctx context.Context, in *hostile.HostileInstance, _ *hostileHost) error {
		th, err := api(in).MakeThing(ctx)
		if err == nil {
			_ = th.Drop(ctx)
		}
		return err
	}
	useThing = func(ctx context.Context, in *hostile.HostileInstance, _ *hostileHost) error {
		return errOf(api(in).UseThing(ctx))
	}
	inspect = func(ctx context.Context, in *hostile.HostileInstance, h *hostileHost) error {
		th, _ := h.NewThing(ctx, 5)
		defer th.Drop(ctx)
		return errOf(api(in).Inspect(ctx, th))
	}
	putString = func(ctx context.Context, in *hostile.HostileInstance, _ *hostileHost) error {
		return wantValue2(api(in).PutString(ctx, "hello"))(5)
	}
	fetchName = func(ctx context.Context, in *hostile.HostileInstance, _ *hostileHost) error {
		return errOf(api(in).FetchName(ctx))
	}
	sendString = func(ctx context.Context, in *hostile.HostileInstance, _ *hostileHost) error {
		return api(in).SendString(ctx)
	}
	sendShape = func(ctx context.Context, in *hostile.HostileInstance, _ *hostileHost) error {
		return api(in).SendShape(ctx)
	}
	oob        = []error{runtimeadapters.ErrOutOfBounds}
	oobOrLarge = []error{runtimeadapters.ErrOutOfBounds, runtimeadapters.ErrTooLarge}
	misaligned = []error{runtimeadapters.ErrMisaligned}
	badUTF8    = []error{runtimeadapters.ErrInvalidUTF8}
	badDisc    = []error{runtimeadapters.ErrInvalidDiscriminant}
	badChar    = []error{runtimeadapters.ErrInvalidChar}
	badHandle  = []error{runtimeadapters.ErrInvalidHandle}
)

func wantValue2(got uint32, err error) func(uint32) error {
	return func(want uint32) error { return wantValue(got, err, want) }
}

// variants is the README's table: one row per testdata/hostile/*.wasm
// except ok.wasm.
var variants = map[string]expectation{
	"string-oob":            {call: getString, kinds: oob, trap: true},
	"string-end-oob":        {call: getString, kinds: oob, trap: true},
	"string-len-wrap":       {call: getString, kinds: oobOrLarge, trap: true},
	"string-invalid-utf8":   {call: getString, kinds: badUTF8, trap: true},
	"string-surrogate-utf8": {call: getString, kinds: badUTF8, trap: true},
	"retarea-oob":           {call: getString, kinds: oob, trap: true},
	"retarea-misaligned":    {call: getString, kinds: misaligned, trap: true},
	"list-misaligned":       {call: getList, kinds: misaligned, trap: true},
	"list-len-wrap":         {call: getList, kinds: oobOrLarge, trap: true},
	"list-oob":              {call: getList, kinds: oob, trap: true},
	"record-field-oob": {call: func(ctx context.Context, in *hostile.HostileInstance, _ *hostileHost) error {
		return errOf(api(in).GetRecord(ctx))
	}, kinds: oob, trap: true},
	"variant-bad-disc":    {call: getShape, kinds: badDisc, trap: true},
	"enum-bad-disc":       {call: getLevel, kinds: badDisc, trap: true},
	"enum-disc-high-bits": {call: getLevel, kinds: badDisc, trap: true},
	"flags-extra-bits": {call: func(ctx context.Context, in *hostile.HostileInstance, _ *hostileHost) error {
		v, err := api(in).GetPerms(ctx)
		return wantValue(v, err, hostile.PermsRead|hostile.PermsExec)
	}, lenient: true},
	"char-surrogate": {call: getChar, kinds: badChar, trap: true},
	"char-too-big":   {call: getChar, kinds: badChar, trap: true},
	"bool-nonzero": {call: func(ctx context.Context, in *hostile.HostileInstance, _ *hostileHost) error {
		v, err := api(in).GetBool(ctx)
		return wantValue(v, err, true)
	}, lenient: true},
	"handle-forged":              {call: makeThing, kinds: badHandle, trap: true},
	"handle-returned-after-drop": {call: makeThing, kinds: badHandle, trap: true},
	"handle-use-after-drop":      {call: useThing, kinds: badHandle, trap: true},
	"handle-double-drop":         {call: useThing, kinds: badHandle, trap: true},
	"handle-forged-import-arg":   {call: useThing, kinds: badHandle, trap: true},
	"borrow-leak":                {call: inspect, kinds: badHandle, words: []string{"borrow"}, trap: true},
	"borrow-double-drop":         {call: inspect, kinds: badHandle, trap: true},
	"cell-forged-rep": {call: func(ctx context.Context, in *hostile.HostileInstance, _ *hostileHost) error {
		c, err := api(in).NewCell(ctx, 3)
		if err != nil {
			return fmt.Errorf("setup: %w", err)
		}
		return errOf(api(in).CellValue(ctx, c))
	}, kinds: badHandle, trap: true},
	"cell-returned-after-drop": {call: func(ctx context.Context, in *hostile.HostileInstance, _ *hostileHost) error {
		c, err := api(in).MakeCell(ctx)
		if err == nil {
			_ = c.Drop(ctx)
		}
		return err
	}, kinds: badHandle, trap: true},
	"realloc-oob": {call: putString, kinds: []error{runtimeadapters.ErrOutOfBounds, runtimeadapters.ErrRealloc}, words: []string{"realloc"}, trap: true},
	"realloc-misaligned": {call: func(ctx context.Context, in *hostile.HostileInstance, h *hostileHost) error {
		// put-string (alignment 1) still works; put-list (alignment 4) fails.
		if err := putString(ctx, in, h); err != nil {
			return fmt.Errorf("put-string with a 1-aligned realloc result failed: %w (%w)", err, errSetup)
		}
		return wantValue2(api(in).PutList(ctx, []uint32{1, 2}))(2)
	}, kinds: misaligned, words: []string{"realloc"}, trap: true},
	"realloc-trap":         {call: putString, kinds: []error{runtimeadapters.ErrRealloc}, words: []string{"realloc"}, trap: true},
	"realloc-calls-import": {call: putString, kinds: []error{runtimeadapters.ErrReentrant}, trap: true, hostNotCalled: "ping"},
	"trap": {call: func(ctx context.Context, in *hostile.HostileInstance, _ *hostileHost) error {
		return api(in).Crash(ctx)
	}, words: []string{"unreachable"}, trap: true},
	"spin": {call: func(ctx context.Context, in *hostile.HostileInstance, _ *hostileHost) error {
		return api(in).Spin(ctx)
	}, kinds: []error{context.DeadlineExceeded}, timeout: true, trap: true},
	"post-return-trap": {call: getString, words: []string{"cabi_post"}, trap: true},
	"import-bad-char": {call: func(ctx context.Context, in *hostile.HostileInstance, _ *hostileHost) error {
		return api(in).SendChar(ctx)
	}, kinds: badChar, trap: true, hostNotCalled: "take-char"},
	"import-bad-string":   {call: sendString, kinds: oob, trap: true, hostNotCalled: "take-string"},
	"import-invalid-utf8": {call: sendString, kinds: badUTF8, trap: true, hostNotCalled: "take-string"},
	"import-bad-variant":  {call: sendShape, kinds: badDisc, trap: true, hostNotCalled: "take-shape"},
	"import-variant-high-bits": {call: func(ctx context.Context, in *hostile.HostileInstance, h *hostileHost) error {
		if err := sendShape(ctx, in, h); err != nil {
			return err
		}
		if got, ok := h.gotShape.(hostile.ShapeSquare); !ok || got.Value != 5 {
			return fmt.Errorf("host got %#v, want square(5)", h.gotShape)
		}
		return nil
	}, lenient: true},
	"import-retptr-oob":        {call: fetchName, kinds: oob, trap: true},
	"import-retptr-misaligned": {call: fetchName, kinds: misaligned, trap: true},
	"missing-export":           {call: nil, bind: true, words: []string{"get-bool"}},
	"wrong-signature":          {call: nil, bind: true, words: []string{"get-bool"}},
	"no-memory-export":         {call: getString, bind: true, words: []string{"memory"}},
	"no-realloc":               {call: putString, bind: true, words: []string{"cabi_realloc"}},
}

var errSetup = errors.New("setup failed")

// guard runs f and fails t if it panics.
func guard(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s panicked: %v\n%s", what, r, debug.Stack())
		}
	}()
	f()
}

// TestVariantsListed checks that the table covers every hostile module.
func hostileVariantsListed(t *testing.T) {
	files, err := filepath.Glob(TestdataPath("hostile", "*.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".wasm")
		if name == "ok" {
			continue
		}
		names = append(names, name)
		if _, ok := variants[name]; !ok {
			t.Errorf("no expectation for %s", name)
		}
	}
	for name := range variants {
		if !slices.Contains(names, name) {
			t.Errorf("expectation for missing module %s", name)
		}
	}
	if len(names) != 45 {
		t.Errorf("%d hostile modules, want 45", len(names))
	}
}

// TestHostile runs every hostile variant on both engines: the violation
// comes back as a Go error of the right kind (or the spec's lenient value),
// nothing panics, no handle leaks, a trapped instance refuses later calls,
// and a fresh ok.wasm instance on the same runtime still works.
func hostileHostile(t *testing.T, newRT NewRuntime) {
	names := make([]string, 0, len(variants))
	for name := range variants {
		names = append(names, name)
	}
	slices.Sort(names)
	passed := 0
	for _, name := range names {
		ok := t.Run(name, func(t *testing.T) {
			runVariant(t, newRT, name, variants[name], false)
			checkOK(t, newRT)
		})
		if ok {
			passed++
		}
	}
	t.Logf("%d/%d hostile variants behave as expected", passed, len(names))
}

// runVariant runs one row of the table on a new instance of the variant.
// Each variant needs its own runtime namespace for host modules, so it uses
// a runtime of its own (sharing the compilation cache).
//
// With lockdown set, it checks only that an instance that trapped refuses
// further calls (see TestLockdownAfterTrap).
func runVariant(t *testing.T, newRT NewRuntime, name string, x expectation, lockdown bool) {
	ctx := context.Background()
	rt := newRuntime(t, newRT)
	h := &hostileHost{}
	var in *hostile.HostileInstance
	var err error
	guard(t, "Instantiate", func() { in, err = instantiate(ctx, rt, name, h) })
	if x.bind {
		if err != nil {
			checkErr(t, "Instantiate", err, x)
			return
		}
		t.Logf("%s: Instantiate succeeded; the violation must then surface on the first call that needs it", name)
		if x.call == nil {
			t.Fatalf("Instantiate succeeded, want an error naming %v", x.words)
		}
		guard(t, "call", func() { err = x.call(ctx, in, h) })
		if err == nil {
			t.Fatalf("call succeeded, want an error naming %v", x.words)
		}
		checkErr(t, "call", err, x)
		return
	}
	if err != nil {
		t.Fatalf("Instantiate: %v", err)
	}
	callCtx := ctx
	if x.timeout {
		var cancel context.CancelFunc
		callCtx, cancel = context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
	}
	start := time.Now()
	guard(t, "call", func() { err = x.call(callCtx, in, h) })
	if x.timeout && time.Since(start) > 10*time.Second {
		t.Errorf("call took %v after a 100ms deadline", time.Since(start))
	}
	if lockdown {
		if err == nil {
			t.Fatal("call succeeded, want an error")
		}
		// Lockdown after trap: the instance refuses every further call.
		var v bool
		guard(t, "call after trap", func() { v, err = api(in).GetBool(ctx) })
		if err == nil {
			t.Errorf("GetBool after the failed call succeeded (%v); a trapped instance must refuse further calls", v)
		}
		return
	}
	if x.lenient {
		if err != nil {
			t.Errorf("got error %v; the spec defines a lenient value here", err)
		}
	} else {
		if err == nil {
			t.Fatal("call succeeded, want an error")
		}
		if errors.Is(err, errSetup) {
			t.Fatal(err)
		}
		checkErr(t, "call", err, x)
	}
	if x.hostNotCalled != "" && slices.Contains(h.calls, x.hostNotCalled) {
		t.Errorf("host function %s ran (calls %v); it must not run when lifting its arguments fails", x.hostNotCalled, h.calls)
	}
	guard(t, "Close", func() { err = in.Close(ctx) })
	if n := hostile.LiveHandles(in); n != 0 {
		t.Errorf("%d handles left in the host table after Close", n)
	}
	if h.created != h.dropped {
		t.Errorf("things created %d, dropped %d: leaked host resources", h.created, h.dropped)
	}
}

// checkErr checks err against the row's kinds and words.
func checkErr(t *testing.T, what string, err error, x expectation) {
	t.Helper()
	if len(x.kinds) > 0 && !slices.ContainsFunc(x.kinds, func(k error) bool { return errors.Is(err, k) }) {
		t.Errorf("%s: %v; want one of %v", what, err, x.kinds)
	}
	msg := strings.ToLower(err.Error())
	for _, w := range x.words {
		if !strings.Contains(msg, strings.ToLower(w)) {
			t.Errorf("%s: %q does not mention %q", what, err, w)
		}
	}
}

// checkOK instantiates ok.wasm on a new runtime and calls every export, to
// show the host is still healthy after the hostile run.
func checkOK(t *testing.T, newRT NewRuntime) {
	t.Helper()
	ctx := context.Background()
	rt := newRuntime(t, newRT)
	h := &hostileHost{}
	in, err := instantiate(ctx, rt, "ok", h)
	if err != nil {
		t.Fatalf("ok.wasm: %v", err)
	}
	guard(t, "ok.wasm", func() { testOK(t, ctx, in, h) })
	if err := in.Close(ctx); err != nil {
		t.Errorf("ok.wasm Close: %v", err)
	}
	if h.created != h.dropped {
		t.Errorf("ok.wasm: things created %d, dropped %d", h.created, h.dropped)
	}
}

// testOK checks every export of ok.wasm against hostile.wit's comments.
func testOK(t *testing.T, ctx context.Context, in *hostile.HostileInstance, h *hostileHost) {
	t.Helper()
	a := in.API()
	check := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("ok.wasm %s: %v", what, err)
		}
	}
	s, err := a.GetString(ctx)
	check("get-string", wantValue(s, err, "hello"))
	l, err := a.GetList(ctx)
	check("get-list", wantValue(fmt.Sprint(l), err, "[1 2 3]"))
	r, err := a.GetRecord(ctx)
	check("get-record", wantValue(r, err, hostile.Pair{Name: "hello", Value: 42}))
	sh, err := a.GetShape(ctx)
	check("get-shape", wantValue[hostile.Shape](sh, err, hostile.ShapeSquare{Value: 7}))
	lv, err := a.GetLevel(ctx)
	check("get-level", wantValue(lv, err, hostile.LevelMid))
	p, err := a.GetPerms(ctx)
	check("get-perms", wantValue(p, err, hostile.PermsRead|hostile.PermsExec))
	c, err := a.GetChar(ctx)
	check("get-char", wantValue(c, err, '😀'))
	b, err := a.GetBool(ctx)
	check("get-bool", wantValue(b, err, true))
	n, err := a.PutString(ctx, "héllo")
	check("put-string", wantValue(n, err, 6))
	n, err = a.PutList(ctx, []uint32{1, 2, 3, 4})
	check("put-list", wantValue(n, err, 4))
	th, err := a.MakeThing(ctx)
	check("make-thing", err)
	if th != nil {
		n, err = a.Inspect(ctx, th)
		check("inspect", wantValue(n, err, 7))
		check("drop thing", th.Drop(ctx))
	}
	n, err = a.UseThing(ctx)
	check("use-thing", wantValue(n, err, 9))
	cell, err := a.MakeCell(ctx)
	check("make-cell", err)
	if cell != nil {
		n, err = cell.Get(ctx)
		check("cell.get", wantValue(n, err, 1))
		n, err = a.CellValue(ctx, cell)
		check("cell-value", wantValue(n, err, 1))
	}
	check("send-char", a.SendChar(ctx))
	check("send-shape", a.SendShape(ctx))
	check("send-string", a.SendString(ctx))
	n, err = a.FetchName(ctx)
	check("fetch-name", wantValue(n, err, uint32(len("hostile-host"))))
	n, err = a.Reenter(ctx)
	check("reenter", wantValue(n, err, 99))
	check("spin", a.Spin(ctx))
	check("crash", a.Crash(ctx))
	if n := hostile.LiveHandles(in); n != 0 {
		t.Errorf("ok.wasm: %d live handles after the calls", n)
	}
	if want := []string{"take-char", "take-shape", "take-string", "name", "call-back"}; !slices.Equal(h.calls, want) {
		t.Errorf("ok.wasm host calls = %v, want %v", h.calls, want)
	}
}

// TestLockdownAfterTrap: every violation that CanonicalABI.md makes a trap
// must leave the instance refusing further calls, as README.md requires
// ("lockdown-after-trap"), whether the trap came from the guest's code or
// from the host's lifting and lowering. An instance that keeps running after
// a failed lift also leaks: cabi_post_* never runs for the abandoned result.
func hostileLockdownAfterTrap(t *testing.T, newRT NewRuntime) {
	var names []string
	for name, x := range variants {
		if x.trap {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	passed := 0
	for _, name := range names {
		if t.Run(name, func(t *testing.T) { runVariant(t, newRT, name, variants[name], true) }) {
			passed++
		}
	}
	t.Logf("%d/%d trapping variants lock the instance down", passed, len(names))
}

// TestReentrance: a host import that calls back into the instance that is
// running (may_enter is false) gets ErrReentrant, and the guest's export
// fails with it; the instance is not corrupted.
func hostileReentrance(t *testing.T, newRT NewRuntime) {
	ctx := context.Background()
	h := &hostileHost{}
	in, err := instantiate(ctx, newRuntime(t, newRT), "ok", h)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close(ctx)
	var inner error
	innerRan := false
	h.callBack = func(ctx context.Context) (uint32, error) {
		guard(t, "re-entrant call", func() {
			_, inner = in.API().GetBool(ctx)
			innerRan = inner == nil
		})
		return 0, inner
	}
	guard(t, "reenter", func() { _, err = in.API().Reenter(ctx) })
	if !errors.Is(inner, runtimeadapters.ErrReentrant) || innerRan {
		t.Errorf("re-entrant GetBool: %v; want ErrReentrant", inner)
	}
	if !errors.Is(err, runtimeadapters.ErrReentrant) {
		t.Errorf("reenter: %v; want an error wrapping ErrReentrant", err)
	}
	// Dropping a guest resource from inside an import is re-entrance
	// too (its destructor would run inside the busy instance).
	h = &hostileHost{}
	in, err = instantiate(ctx, newRuntime(t, newRT), "ok", h)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close(ctx)
	cell, err := in.API().MakeCell(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h.callBack = func(ctx context.Context) (uint32, error) {
		return 0, cell.Drop(ctx)
	}
	if _, err := in.API().Reenter(ctx); !errors.Is(err, runtimeadapters.ErrReentrant) {
		t.Errorf("Cell.Drop from inside an import: %v; want ErrReentrant", err)
	}
}

// TestLoweringValidatesUTF8: codegen's doc promises strings are "UTF-8
// validated both ways". A Go string with invalid UTF-8 passed to an export
// that does not echo it must fail before the guest sees it (no
// component-model string value holds invalid UTF-8; CanonicalABI.md
// store_string copies a sequence of Unicode scalar values).
func hostileLoweringValidatesUTF8(t *testing.T, newRT NewRuntime) {
	ctx := context.Background()
	in, err := instantiate(ctx, newRuntime(t, newRT), "ok", &hostileHost{})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close(ctx)
	n, err := in.API().PutString(ctx, "a\xffb")
	if !errors.Is(err, runtimeadapters.ErrInvalidUTF8) {
		t.Errorf("PutString(%q) = %d, %v; want ErrInvalidUTF8", "a\xffb", n, err)
	}
}
