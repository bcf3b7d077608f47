package main

import "testing"

func TestMemoryBudget(t *testing.T) {
	for _, c := range []struct {
		availMB   int64
		limitMB   int64
		instances int
	}{
		{40, 32, 1},   // too small anyway: one instance, the GC does what it can
		{64, 56, 1},   // -m 128M
		{78, 70, 3},   //
		{122, 109, 0}, // -m 192M: the demo's default pool
	} {
		if got := memoryLimit(c.availMB<<10) >> 20; got != c.limitMB {
			t.Errorf("memoryLimit(%d MB) = %d MB, want %d", c.availMB, got, c.limitMB)
		}
		if got := poolSize(c.availMB << 10); got != c.instances {
			t.Errorf("poolSize(%d MB) = %d, want %d", c.availMB, got, c.instances)
		}
	}
}
