// Package vm starts the unikernel image under qemu-system-x86_64 and talks
// to it over HTTP on a loopback port. It is shared by the VM test
// (unikernel/vmtest), the benchmark and the run command (unikernel/cmd/ukvm).
//
// Networking is QEMU user mode with restrict=on (the guest cannot open
// connections out) and a single hostfwd bound to 127.0.0.1. A VM is only
// ever stopped through its own process: POST /poweroff, or, failing that,
// a kill of the QEMU PID this package started.
package vm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// KernelArgs start every kernel command line.
//   - panic=-1: a kernel panic reboots at once, which -no-reboot turns
//     into a QEMU exit instead of a hung VM.
//   - no_timer_check: skip the IO-APIC timer sanity check. Under software
//     emulation on a loaded host the check can miss its window and panic
//     ("IO-APIC + timer doesn't work!"); KVM guests skip it by default.
//   - cryptomgr.notests: skip the crypto self-tests run at algorithm
//     registration, about 0.5 s of emulated CPU; the algorithms are the same.
//   - initcall_blacklist=...: initcalls that cost emulated CPU for
//     features the image never uses, measured with initcall_debug:
//     crypto_kdf108_init (the SP800-108 KDF self-test runs whatever
//     cryptomgr.notests says, 0.2 s), platform_keyring_init (firmware key
//     ring for kexec, 0.28 s), init_kprobe_trace (kprobe trace events,
//     0.24 s), userfaultfd_init (0.13 s), tracer_init_tracefs (creates
//     tracefs's files for every trace event: about 10,000 inodes and
//     dentries, 9 MB of unreclaimable slab, which -m 128M cannot spare),
//     and the BPF kfunc registrations (cubictcp_register,
//     bpf_rstat_kfunc_init, kfunc_init, bpf_prog_test_run_init,
//     bpf_key_sig_kfuncs_init, bpf_tcp_ca_kfunc_init): the first of them
//     parses the kernel's whole BTF, 55-75 ms under TCG, for BPF programs
//     the image never loads. Without cubic, TCP uses reno.
//   - ipv6.disable=1: inet6_init was the most expensive initcall (0.76 s
//     under load); QEMU's user network forwards IPv4 only, and Go's
//     listener falls back to an IPv4 socket.
var KernelArgs = []string{"console=ttyS0", "quiet", "panic=-1", "no_timer_check", "cryptomgr.notests",
	"initcall_blacklist=crypto_kdf108_init,platform_keyring_init,init_kprobe_trace,userfaultfd_init,tracer_init_tracefs," +
		"cubictcp_register,bpf_rstat_kfunc_init,kfunc_init,bpf_prog_test_run_init,bpf_key_sig_kfuncs_init,bpf_tcp_ca_kfunc_init",
	"ipv6.disable=1"}

// MicrovmArgs are the kernel arguments added for -M microvm: /init loads
// the MMIO transport instead of PCI, and tsc_early_khz (the host's TSC
// rate, which TCG passes through) spares the kernel a TSC calibration that
// microvm's timers make slow and, without the hint, sometimes hang.
func MicrovmArgs() []string {
	a := []string{"uk.modules=virtio_mmio,virtio_net", "pci=off"}
	if khz := hostTSCkHz(); khz > 0 {
		a = append(a, fmt.Sprintf("tsc_early_khz=%d", khz))
	}
	return a
}

// hostTSCkHz reads the first "cpu MHz" of /proc/cpuinfo.
func hostTSCkHz() int {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.TrimSpace(k) == "cpu MHz" {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err == nil {
				return int(f * 1000)
			}
		}
	}
	return 0
}

