package componentoracle

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestWasmtimeHostBorrowToAnyAborts pins the wasmtime v39 C API bug that
// Resource.toAny works around: turning a host-defined borrow handle into a
// wasmtime_component_resource_any_t (wasmtime_component_resource_host_new
// with owned = false, then wasmtime_component_resource_host_to_any) outside
// a host call panics in resources.rs ("called Option::unwrap() on a None
// value": there is no call scope to record the borrow in), and a panic
// cannot unwind through the C API, so the process aborts. The component
// model lets a host lend a borrow to a guest call (CanonicalABI.md
// lower_borrow), and the C API has no other way to build one, so this is a
// wasmtime bug, not a misuse. The oracle lends an own handle instead and
// takes it back after the call. The probe runs in a child process; when it
// stops aborting, the workaround can go.
func TestWasmtimeHostBorrowToAnyAborts(t *testing.T) {
	if os.Getenv("COMPONENTORACLE_PROBE") == "host-borrow" {
		f := newFixture(t)
		err := f.inst.hostBorrowToAny(1, 1)
		println("PROBE RETURNED:", errString(err))
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestWasmtimeHostBorrowToAnyAborts$", "-test.v")
	cmd.Env = append(os.Environ(), "COMPONENTORACLE_PROBE=host-borrow")
	out, err := cmd.CombinedOutput()
	switch {
	case strings.Contains(string(out), "PROBE RETURNED"):
		t.Errorf("wasmtime no longer aborts on a host borrow outside a call (%s): remove the lending workaround in Resource.toAny and this test", strings.TrimSpace(string(out)))
	case err != nil && strings.Contains(string(out), "resources.rs"):
		for _, l := range strings.Split(string(out), "\n") {
			if strings.Contains(l, "panicked at") || strings.Contains(l, "unwrap") {
				t.Logf("still aborts: %s", strings.TrimSpace(l))
			}
		}
	default:
		t.Fatalf("probe: %v\n%s", err, out)
	}
}

func errString(err error) string {
	if err == nil {
		return "ok"
	}
	return err.Error()
}
