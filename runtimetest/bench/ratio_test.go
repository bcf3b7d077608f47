package bench

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestRatioTable measures every operation through the generated bindings
// and the baseline in alternating batches and prints a Markdown table of
// the fastest batch of each (ns/op), allocs/op and the ratio. Taking the
// minimum over interleaved rounds keeps the comparison fair on a busy
// machine, where go test -bench numbers swing by ±100%. It runs only with
// RUNTIMETEST_RATIOS=1 (or a number of rounds):
//
//	RUNTIMETEST_RATIOS=31 go test ./runtimetest/bench -run TestRatioTable -v
func TestRatioTable(t *testing.T) {
	env := os.Getenv("RUNTIMETEST_RATIOS")
	if env == "" {
		t.Skip("set RUNTIMETEST_RATIOS=1 (or a number of rounds) to measure")
	}
	rounds := 21
	if n, err := fmt.Sscan(env, &rounds); n != 1 || err != nil || rounds < 3 {
		rounds = 21
	}
	ctx := context.Background()
	var b strings.Builder
	fmt.Fprintf(&b, "| operation | config | generated ns/op | baseline ns/op | ratio | generated allocs/op | baseline allocs/op |\n")
	fmt.Fprintf(&b, "|---|---|---:|---:|---:|---:|---:|\n")
	for _, o := range ops {
		for _, c := range configs {
			in := newGenerated(t, c.watch)
			bl := newBaseline(t, c.watch)
			gen := func() error { return o.generated(ctx, in) }
			base := func() error { return o.baseline(ctx, bl) }
			// Size a batch to about 2 ms of baseline work.
			n := 1
			for {
				d := timeBatch(t, base, n)
				if d > 2*time.Millisecond || n >= 1<<20 {
					break
				}
				n *= 2
			}
			bestGen, bestBase := time.Duration(1<<62), time.Duration(1<<62)
			for range rounds {
				bestGen = min(bestGen, timeBatch(t, gen, n))
				bestBase = min(bestBase, timeBatch(t, base, n))
			}
			g := float64(bestGen.Nanoseconds()) / float64(n)
			bs := float64(bestBase.Nanoseconds()) / float64(n)
			ga := testing.AllocsPerRun(50, func() { _ = gen() })
			ba := testing.AllocsPerRun(50, func() { _ = base() })
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %.2f | %g | %g |\n", o.name, c.name, fmtNs(g), fmtNs(bs), g/bs, ga, ba)
		}
	}
	t.Logf("%d interleaved rounds, best batch each:\n%s", rounds, b.String())
}

func timeBatch(t *testing.T, f func() error, n int) time.Duration {
	start := time.Now()
	for range n {
		if err := f(); err != nil {
			t.Fatal(err)
		}
	}
	return time.Since(start)
}

func fmtNs(ns float64) string {
	switch {
	case ns >= 100_000:
		return fmt.Sprintf("%.0f", ns)
	case ns >= 100:
		return fmt.Sprintf("%.0f", ns)
	default:
		return fmt.Sprintf("%.1f", ns)
	}
}