// Options describe one VM.
type Options struct {
	Dir    string // directory holding the kernel and the initramfs (default build/unikernel)
	Kernel string // default Dir/vmlinux (PVH entry) when present, else Dir/vmlinuz
	QEMU   string // default qemu-system-x86_64 from PATH
	// Machine is "microvm" (default: QEMU's minimal machine, no PCI and
	// no SeaBIOS; virtio over MMIO, described to the kernel by ACPI, so
	// /init loads virtio_mmio instead of virtio_pci; needs the PVH kernel,
	// vmlinux) or "pc" (i440FX, SeaBIOS, virtio over PCI).
	Machine  string
	Memory   string   // -m, default 128M
	CPU      string   // -cpu; "" is QEMU's default (qemu64). Compiler engine: "max".
	Append   []string // extra kernel command-line words, e.g. "uk.kv=fs"
	HostPort int      // 127.0.0.1 port forwarded to guest port 80; 0 picks a free one
	Disk     string   // raw disk image attached as virtio-blk (/dev/vda)
	Console  io.Writer
	// Interactive connects the serial console to this process's stdio
	// with signal=off, so Ctrl-C reaches the guest (/init powers off).
	Interactive bool
}

// VM is a running QEMU.
type VM struct {
	Port    int
	Started time.Time
	Args    []string
	cmd     *exec.Cmd
	console *buffer
	done    chan struct{}
	waitErr error

	interactive bool
	marksMu     sync.Mutex
	marks       []Mark
}

// buffer is a goroutine-safe console capture. When onLine is set it is
// called with each complete line as it arrives.
type buffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	tee     io.Writer
	partial []byte
	onLine  func(string)
}

func (b *buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tee != nil {
		b.tee.Write(p)
	}
	if b.onLine != nil {
		b.partial = append(b.partial, p...)
		for {
			i := bytes.IndexByte(b.partial, '\n')
			if i < 0 {
				break
			}
			b.onLine(string(bytes.TrimRight(b.partial[:i], "\r")))
			b.partial = b.partial[i+1:]
		}
	}
	return b.b.Write(p)
}

// Mark is a console line of /init ("uk: ...") with QEMU's CPU time and the
// wall time since QEMU started when it arrived: a boot profile in QEMU CPU
// seconds, which a loaded host distorts far less than wall time.
type Mark struct {
	Line string  `json:"line"`
	CPU  float64 `json:"qemu_cpu_s"`
	Wall float64 `json:"wall_s"`
}

// Marks returns the /init console lines seen so far, with their times.
func (v *VM) Marks() []Mark {
	v.marksMu.Lock()
	defer v.marksMu.Unlock()
	return append([]Mark(nil), v.marks...)
}

func (v *VM) onLine(line string) {
	i := strings.Index(line, "uk: ")
	if i < 0 || v.cmd == nil || v.cmd.Process == nil {
		return
	}
	cpu, _ := v.CPUTime()
	m := Mark{Line: line[i:], CPU: cpu.Seconds(), Wall: time.Since(v.Started).Seconds()}
	v.marksMu.Lock()
	v.marks = append(v.marks, m)
	v.marksMu.Unlock()
}

