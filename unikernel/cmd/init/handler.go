//go:build linux

package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"runtime"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wasmhost/wit-bindgen-go-host/unikernel/app"
)

// handler serves the system endpoints the App routes to app.Config.System:
//
//	POST /poweroff    200, then stop the App, sync, power off
//	GET  /debug/dmesg the kernel log buffer (boot with initcall_debug to
//	                  profile the kernel; "quiet" keeps it off the console)
//	GET  /debug/meminfo /proc/meminfo and /proc/slabinfo (where the VM's
//	                  memory goes)
//	GET  /debug/stats JSON: boot timeline, memory (RSS of /init from
//	                  /proc/self/status, MemTotal/MemAvailable from
//	                  /proc/meminfo), Go runtime, modules, config, App stats
func (s *system) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/poweroff", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", "POST")
			http.Error(w, "use POST", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Connection", "close")
		io.WriteString(w, "powering off\n")
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		go func() {
			time.Sleep(50 * time.Millisecond) // let the response leave
			s.stop("POST /poweroff")
		}()
	})
	mux.HandleFunc("GET /debug/dmesg", func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 1<<20)
		n, err := unix.Klogctl(unix.SYSLOG_ACTION_READ_ALL, buf)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		w.Write(buf[:n])
	})
	mux.HandleFunc("GET /debug/meminfo", func(w http.ResponseWriter, r *http.Request) {
		data, err := os.ReadFile("/proc/meminfo")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		w.Write(data)
		if slab, err := os.ReadFile("/proc/slabinfo"); err == nil {
			w.Write([]byte("\n"))
			w.Write(slab)
		}
	})
	mux.HandleFunc("GET /debug/stats", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(s.stats())
	})
	return mux
}

func (s *system) stats() map[string]any {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	self := procKB("/proc/self/status", "VmRSS", "VmHWM", "VmSize")
	mem := procKB("/proc/meminfo", "MemTotal", "MemFree", "MemAvailable", "Shmem")
	s.mu.Lock()
	timeline := append([]event(nil), s.timeline...)
	modules := append([]string(nil), s.modules...)
	s.mu.Unlock()
	out := map[string]any{
		"pid":              os.Getpid(),
		"pid1":             s.pid1,
		"kernel_uptime_s":  kernelUptime(),
		"init_uptime_s":    time.Since(s.start).Seconds(),
		"timeline":         timeline,
		"rss_kb":           self["VmRSS"],
		"rss_peak_kb":      self["VmHWM"],
		"vm_size_kb":       self["VmSize"],
		"mem_total_kb":     mem["MemTotal"],
		"mem_free_kb":      mem["MemFree"],
		"mem_available_kb": mem["MemAvailable"],
		"shmem_kb":         mem["Shmem"], // includes the unpacked initramfs (rootfs is tmpfs/ramfs)
		"go": map[string]any{
			"version":    runtime.Version(),
			"heap_alloc": ms.HeapAlloc,
			"sys":        ms.Sys,
			"num_gc":     ms.NumGC,
			"goroutines": runtime.NumGoroutine(),
			"gomaxprocs": runtime.GOMAXPROCS(0),
		},
		"modules": modules,
		"config":  s.cfg,
	}
	if sp, ok := s.app.(app.StatsProvider); ok {
		out["app"] = sp.Stats()
	}
	return out
}
