package main

// Memory budget of PID 1. The VM has no swap and nothing else to run, so an
// allocation the kernel cannot satisfy panics the kernel ("System is
// deadlocked on memory": PID 1 cannot be killed). /init sizes two things
// from MemAvailable when it starts: the Go memory limit, and (when memory
// is short) the guest instance pool.

// memoryLimit returns the Go memory limit in bytes for availKB of
// MemAvailable: all of it but a reserve for the kernel (socket buffers,
// page tables, slab), 10% and at least 8 MB. At -m 128M that is 56 MB of
// 64 (80%, the former rule, left 51 MB, so the GC ran almost without
// pause on a 46 MB live heap and the heap overshot); at 192M 110 MB.
func memoryLimit(availKB int64) int64 {
	avail := availKB << 10
	return avail - max(avail/10, 8<<20)
}

// Pool sizing. Measured in the VM with the 1.97 MB demo guest on wazero's
// interpreter: the compiled guest, the first instance and the Go runtime
// take about 52 MB of anonymous memory after boot, and each further
// instance about 6 MB once it has served (its linear memory grows).
const (
	baseMB        = 66 // compiled guest + first instance + runtime + the kernel reserve
	perInstanceMB = 6
	defaultPool   = 4 // the demo's default (config.Default)
)

// poolSize returns the guest instance pool size that fits availKB of
// MemAvailable, or 0 when the demo's default of 4 fits (then the
// configuration decides). It never returns less than 1.
func poolSize(availKB int64) int {
	n := 1 + int(availKB>>10-baseMB)/perInstanceMB
	switch {
	case availKB>>10 < baseMB:
		return 1
	case n >= defaultPool:
		return 0
	}
	return max(n, 1)
}
