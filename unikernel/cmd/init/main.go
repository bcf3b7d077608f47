//go:build linux

// Command init is PID 1 of the unikernel image: the only process in the VM.
//
// It mounts proc, sysfs, devtmpfs and a tmpfs, loads the kernel modules the
// configuration names (ordered by their .modinfo dependencies), brings up
// lo and eth0 with ioctls, mounts the key-value disk when the fs backend is
// selected, and runs the App (unikernel/app) on a TCP listener. It never
// exits: POST /poweroff, Ctrl-C on the serial console, SIGTERM/SIGINT/
// SIGPWR, or an App failure sync the disks and call
// reboot(LINUX_REBOOT_CMD_POWER_OFF); under QEMU with -no-reboot that ends
// the QEMU process.
//
// Run as an ordinary process (PID != 1) it skips the machine setup and
// serves on -listen, which is how the App is tried on a workstation:
//
//	go run ./unikernel/cmd/init -listen 127.0.0.1:8080 -guest build/unikernel/guest.wasm
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/wasmhost/wit-bindgen-go-host/unikernel/app"
	"github.com/wasmhost/wit-bindgen-go-host/unikernel/kmod"
)

// system is the machine /init manages.
type system struct {
	pid1     bool
	start    time.Time
	cfg      Config
	timeline []event // boot milestones, for /debug/stats
	modules  []string
	app      app.App

	mu       sync.Mutex
	stopping bool
	cancel   context.CancelFunc
	appDone  chan struct{}

	gcDeferred bool // GC off until the first accepted connection
}

type event struct {
	Name string `json:"name"`
	// MS is milliseconds since /init started; KernelS the kernel uptime
	// (from /proc/uptime, PID 1 only), which includes firmware-to-init.
	MS      float64 `json:"ms"`
	KernelS float64 `json:"kernel_s,omitempty"`
}

func main() {
	s := &system{pid1: os.Getpid() == 1, start: time.Now(), appDone: make(chan struct{})}
	listen := flag.String("listen", "127.0.0.1:8080", "address to serve on when not PID 1")
	cfgPath := flag.String("config", ConfigPath, "configuration file")
	guest := flag.String("guest", "", "guest file (overrides the configuration)")
	cmdline := flag.String("cmdline", "", "kernel command-line words to apply when not PID 1")
	if !s.pid1 {
		flag.Parse()
	}
	s.mark("init")
	if s.pid1 {
		if err := mountEarly(); err != nil {
			s.fatal(err)
		}
		data, _ := os.ReadFile("/proc/cmdline")
		*cmdline = string(data)
	}
	cfg, err := LoadConfig(*cfgPath, *cmdline)
	if err != nil {
		s.fatal(err)
	}
	if *guest != "" {
		cfg.Guest = *guest
	}
	if !s.pid1 {
		cfg.Listen = *listen
		if cfg.KV.Backend == "fs" {
			cfg.KV.Dir = filepath.Join(os.TempDir(), "unikernel-kv")
		}
	}
	s.cfg = cfg
	s.logf("config: engine=%s kv=%s guest=%s listen=%s", cfg.Engine, cfg.KV.Backend, cfg.Guest, cfg.Listen)

	if s.pid1 && os.Getenv("GOMEMLIMIT") == "" {
		// There is no swap and nothing else to run: let the Go GC work
		// harder before the kernel's OOM killer takes PID 1 (and the VM).
		if avail := procKB("/proc/meminfo", "MemAvailable")["MemAvailable"]; avail > 0 {
			limit := memoryLimit(avail)
			debug.SetMemoryLimit(limit)
			s.logf("Go memory limit %d MB (MemAvailable %d MB)", limit>>20, avail>>10)
			if n := poolSize(avail); n > 0 && (s.cfg.Instances == 0 || s.cfg.Instances > n) {
				s.logf("guest pool: %d instance(s) fit in MemAvailable (uk.instances=%d asked)", n, s.cfg.Instances)
				s.cfg.Instances = n
			}
			if os.Getenv("GOGC") == "" && !s.cfg.KeepGC {
				// Compiling a guest allocates tens of MB that almost all
				// stay live (wazero's interpreter code); with GOGC=100 the
				// GC re-marks that growing heap about five times, which
				// was 60-75% of the compile time. Until the first
				// connection is accepted (the App has compiled and is
				// serving), only the memory limit triggers a GC.
				debug.SetGCPercent(-1)
				s.gcDeferred = true
			}
		}
	}
	if cfg.Engine == "compiler" && !cpuHasFlags("popcnt", "sse4_1") {
		s.logf("engine=compiler needs a CPU with popcnt and sse4_1 (run QEMU with -cpu max); using the interpreter")
		s.cfg.Engine = "interpreter"
	}
	s.watchSignals()

	// The machine setup (module loading, waiting for eth0) and the App's
	// start (reading, compiling and instantiating the guest) are
	// independent, so they overlap: the listener is bound to the wildcard
	// address before any interface is up, and the App starts at once.
	// The fs backend needs its disk mounted first, so it keeps the
	// sequential order.
	concurrent := s.pid1 && s.cfg.KV.Backend != "fs" && !s.cfg.Sequential
	var setupDone chan struct{}
	if s.pid1 && !concurrent {
		if err := s.setupMachine(); err != nil {
			s.fatal(err)
		}
	}
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		s.fatal(err)
	}
	s.mark("listen")
	if concurrent {
		setupDone = make(chan struct{})
		go func() {
			if err := s.setupMachine(); err != nil {
				s.fatal(err)
			}
			close(setupDone)
		}()
	}
	s.logf("serving on %s (%.0f ms after /init started)", ln.Addr(), ms(time.Since(s.start)))
	ctx, cancel := context.WithCancel(context.Background())
	s.mu.Lock()
	s.cancel = cancel
	s.mu.Unlock()
	s.app = newApp()
	err = s.app.Serve(ctx, &firstAccept{Listener: ln, fn: s.firstAccept}, app.Config{
		GuestPath:     s.cfg.Guest,
		Engine:        s.cfg.Engine,
		KV:            app.KVConfig{Backend: s.cfg.KV.Backend, Dir: s.cfg.KV.Dir},
		System:        s.handler(),
		Logf:          s.logf,
		ConfigFile:    s.cfg.AppConfig,
		Instances:     s.cfg.Instances,
		DropGuestFile: s.pid1,
	})
	close(s.appDone)
	if err != nil {
		s.logf("app: %v", err)
	}
	s.stop("app exited")
	select {} // stop is already powering off from another goroutine
}

