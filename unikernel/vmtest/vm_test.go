package vmtest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/wasmhost/wit-bindgen-go-host/unikernel/vm"
)

const (
	bootTimeout     = 120 * time.Second // software emulation on a busy machine
	poweroffTimeout = 30 * time.Second
)

// memory is the VM's RAM: UNIKERNEL_MEM, default 128M, the image's
// target. The interpreted 1.97 MB demo guest leaves about 46 MB of Go heap
// for its compiled code and first instance; /init then runs a pool of one
// instance (see README.md, "Memory").
func memory() string {
	if m := os.Getenv("UNIKERNEL_MEM"); m != "" {
		return m
	}
	return "128M"
}

func imageDir(t *testing.T) string {
	if os.Getenv("UNIKERNEL_VMTEST") != "1" {
		t.Skip("set UNIKERNEL_VMTEST=1 (make unikernel-test) to boot the VM")
	}
	dir := os.Getenv("UNIKERNEL_DIR")
	if dir == "" {
		dir = "../../build/unikernel"
	}
	if _, err := os.Stat(filepath.Join(dir, "vmlinuz")); err != nil {
		t.Fatalf("%v: run make unikernel first", err)
	}
	if _, err := vm.Initramfs(dir); err != nil {
		t.Fatalf("%v: run make unikernel first", err)
	}
	return dir
}

// boot starts a VM and registers cleanup that kills that QEMU (by PID) if
// the test did not power it off, and prints the console on failure.
func boot(t *testing.T, o vm.Options) *vm.VM {
	t.Helper()
	v, err := vm.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("qemu pid %d on 127.0.0.1:%d: qemu-system-x86_64 %q", v.PID(), v.Port, v.Args)
	t.Cleanup(func() {
		v.Kill()
		if t.Failed() {
			t.Logf("guest console:\n%s", v.Console())
		}
	})
	d, err := v.WaitHTTP(context.Background(), "/hello", bootTimeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first 200 after %.2f s", d.Seconds())
	return v
}

func powerOff(t *testing.T, v *vm.VM) {
	t.Helper()
	start := time.Now()
	if err := v.PowerOff(poweroffTimeout); err != nil {
		t.Fatal(err)
	}
	t.Logf("qemu exited %.2f s after POST /poweroff (%v)", time.Since(start).Seconds(), v.ExitErr())
}

func TestVM(t *testing.T) {
	dir := imageDir(t)
	v := boot(t, vm.Options{Dir: dir, Memory: memory(), Machine: os.Getenv("UNIKERNEL_MACHINE")})
	c := &Client{T: t, Base: v.URL("")}
	st := SystemChecks(t, c.Base)
	t.Logf("after boot: /init RSS %d kB (peak %d kB), MemAvailable %d kB; timeline %s", st.RSSKB, st.RSSPeakKB, st.MemAvailKB, st.Timeline)
	Scenario(t, c.Base, 2000, 32)
	st = SystemChecks(t, c.Base)
	t.Logf("after the scenario: /init RSS %d kB (peak %d kB), MemAvailable %d kB; app %s", st.RSSKB, st.RSSPeakKB, st.MemAvailKB, st.App)
	powerOff(t, v)
}

// TestVMFilesystemKV boots twice on one ext4 disk with uk.kv=fs: a value
// written in the first boot must be read back in the second.
func TestVMFilesystemKV(t *testing.T) {
	dir := imageDir(t)
	if os.Getenv("UNIKERNEL_VMTEST_FS") != "1" {
		t.Skip("set UNIKERNEL_VMTEST_FS=1 to test the fs key-value backend (two more boots)")
	}
	disk := filepath.Join(t.TempDir(), "kv.img")
	if err := os.WriteFile(disk, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(disk, 32<<20); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mkfs.ext4", "-q", "-F", disk).CombinedOutput(); err != nil {
		t.Skipf("mkfs.ext4: %v %s", err, out)
	}
	o := vm.Options{Dir: dir, Memory: memory(), Machine: os.Getenv("UNIKERNEL_MACHINE"), Disk: disk, Append: []string{"uk.kv=fs"}}
	v := boot(t, o)
	c := &Client{T: t, Base: v.URL("")}
	c.Do("GET", "/get", "", 404, "Key not found")
	c.Do("PUT", "/set", "survives a reboot", 204, "")
	powerOff(t, v)
	v = boot(t, o)
	c = &Client{T: t, Base: v.URL("")}
	c.Do("GET", "/get", "", 200, "survives a reboot")
	powerOff(t, v)
}
