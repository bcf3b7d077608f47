package loadtest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// WarmUpRequests is how many requests Bench sends before timing, so every
// pooled guest instance exists and its heap has grown.
const WarmUpRequests = 2000

// Bench is the body of a benchmark of one URL: a warm-up of WarmUpRequests
// requests, then b.N (at most 100,000) timed requests with o's clients and
// check, reported as ns/op plus req/s, p50-µs, p99-µs and cpu-µs/req. Any
// failed request fails the benchmark.
func Bench(b *testing.B, ctx context.Context, o Options) {
	b.Helper()
	o.Requests = WarmUpRequests
	if res, err := Run(ctx, o); err != nil || res.Errors != 0 {
		b.Fatalf("warm-up: %v, %v (first error: %v)", res, err, res.FirstErr)
	}
	o.Requests = min(b.N, 100_000)
	b.ResetTimer()
	res, err := Run(ctx, o)
	b.StopTimer()
	if err != nil || res.Errors != 0 {
		b.Fatalf("%v, %v (first error: %v)", res, err, res.FirstErr)
	}
	b.ReportMetric(res.RPS, "req/s")
	b.ReportMetric(float64(res.P50.Nanoseconds())/1e3, "p50-µs")
	b.ReportMetric(float64(res.P99.Nanoseconds())/1e3, "p99-µs")
	b.ReportMetric(float64(res.CPUPerReq.Nanoseconds())/1e3, "cpu-µs/req")
}

// DemoValue is the value the measurements store and GET /get reads back.
const DemoValue = "spiderlightning"

// PutDemoValue stores DemoValue with PUT base/set (the demo guest's route,
// and NativeDemoHandler's) and fails tb unless the answer is 204.
func PutDemoValue(tb testing.TB, base string) {
	tb.Helper()
	req, _ := http.NewRequest(http.MethodPut, base+"/set", strings.NewReader(DemoValue))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		tb.Fatalf("PUT %s/set: %s", base, resp.Status)
	}
}

// ExpectBody returns a Check that accepts only status 200 with body want.
func ExpectBody(want string) func(status int, body []byte) error {
	return func(status int, body []byte) error {
		if status != http.StatusOK || string(body) != want {
			return fmt.Errorf("got %d %.80q, want 200 %q", status, body, want)
		}
		return nil
	}
}