// setupMachine is everything PID 1 does before the App starts.
func (s *system) setupMachine() error {
	mods := append([]string(nil), s.cfg.Modules...)
	if s.cfg.KV.Backend == "fs" {
		mods = append(mods, "virtio_blk")
	}
	idx, err := kmod.Scan(s.cfg.ModuleDir)
	if err != nil {
		return err
	}
	order, err := idx.Order(mods, nil)
	if err != nil {
		return err
	}
	for _, m := range order {
		t0 := time.Now()
		if err := kmod.Load(m.Path); err != nil {
			return err
		}
		s.mu.Lock()
		s.modules = append(s.modules, m.Name)
		s.mu.Unlock()
		s.debugf("loaded %s in %.1f ms", m.Name, ms(time.Since(t0)))
	}
	s.mark("modules")
	s.logf("modules: %s", strings.Join(s.modules, " "))
	if s.pid1 {
		// The root filesystem is RAM and nothing loads a module later:
		// give the .ko files' 0.5 MB back (it counts at -m 128M).
		for _, m := range idx {
			os.Remove(m.Path)
		}
	}
	if err := configureNetwork(s.cfg.Iface, s.cfg.Addr, 5*time.Second); err != nil {
		return err
	}
	s.mark("network")
	s.logf("network up: %s %s", s.cfg.Iface, s.cfg.Addr) // vm.NetworkUpLine
	if s.cfg.KV.Backend == "fs" {
		if err := mountDisk(s.cfg.KV.Device, s.cfg.KV.Mount, s.cfg.KV.FSType, 5*time.Second); err != nil {
			return err
		}
		s.mark("disk")
		s.logf("kv: %s (%s) mounted on %s", s.cfg.KV.Device, s.cfg.KV.FSType, s.cfg.KV.Mount)
	}
	s.watchConsole()
	return nil
}

// firstAccept runs fn once, when the first connection is accepted.
type firstAccept struct {
	net.Listener
	once sync.Once
	fn   func()
}

func (l *firstAccept) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.once.Do(l.fn)
	}
	return c, err
}

// firstAccept marks the App as serving and turns the GC back on.
func (s *system) firstAccept() {
	s.mark("first-accept")
	if s.gcDeferred {
		debug.SetGCPercent(100)
	}
}

func (s *system) mark(name string) {
	e := event{Name: name, MS: ms(time.Since(s.start))}
	if s.pid1 {
		e.KernelS = kernelUptime()
	}
	s.mu.Lock()
	s.timeline = append(s.timeline, e)
	s.mu.Unlock()
}

func (s *system) logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "uk: "+format+"\n", args...)
}

func (s *system) debugf(format string, args ...any) {
	if s.cfg.Debug {
		s.logf(format, args...)
	}
}

// fatal reports an error and powers off: PID 1 must not exit (the kernel
// would panic), and a VM that cannot serve is better off stopped.
func (s *system) fatal(err error) {
	s.logf("fatal: %v", err)
	s.powerOff("fatal error")
}

// watchSignals powers off on SIGTERM, SIGINT and SIGPWR.
func (s *system) watchSignals() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM, syscall.SIGINT, syscall.SIGPWR)
	go func() {
		sig := <-c
		s.stop("signal " + sig.String())
	}()
}

// stop shuts the App down (bounded), then powers off. Safe to call more
// than once and from any goroutine.
func (s *system) stop(reason string) {
	s.mu.Lock()
	if s.stopping {
		s.mu.Unlock()
		return
	}
	s.stopping = true
	s.mu.Unlock()
	s.logf("stopping: %s", reason)
	s.mu.Lock()
	cancel := s.cancel
	s.mu.Unlock()
	if cancel != nil {
		cancel()
		select {
		case <-s.appDone:
		case <-time.After(3 * time.Second):
			s.logf("app did not stop within 3 s")
		}
	}
	s.powerOff(reason)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
