//go:build wasip1

// Command keyvalue-demo is the demo's key-value guest, in standard Go
// against the generated guest bindings (./bindings). Its run export opens
// the containers "my-container" and "scratch", sets keys in both, lists
// them, reads them back, deletes them and verifies every step, including
// that the two containers do not see each other's keys and that a
// container outside the config is refused. Any mismatch makes run return
// err(message), and the runner exits non-zero. Build it with
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o keyvalue-demo.wasm ./demo/guests/keyvalue-demo
package main

import (
	"bytes"
	"fmt"
	"slices"

	kv "github.com/wasmhost/wit-bindgen-go-host/demo/guests/keyvalue-demo/bindings"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wittypes"
)

func main() {}

func init() { kv.SetExports(kv.Exports{KeyvalueDemo: demo{}}) }

// Containers is what the guest opens; the runner's config must list both.
var containers = []string{"my-container", "scratch"}

type demo struct{}

// Run runs the demo and reports the first mismatch.
func (demo) Run() wittypes.Result[struct{}, string] {
	if err := run(); err != nil {
		return wittypes.Err[struct{}](err.Error())
	}
	fmt.Println("keyvalue-demo: ok")
	return wittypes.OK[struct{}, string](struct{}{})
}

func errText(e kv.KeyvalueError) string { return fmt.Sprintf("%T%+v", e, e) }

func run() error {
	var stores []kv.Store
	defer func() {
		for _, s := range stores {
			s.Drop()
		}
	}()
	for _, name := range containers {
		res := kv.Keyvalue.StoreOpen(name)
		if e, bad := res.Err(); bad {
			return fmt.Errorf("open %q: %s", name, errText(e))
		}
		s, _ := res.OK()
		stores = append(stores, s)
	}
	if res := kv.Keyvalue.StoreOpen("not-in-config"); res.IsOK() {
		return fmt.Errorf("open of a container outside the config succeeded")
	} else if e, _ := res.Err(); !is[kv.KeyvalueErrorAccessDenied](e) {
		return fmt.Errorf("open of a container outside the config: %s, want access-denied", errText(e))
	}
	for i, s := range stores {
		prefix := fmt.Sprintf("kvdemo-%d/", i)
		want := map[string][]byte{}
		for j := range 5 {
			k := fmt.Sprintf("%skey-%d", prefix, j)
			v := fmt.Appendf(nil, "value %d of %s\x00\xff", j, containers[i])
			if e, bad := s.Set(k, v).Err(); bad {
				return fmt.Errorf("%s: set %q: %s", containers[i], k, errText(e))
			}
			want[k] = v
		}
		kres := s.Keys()
		if e, bad := kres.Err(); bad {
			return fmt.Errorf("%s: keys: %s", containers[i], errText(e))
		}
		keys, _ := kres.OK()
		var mine []string
		for _, k := range keys {
			if len(k) >= len(prefix) && k[:len(prefix)] == prefix {
				mine = append(mine, k)
			} else if len(k) > 7 && k[:7] == "kvdemo-" {
				return fmt.Errorf("%s: sees key %q of another container", containers[i], k)
			}
		}
		if len(mine) != len(want) || !slices.IsSorted(keys) {
			return fmt.Errorf("%s: keys %q, want the %d keys set, sorted", containers[i], keys, len(want))
		}
		for k, v := range want {
			g := s.Get(k)
			got, ok := g.OK()
			if !ok || !bytes.Equal(got, v) {
				e, _ := g.Err()
				return fmt.Errorf("%s: get %q = %q (%v), want %q", containers[i], k, got, e, v)
			}
			if e, bad := s.Delete(k).Err(); bad {
				return fmt.Errorf("%s: delete %q: %s", containers[i], k, errText(e))
			}
			if e, bad := s.Get(k).Err(); !bad || !is[kv.KeyvalueErrorKeyNotFound](e) {
				return fmt.Errorf("%s: get %q after delete: %v, want key-not-found", containers[i], k, e)
			}
		}
		if e, bad := s.Delete(prefix + "missing").Err(); bad {
			return fmt.Errorf("%s: delete of a missing key: %s", containers[i], errText(e))
		}
		if e, bad := s.Set("../../etc/passwd", []byte("x")).Err(); !bad || !is[kv.KeyvalueErrorInvalidKey](e) {
			return fmt.Errorf("%s: set of a hostile key: %v, want invalid-key", containers[i], e)
		}
	}
	return nil
}

func is[T kv.KeyvalueError](e kv.KeyvalueError) bool {
	_, ok := e.(T)
	return ok
}
