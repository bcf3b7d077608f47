// Package app is the seam between the unikernel's PID 1
// (unikernel/cmd/init) and the program it runs.
//
// /init owns the machine: it mounts filesystems, loads kernel modules,
// configures the network, prepares storage, opens the listener and handles
// power-off. The App owns the HTTP surface and the WebAssembly guest. To put
// the demo host into the image, implement App and change the one line in
// unikernel/cmd/init/app.go that picks the implementation; nothing else in
// the image, the build or the tests needs to change.
//
// The implementation shipped, unikernel/app/demoapp, is the demo host
// (demo/host) serving the http-server-demo guest packed in the image.
package app

import (
	"context"
	"net"
	"net/http"
	"strings"
)

// App is what /init runs. Serve must serve HTTP on ln until ctx is
// cancelled, then return (closing ln is fine). It must route the system
// paths to cfg.System, most simply by wrapping its handler with WithSystem.
// A returned error is printed on the console and powers the VM off.
type App interface {
	Serve(ctx context.Context, ln net.Listener, cfg Config) error
}

// StatsProvider is optionally implemented by an App; its value is reported
// under "app" in GET /debug/stats.
type StatsProvider interface {
	Stats() any
}

// Config is what /init hands the App. It is filled from /etc/unikernel.json
// in the image and uk.* kernel command-line overrides.
type Config struct {
	// GuestPath is the WebAssembly guest file, /app/guest.wasm in the image.
	GuestPath string
	// Engine is "interpreter" (default) or "compiler". The compiler emits
	// instructions (POPCNT, ...) that QEMU's default qemu64 CPU lacks, so
	// /init only passes "compiler" when the CPU advertises them; run QEMU
	// with -cpu max for it.
	Engine string
	// KV selects the key-value backend.
	KV KVConfig
	// System serves /poweroff and /debug/*. Route those paths to it.
	System http.Handler
	// Logf writes a line to the console.
	Logf func(format string, args ...any)
	// ConfigFile is the App's own configuration file in the image (the
	// demo's slightfile, /app/slightfile.toml), used when it exists.
	ConfigFile string
	// Instances bounds the App's guest instance pool; 0 is the App's
	// default. Each interpreted Go guest instance costs real RAM.
	Instances int
	// DropGuestFile lets the App delete the guest file once read: the
	// initramfs is RAM, so that gives the file's size back (PID 1 only).
	DropGuestFile bool
}

// KVConfig selects the key-value store backend.
type KVConfig struct {
	// Backend is "memory" (default) or "fs".
	Backend string
	// Dir is the directory of the "fs" backend. /init mounts the virtio
	// disk (/dev/vda) before calling Serve, so Dir is persistent storage.
	Dir string
}

// IsSystemPath reports whether a request path belongs to cfg.System.
func IsSystemPath(p string) bool {
	return p == "/poweroff" || strings.HasPrefix(p, "/debug/")
}

// WithSystem returns a handler that sends the system paths to system and
// everything else to h.
func WithSystem(h, system http.Handler) http.Handler {
	if system == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if IsSystemPath(r.URL.Path) {
			system.ServeHTTP(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// ServeHTTP serves h on ln until ctx is cancelled, then shuts the server
// down gracefully (bounded by a short timeout). It is the usual body of an
// App's Serve method.
func ServeHTTP(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		_ = srv.Shutdown(sctx)
		return nil
	}
}
