// Package loadtest is a small, bounded HTTP load generator for the demo's
// measurements: a fixed number of requests from a fixed number of clients,
// against loopback only, reporting requests per second and latency
// percentiles.
package loadtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// cpuTime returns the process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Options describes one run.
type Options struct {
	Method   string // default GET
	URL      string // must point at a loopback address
	Body     []byte
	Clients  int           // concurrent clients, default 8
	Requests int           // total requests, default 1000, at most 100,000
	Timeout  time.Duration // bound on the whole run, default 60s
	// Check validates a response; nil accepts status 200 only.
	Check func(status int, body []byte) error
}

// Result summarises a run.
type Result struct {
	Requests int
	Errors   int
	FirstErr error
	Elapsed  time.Duration
	RPS      float64
	P50, P99 time.Duration
	// CPUPerReq is the process's CPU time (user+system) per request during
	// the run, load generator included. On a machine shared with other
	// work it is steadier than RPS for comparing two handlers.
	CPUPerReq time.Duration
}

func (r Result) String() string {
	return fmt.Sprintf("%d req, %d errors, %.0f req/s, p50 %v, p99 %v, cpu %v/req", r.Requests, r.Errors, r.RPS,
		r.P50.Round(time.Microsecond), r.P99.Round(time.Microsecond), r.CPUPerReq.Round(100*time.Nanosecond))
}

// Run performs the requests and reports. It refuses non-loopback targets.
func Run(ctx context.Context, o Options) (Result, error) {
	if o.Method == "" {
		o.Method = http.MethodGet
	}
	if o.Clients <= 0 {
		o.Clients = 8
	}
	if o.Requests <= 0 {
		o.Requests = 1000
	}
	if o.Requests > 100_000 {
		return Result{}, errors.New("loadtest: at most 100,000 requests per run")
	}
	if o.Timeout <= 0 {
		o.Timeout = 60 * time.Second
	}
	if o.Check == nil {
		o.Check = func(status int, _ []byte) error {
			if status != http.StatusOK {
				return fmt.Errorf("status %d", status)
			}
			return nil
		}
	}
	u, err := url.Parse(o.URL)
	if err != nil {
		return Result{}, err
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		return Result{}, fmt.Errorf("loadtest: %s is not a loopback address", u.Host)
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	tr := &http.Transport{MaxIdleConnsPerHost: o.Clients, MaxConnsPerHost: o.Clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}

	lat := make([]time.Duration, o.Requests)
	var next, errs atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	cpu0 := cpuTime()
	begin := time.Now()
	for range o.Clients {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(o.Requests) || ctx.Err() != nil {
					return
				}
				var body io.Reader
				if o.Body != nil {
					body = bytes.NewReader(o.Body)
				}
				req, _ := http.NewRequestWithContext(ctx, o.Method, o.URL, body)
				t0 := time.Now()
				resp, err := client.Do(req)
				var b []byte
				if err == nil {
					b, err = io.ReadAll(resp.Body)
					resp.Body.Close()
					if err == nil {
						err = o.Check(resp.StatusCode, b)
					}
				}
				lat[i] = time.Since(t0)
				if err != nil {
					errs.Add(1)
					once.Do(func() { firstErr = err })
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(begin)
	cpu := cpuTime() - cpu0
	done := min(int(next.Load()), o.Requests)
	lat = lat[:done]
	slices.Sort(lat)
	r := Result{Requests: done, Errors: int(errs.Load()), FirstErr: firstErr, Elapsed: elapsed}
	if done > 0 {
		r.RPS = float64(done) / elapsed.Seconds()
		r.CPUPerReq = cpu / time.Duration(done)
		r.P50 = lat[done*50/100]
		r.P99 = lat[min(done*99/100, done-1)]
	}
	if ctx.Err() != nil && done < o.Requests {
		return r, fmt.Errorf("loadtest: time bound reached after %d of %d requests", done, o.Requests)
	}
	return r, nil
}