func (b *buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// FreePort returns a currently unused TCP port on 127.0.0.1.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// KVM reports whether hardware acceleration is available.
func KVM() bool {
	f, err := os.OpenFile("/dev/kvm", os.O_RDWR, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// Args returns the QEMU command line (without the program name).
func Args(o Options) []string {
	dir := o.Dir
	if dir == "" {
		dir = "build/unikernel"
	}
	mem := o.Memory
	if mem == "" {
		mem = "128M"
	}
	microvm := o.Machine == "" || o.Machine == "microvm"
	kargs := append([]string(nil), KernelArgs...)
	if microvm {
		kargs = append(kargs, MicrovmArgs()...)
	}
	kargs = append(kargs, o.Append...)
	kern := o.Kernel
	if kern == "" {
		kern = filepath.Join(dir, "vmlinux")
		if _, err := os.Stat(kern); err != nil {
			kern = filepath.Join(dir, "vmlinuz")
		}
	}
	initrd, err := Initramfs(dir)
	if err != nil {
		// start reports the missing file; Args alone names the default.
		initrd = filepath.Join(dir, InitramfsNames[0])
	}
	machine, netdev := "pc", "virtio-net-pci,netdev=n0,romfile="
	if microvm {
		machine, netdev = "microvm", "virtio-net-device,netdev=n0"
	}
	a := []string{
		"-M", machine, "-m", mem, "-nographic", "-no-reboot",
		"-kernel", kern,
		"-initrd", initrd,
		"-append", strings.Join(kargs, " "),
		"-netdev", fmt.Sprintf("user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:%d-:80", o.HostPort),
		"-device", netdev,
	}
	if o.CPU != "" {
		a = append(a, "-cpu", o.CPU)
	}
	if KVM() {
		a = append(a, "-accel", "kvm")
	}
	if o.Disk != "" {
		if microvm {
			a = append(a, "-drive", "id=d0,file="+o.Disk+",if=none,format=raw", "-device", "virtio-blk-device,drive=d0")
		} else {
			a = append(a, "-drive", "file="+o.Disk+",if=virtio,format=raw")
		}
	}
	if o.Interactive {
		// -nographic would put the monitor and serial on stdio with
		// signal=on (Ctrl-C kills QEMU); multiplex them explicitly with
		// signal=off so Ctrl-C reaches /init, which powers off cleanly.
		// Ctrl-A X still quits QEMU directly.
		a = append(a, "-chardev", "stdio,id=con0,mux=on,signal=off",
			"-serial", "chardev:con0", "-mon", "chardev=con0,mode=readline")
	}
	return a
}

// Start boots a VM. With HostPort 0 it picks a free port and retries
// (a few times) when QEMU cannot bind it because another process took it.
func Start(o Options) (*VM, error) {
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		opts := o
		if opts.HostPort == 0 {
			p, err := FreePort()
			if err != nil {
				return nil, err
			}
			opts.HostPort = p
		}
		v, err := start(opts)
		if err == nil {
			return v, nil
		}
		lastErr = err
		if o.HostPort != 0 || !strings.Contains(err.Error(), "host forwarding") {
			break
		}
	}
	return nil, lastErr
}

func start(o Options) (*VM, error) {
	qemu := o.QEMU
	if qemu == "" {
		p, err := exec.LookPath("qemu-system-x86_64")
		if err != nil {
			return nil, errors.New("qemu-system-x86_64 not found: apt-get install --no-install-recommends qemu-system-x86 (make unikernel-qemu)")
		}
		qemu = p
	}
	dir := o.Dir
	if dir == "" {
		dir = "build/unikernel"
	}
	if _, err := os.Stat(filepath.Join(dir, "vmlinuz")); err != nil {
		return nil, fmt.Errorf("%v (run make unikernel)", err)
	}
	if _, err := Initramfs(dir); err != nil {
		return nil, fmt.Errorf("%v (run make unikernel)", err)
	}
	v := &VM{Port: o.HostPort, Args: Args(o), console: &buffer{tee: o.Console}, done: make(chan struct{}), interactive: o.Interactive}
	v.console.onLine = v.onLine
	v.cmd = exec.Command(qemu, v.Args...)
	if o.Interactive {
		v.cmd.Stdin, v.cmd.Stdout, v.cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	} else {
		// Own process group: a Ctrl-C aimed at the caller does not kill
		// QEMU behind its back; the caller powers the VM off instead.
		v.cmd.Stdout, v.cmd.Stderr = v.console, v.console
		v.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	}
	v.Started = time.Now()
	if err := v.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		v.waitErr = v.cmd.Wait()
		close(v.done)
	}()
	// QEMU fails fast when the hostfwd port is taken.
	select {
	case <-v.done:
		return nil, fmt.Errorf("qemu exited at once (%v): %s", v.waitErr, v.console.String())
	case <-time.After(150 * time.Millisecond):
	}
	return v, nil
}

// PID is QEMU's process id.
func (v *VM) PID() int { return v.cmd.Process.Pid }

// URL returns the forwarded URL of a path.
func (v *VM) URL(path string) string { return "http://127.0.0.1:" + strconv.Itoa(v.Port) + path }

// Console returns the serial console output so far (non-interactive VMs).
func (v *VM) Console() string { return v.console.String() }

// Done is closed when QEMU has exited.
func (v *VM) Done() <-chan struct{} { return v.done }

// ExitErr is QEMU's exit status once Done is closed.
func (v *VM) ExitErr() error { <-v.done; return v.waitErr }

// NetworkUpLine is what /init prints on the console once eth0 is up.
const NetworkUpLine = "uk: network up"

// WaitHTTP polls GET path until it answers 200 and returns the time since
// QEMU was started.
//
// A connection made before the guest's eth0 is up does not fail: QEMU's
// user-mode network accepts it on the host side, queues or drops the SYN
// it forwards, and retransmits seconds later. Such an attempt either
// measures slirp's timers or, abandoned, still reaches the App later as a
// request from a client that is gone (and makes the pool start another
// guest instance). So, when the console is captured, WaitHTTP sends
// nothing until /init has printed NetworkUpLine, then sends one request at
// a time and waits for it: the guest's kernel holds the connection until
// the App accepts it. Without a captured console it polls with 2 s
// attempts.
func (v *VM) WaitHTTP(ctx context.Context, path string, timeout time.Duration) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tr := &http.Transport{DisableKeepAlives: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 2 * time.Second}
	if !v.interactive {
		client.Timeout = 0 // ctx bounds it
		for !strings.Contains(v.console.String(), NetworkUpLine) {
			select {
			case <-v.done:
				return 0, fmt.Errorf("qemu exited (%v) before the guest's network came up", v.waitErr)
			case <-ctx.Done():
				return 0, fmt.Errorf("the guest's network did not come up within %v", timeout)
			case <-time.After(5 * time.Millisecond):
			}
		}
	}
	var last error
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, v.URL(path), nil)
		resp, err := client.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(v.Started), nil
			}
			err = fmt.Errorf("GET %s: %s", path, resp.Status)
		}
		last = err
		select {
		case <-v.done:
			return 0, fmt.Errorf("qemu exited (%v) before GET %s answered 200", v.waitErr, path)
		case <-ctx.Done():
			return 0, fmt.Errorf("no 200 from GET %s within %v: %v", path, timeout, last)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// PowerOff asks the guest to power off and waits for QEMU to exit. If the
// request fails or QEMU is still running after timeout, it kills QEMU by
// PID and returns an error.
func (v *VM) PowerOff(timeout time.Duration) error {
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Post(v.URL("/poweroff"), "text/plain", nil)
	if err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("POST /poweroff: %s", resp.Status)
		}
	}
	if werr := v.Wait(timeout); werr != nil {
		return errors.Join(err, werr)
	}
	return err
}

