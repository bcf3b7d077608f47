package guestkitchensink_test

import (
	"context"
	"testing"
)

// TestGuestMemoryBounded checks that the Go guest's garbage collector keeps
// up, so its linear memory stops growing: 300,000 guest-to-host calls with
// a 1 KiB string inside one long export, then 50,000 host-to-guest calls
// of echo-string with 1 KiB (about 650 MiB allocated in total). Without
// the bindings' periodic runtime.Gosched, a GC cycle started inside such a
// stream never finishes and memory grows by ~1 KiB per call.
func TestGuestMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	ctx := context.Background()
	in, _ := instantiate(t, ctx, engines[0], goGuest(t))
	f := in.Instance().Function("kitchen-sink-bench-import")
	for i := 0; i < 3; i++ {
		st := []uint64{100000}
		if err := f.Call(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	afterImports := in.Instance().Memory().Size()
	g := in.Guest()
	for i := 0; i < 50000; i++ {
		if _, err := g.EchoString(ctx, kib); err != nil {
			t.Fatal(err)
		}
	}
	afterExports := in.Instance().Memory().Size()
	t.Logf("guest memory: %d MiB after 300,000 imports, %d MiB after 50,000 more exports", afterImports>>20, afterExports>>20)
	if afterExports > 64<<20 {
		t.Errorf("guest memory grew to %d MiB", afterExports>>20)
	}
}
