package scenario

import (
	"strings"
	"sync"
)

// OutputLimit is how much of what it is given an Output keeps.
const OutputLimit = 64 << 10

// Output collects a guest's stdout and stderr and a host's log lines for a
// test to show when it fails (host.Options.GuestOutput, a slog handler's
// writer). It is safe for concurrent use, since pooled guest instances
// write from many goroutines, and keeps the first OutputLimit bytes; later
// writes are accepted and dropped, so a chatty guest cannot exhaust memory.
type Output struct {
	mu sync.Mutex
	b  strings.Builder
}

// Write implements io.Writer. It never fails.
func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if room := OutputLimit - o.b.Len(); room > 0 {
		o.b.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// String returns what was kept so far.
func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.String()
}