// Wait waits up to timeout for QEMU to exit, then kills it.
func (v *VM) Wait(timeout time.Duration) error {
	select {
	case <-v.done:
		return nil
	case <-time.After(timeout):
		v.Kill()
		return fmt.Errorf("qemu (pid %d) still running %v after power-off; killed", v.PID(), timeout)
	}
}

// Kill kills the QEMU process this VM started (by PID) and waits for it.
func (v *VM) Kill() {
	select {
	case <-v.done:
		return
	default:
	}
	v.cmd.Process.Kill()
	<-v.done
}

// CPUTime returns the user+system CPU time QEMU has used so far, from
// /proc/PID/stat. On a busy host it is a steadier measure of boot cost than
// wall time: a TCG vCPU that gets a full core needs about this long.
func (v *VM) CPUTime() (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", v.PID()))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) is parenthesised and may contain spaces.
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, errors.New("vm: malformed /proc/PID/stat")
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0, errors.New("vm: short /proc/PID/stat")
	}
	// Fields 14 and 15 (utime, stime) are at 11 and 12 after the name.
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	const hz = 100 // USER_HZ on Linux
	return time.Duration(ut+st) * time.Second / hz, nil
}

// InitramfsNames are the file names mkimage gives the initramfs, by
// compression: gzip (the default, initramfs.cpio.gz), LZ4 (mkimage
// -compress lz4) and none. mkimage leaves exactly one of them in its
// output directory.
var InitramfsNames = []string{"initramfs.cpio.gz", "initramfs.cpio.lz4", "initramfs.cpio"}

// Initramfs returns the path of the initramfs in dir: the first of
// InitramfsNames that exists.
func Initramfs(dir string) (string, error) {
	for _, n := range InitramfsNames {
		p := filepath.Join(dir, n)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no initramfs (%s) in %s", strings.Join(InitramfsNames, ", "), dir)
}
