//go:build wasip1

// Command wasi-keyvalue-demo is the test guest for
// wasi:keyvalue/store@0.2.0-draft, in standard Go against the generated
// guest bindings (./bindings). Its run export opens the buckets
// "my-container" and "scratch", sets keys, checks exists, pages through
// list-keys with a cursor, reads back, deletes and verifies, and checks
// that an unknown bucket is no-such-store. Any mismatch makes run return
// err(message), and the runner exits non-zero. Build it with
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o wasi-keyvalue-demo.wasm ./demo/guests/wasi-keyvalue-demo
package main

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	kv "github.com/wasmhost/wit-bindgen-go-host/demo/guests/wasi-keyvalue-demo/bindings"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wittypes"
)

func main() {}

func init() { kv.SetExports(kv.Exports{WasiKeyvalueDemo: demo{}}) }

var buckets = []string{"my-container", "scratch"}

// keysPerBucket is more than one page of list-keys (the host's page size
// is 100), so the cursor is exercised.
const keysPerBucket = 130

type demo struct{}

// Run runs the demo and reports the first mismatch.
func (demo) Run() wittypes.Result[struct{}, string] {
	if err := run(); err != nil {
		return wittypes.Err[struct{}](err.Error())
	}
	fmt.Println("wasi-keyvalue-demo: ok")
	return wittypes.OK[struct{}, string](struct{}{})
}

func errText(e kv.Error) string {
	switch e := e.(type) {
	case kv.ErrorNoSuchStore:
		return "no-such-store"
	case kv.ErrorAccessDenied:
		return "access-denied"
	case kv.ErrorOther:
		return "other(" + e.Value + ")"
	}
	return fmt.Sprintf("%T", e)
}

func run() error {
	if res := kv.Store.Open("not-in-config"); res.IsOK() {
		return fmt.Errorf("open of an unknown bucket succeeded")
	} else if e, _ := res.Err(); errText(e) != "no-such-store" {
		return fmt.Errorf("open of an unknown bucket: %s, want no-such-store", errText(e))
	}
	for i, name := range buckets {
		res := kv.Store.Open(name)
		if e, bad := res.Err(); bad {
			return fmt.Errorf("open %q: %s", name, errText(e))
		}
		b, _ := res.OK()
		err := exercise(b, name, fmt.Sprintf("wasikv-%d/", i))
		b.Drop()
		if err != nil {
			return err
		}
	}
	return nil
}

func exercise(b kv.Bucket, name, prefix string) error {
	want := map[string][]byte{}
	for j := range keysPerBucket {
		k := fmt.Sprintf("%s%03d", prefix, j)
		v := fmt.Appendf(nil, "%s value %d\x00", name, j)
		if e, bad := b.Set(k, v).Err(); bad {
			return fmt.Errorf("%s: set %q: %s", name, k, errText(e))
		}
		want[k] = v
	}
	// Page through list-keys.
	var mine []string
	cursor := wittypes.None[uint64]()
	for pages := 0; ; pages++ {
		if pages > 1000 {
			return fmt.Errorf("%s: list-keys does not end", name)
		}
		res := b.ListKeys(cursor)
		if e, bad := res.Err(); bad {
			return fmt.Errorf("%s: list-keys: %s", name, errText(e))
		}
		kr, _ := res.OK()
		for _, k := range kr.Keys {
			if strings.HasPrefix(k, prefix) {
				mine = append(mine, k)
			} else if strings.HasPrefix(k, "wasikv-") {
				return fmt.Errorf("%s: sees key %q of another bucket", name, k)
			}
		}
		if kr.Cursor.IsNone() {
			break
		}
		cursor = kr.Cursor
	}
	if len(mine) != keysPerBucket || !slices.IsSorted(mine) {
		return fmt.Errorf("%s: list-keys gave %d of our keys (sorted %v), want %d", name, len(mine), slices.IsSorted(mine), keysPerBucket)
	}
	for k, v := range want {
		ex := b.Exists(k)
		if ok, _ := ex.OK(); !ok {
			return fmt.Errorf("%s: exists %q = %v", name, k, ex)
		}
		g := b.Get(k)
		got, ok := g.OK()
		if !ok || !bytes.Equal(got.Value(), v) || got.IsNone() {
			return fmt.Errorf("%s: get %q = %v, want some(%q)", name, k, g, v)
		}
		if e, bad := b.Delete(k).Err(); bad {
			return fmt.Errorf("%s: delete %q: %s", name, k, errText(e))
		}
		if g := b.Get(k); !g.IsOK() || func() bool { o, _ := g.OK(); return o.IsSome() }() {
			return fmt.Errorf("%s: get %q after delete = %v, want ok(none)", name, k, g)
		}
	}
	if e, bad := b.Delete(prefix + "missing").Err(); bad {
		return fmt.Errorf("%s: delete of a missing key: %s", name, errText(e))
	}
	if e, bad := b.Set("../../etc/passwd", []byte("x")).Err(); !bad || !strings.HasPrefix(errText(e), "other(invalid-key") {
		return fmt.Errorf("%s: set of a hostile key: %v, want other(invalid-key: …)", name, e)
	}
	return nil
}
