// Command ukvm runs and measures the unikernel image (built by
// `make unikernel`) under QEMU.
//
//	ukvm run   [-port 8080] [-m 128M] [-engine compiler] [-kv fs] [-disk img]
//	ukvm bench [-boots 5] [-duration 5s] [-requests 50000] [-json out.json]
//
// run boots the VM with the serial console on this terminal and forwards
// 127.0.0.1:PORT to the guest's port 80. Ctrl-C (passed to the guest, whose
// /init powers off) or POST /poweroff ends it. Ctrl-A X quits QEMU at once.
//
// bench boots the VM -boots times and reports the median time from QEMU
// start to the first 200 on GET /hello, the image sizes, the guest's memory
// after boot (from /debug/stats, i.e. /proc inside the VM), and requests per
// second on GET /hello from a bounded load loop on loopback.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wasmhost/wit-bindgen-go-host/unikernel/vm"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("ukvm: ")
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: ukvm run|bench [flags]")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "run":
		run(os.Args[2:])
	case "bench":
		bench(os.Args[2:])
	default:
		log.Fatalf("unknown command %q (want run or bench)", os.Args[1])
	}
}

// common flags
type vmFlags struct {
	dir, mem, engine, kv, disk, appendArgs, machine, cpu string
}

func (f *vmFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.dir, "dir", "build/unikernel", "image directory")
	fs.StringVar(&f.mem, "m", "128M", "guest memory")
	fs.StringVar(&f.engine, "engine", "", "override the image's engine: interpreter or compiler (compiler adds -cpu max)")
	fs.StringVar(&f.kv, "kv", "", "override the image's key-value backend: memory or fs (fs attaches -disk)")
	fs.StringVar(&f.disk, "disk", "build/unikernel/kv.img", "ext4 disk image for -kv fs (created with mkfs.ext4 when missing)")
	fs.StringVar(&f.appendArgs, "append", "", "extra kernel command-line words")
	fs.StringVar(&f.machine, "machine", "microvm", "QEMU machine: microvm or pc")
	fs.StringVar(&f.cpu, "cpu", "", "QEMU -cpu model (default QEMU's qemu64; max with -engine compiler)")
}

func (f *vmFlags) options() vm.Options {
	o := vm.Options{Dir: f.dir, Memory: f.mem, Machine: f.machine}
	if f.engine != "" {
		o.Append = append(o.Append, "uk.engine="+f.engine)
	}
	if f.engine == "compiler" {
		o.CPU = "max" // wazero's compiler emits POPCNT etc.; qemu64 lacks them
	}
	if f.cpu != "" {
		o.CPU = f.cpu
	}
	if f.kv != "" {
		o.Append = append(o.Append, "uk.kv="+f.kv)
	}
	if f.kv == "fs" {
		if err := ensureDisk(f.disk); err != nil {
			log.Fatal(err)
		}
		o.Disk = f.disk
	}
	o.Append = append(o.Append, strings.Fields(f.appendArgs)...)
	return o
}

// ensureDisk creates a 64 MB ext4 image for the fs key-value backend.
func ensureDisk(path string) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = f.Truncate(64 << 20)
	f.Close()
	if err != nil {
		return err
	}
	out, err := exec.Command("mkfs.ext4", "-q", "-F", "-L", "kv", path).CombinedOutput()
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("mkfs.ext4 %s: %v\n%s (install e2fsprogs)", path, err, out)
	}
	log.Printf("created %s (ext4, 64 MB)", path)
	return nil
}

func run(args []string) {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	var vf vmFlags
	vf.register(fs)
	port := fs.Int("port", 8080, "127.0.0.1 port forwarded to the guest's port 80 (0: pick a free one)")
	fs.Parse(args)
	o := vf.options()
	o.HostPort = *port
	_, err := unix.IoctlGetTermios(0, unix.TCGETS)
	o.Interactive = err == nil
	if !o.Interactive {
		o.Console = os.Stdout
	}
	v, err := vm.Start(o)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("qemu pid %d; http://127.0.0.1:%d/hello; stop with Ctrl-C or curl -X POST http://127.0.0.1:%d/poweroff", v.PID(), v.Port, v.Port)
	// Interactive: the terminal is raw (Ctrl-C goes to the guest) and QEMU
	// is in our process group; ignore stray signals and wait. Otherwise a
	// SIGINT/SIGTERM here powers the guest off cleanly.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	select {
	case <-v.Done():
	case s := <-sig:
		log.Printf("%v: powering the VM off", s)
		if err := v.PowerOff(15 * time.Second); err != nil {
			log.Printf("%v", err)
		}
	}
	if err := v.ExitErr(); err != nil {
		log.Fatalf("qemu: %v", err)
	}
}

// Result is the benchmark report (also written as JSON).
type Result struct {
	Date           string             `json:"date"`
	Host           string             `json:"host"`
	LoadAvg        string             `json:"loadavg_before"`
	Accel          string             `json:"accel"`
	Memory         string             `json:"memory"`
	Machine        string             `json:"machine"`
	Boots          []float64          `json:"first_200_s"`
	CPU            []float64          `json:"qemu_cpu_s_at_first_200"`
	MedianCPU      float64            `json:"median_qemu_cpu_s"`
	MedianFirst200 float64            `json:"median_first_200_s"`
	Kernel         map[string]float64 `json:"kernel_s_at_listen"` // kernel uptime when /init listened, per boot
	Timelines      []string           `json:"init_timelines"`     // kernel uptime at each /init milestone, per boot
	Marks          [][]vm.Mark        `json:"console_marks"`      // QEMU CPU and wall time at each /init console line, per boot
	VmlinuzBytes   int64              `json:"vmlinuz_bytes"`
	InitramfsBytes int64              `json:"initramfs_bytes"`
	Image          json.RawMessage    `json:"image"`
	RSSKB          int64              `json:"init_rss_kb"`
	RSSPeakKB      int64              `json:"init_rss_peak_kb"`
	MemTotalKB     int64              `json:"mem_total_kb"`
	MemAvailKB     int64              `json:"mem_available_kb"`
	Requests       int64              `json:"requests"`
	Errors         int64              `json:"errors"`
	LoadSeconds    float64            `json:"load_s"`
	RPS            float64            `json:"requests_per_s"`
	Workers        int                `json:"workers"`
	App            json.RawMessage    `json:"app_stats"` // the App's part of /debug/stats, last boot
}

func bench(args []string) {
	fs := flag.NewFlagSet("bench", flag.ExitOnError)
	var vf vmFlags
	vf.register(fs)
	boots := fs.Int("boots", 5, "number of boots")
	dur := fs.Duration("duration", 5*time.Second, "load duration (upper bound)")
	maxReq := fs.Int64("requests", 50000, "load request cap (upper bound)")
	workers := fs.Int("workers", 4, "concurrent load connections")
	out := fs.String("json", "build/unikernel/bench.json", "write the result here")
	console := fs.Bool("console", false, "print each boot's serial console")
	dmesg := fs.String("dmesg", "", "save the last boot's kernel log (GET /debug/dmesg) here; boot with -append initcall_debug to profile the kernel")
	fs.Parse(args)
	o := vf.options()

	r := Result{Date: time.Now().UTC().Format(time.RFC3339), Memory: o.Memory, Machine: o.Machine, Workers: *workers, Kernel: map[string]float64{}}
	r.Host, _ = os.Hostname()
	if la, err := os.ReadFile("/proc/loadavg"); err == nil {
		r.LoadAvg = strings.TrimSpace(string(la))
	}
	r.Accel = "tcg (software emulation)"
	if vm.KVM() {
		r.Accel = "kvm"
	}
	if st, err := os.Stat(filepath.Join(o.Dir, "vmlinuz")); err == nil {
		r.VmlinuzBytes = st.Size()
	}
	if p, err := vm.Initramfs(o.Dir); err != nil {
		log.Fatal(err)
	} else if st, err := os.Stat(p); err == nil {
		r.InitramfsBytes = st.Size()
	}
	r.Image, _ = os.ReadFile(filepath.Join(o.Dir, "image.json"))
	if len(r.Image) == 0 {
		r.Image = json.RawMessage("null")
	}

	for i := 0; i < *boots; i++ {
		v, err := vm.Start(o)
		if err != nil {
			log.Fatal(err)
		}
		d, err := v.WaitHTTP(context.Background(), "/hello", 120*time.Second)
		if err != nil {
			v.Kill()
			log.Fatalf("boot %d: %v\nconsole:\n%s", i+1, err, v.Console())
		}
		r.Boots = append(r.Boots, d.Seconds())
		cpu, _ := v.CPUTime()
		r.CPU = append(r.CPU, cpu.Seconds())
		var st struct {
			RSS      int64           `json:"rss_kb"`
			Peak     int64           `json:"rss_peak_kb"`
			Total    int64           `json:"mem_total_kb"`
			Avail    int64           `json:"mem_available_kb"`
			App      json.RawMessage `json:"app"`
			Timeline []struct {
				Name    string  `json:"name"`
				MS      float64 `json:"ms"`
				KernelS float64 `json:"kernel_s"`
			} `json:"timeline"`
		}
		if err := getJSON(v.URL("/debug/stats"), &st); err != nil {
			log.Printf("boot %d: /debug/stats: %v", i+1, err)
		}
		var tl []string
		for _, e := range st.Timeline {
			if e.Name == "listen" {
				r.Kernel[fmt.Sprint(i+1)] = e.KernelS
			}
			tl = append(tl, fmt.Sprintf("%s %.2f", e.Name, e.KernelS))
		}
		r.Timelines = append(r.Timelines, strings.Join(tl, ", "))
		marks := v.Marks()
		r.Marks = append(r.Marks, marks)
		for _, m := range marks {
			log.Printf("  QEMU CPU %5.2f s, wall %5.2f s: %.110s", m.CPU, m.Wall, m.Line)
		}
		log.Printf("boot %d/%d: kernel uptime at /init milestones: %s", i+1, *boots, strings.Join(tl, ", "))
		if *console {
			log.Printf("boot %d/%d console:\n%s", i+1, *boots, v.Console())
		}
		r.RSSKB, r.RSSPeakKB, r.MemTotalKB, r.MemAvailKB, r.App = st.RSS, st.Peak, st.Total, st.Avail, st.App
		log.Printf("boot %d/%d: first 200 after %.2f s (QEMU CPU %.2f s, kernel uptime at listen %.2f s), /init RSS %d kB", i+1, *boots, d.Seconds(), cpu.Seconds(), r.Kernel[fmt.Sprint(i+1)], st.RSS)
		if i == *boots-1 && *dmesg != "" {
			if err := saveURL(v.URL("/debug/dmesg"), *dmesg); err != nil {
				log.Printf("dmesg: %v", err)
			}
		}
		if i == *boots-1 {
			r.Requests, r.Errors, r.LoadSeconds = load(v.URL("/hello"), *workers, *dur, *maxReq)
			r.RPS = float64(r.Requests) / r.LoadSeconds
			var st2 struct {
				RSS  int64 `json:"rss_kb"`
				Peak int64 `json:"rss_peak_kb"`
			}
			if getJSON(v.URL("/debug/stats"), &st2) == nil {
				log.Printf("after load: /init RSS %d kB (peak %d kB)", st2.RSS, st2.Peak)
			}
		}
		if err := v.PowerOff(30 * time.Second); err != nil {
			log.Fatalf("boot %d: %v\nconsole:\n%s", i+1, err, v.Console())
		}
	}
	s := append([]float64(nil), r.Boots...)
	sort.Float64s(s)
	r.MedianFirst200 = s[len(s)/2]
	c := append([]float64(nil), r.CPU...)
	sort.Float64s(c)
	r.MedianCPU = c[len(c)/2]

	fmt.Printf("accel            %s, -M %s -m %s, host load before: %s\n", r.Accel, r.Machine, r.Memory, r.LoadAvg)
	fmt.Printf("first 200        median %.2f s over %d boots %v\n", r.MedianFirst200, len(r.Boots), fmtSecs(r.Boots))
	fmt.Printf("QEMU CPU time    median %.2f s until the first 200 %v\n", r.MedianCPU, fmtSecs(r.CPU))
	fmt.Printf("vmlinuz          %.2f MB\n", float64(r.VmlinuzBytes)/(1<<20))
	fmt.Printf("initramfs        %.2f MB\n", float64(r.InitramfsBytes)/(1<<20))
	fmt.Printf("guest memory     /init RSS %d kB (peak %d kB); MemTotal %d kB, MemAvailable %d kB\n", r.RSSKB, r.RSSPeakKB, r.MemTotalKB, r.MemAvailKB)
	if len(r.App) > 0 {
		fmt.Printf("app stats        %s\n", compact(r.App))
	}
	fmt.Printf("GET /hello       %.0f req/s (%d requests, %d errors, %.1f s, %d connections)\n", r.RPS, r.Requests, r.Errors, r.LoadSeconds, r.Workers)
	if *out != "" {
		data, _ := json.MarshalIndent(r, "", "  ")
		if err := os.WriteFile(*out, append(data, '\n'), 0o644); err != nil {
			log.Fatal(err)
		}
		log.Printf("wrote %s", *out)
	}
}

func compact(raw json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

func fmtSecs(v []float64) string {
	var s []string
	for _, x := range v {
		s = append(s, fmt.Sprintf("%.2f", x))
	}
	return "[" + strings.Join(s, " ") + "]"
}

func saveURL(url, path string) error {
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

func getJSON(url string, v any) error {
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(v)
}

// load runs keep-alive GETs from a fixed number of workers until either
// the duration or the request cap is reached.
func load(url string, workers int, dur time.Duration, max int64) (ok, errs int64, secs float64) {
	tr := &http.Transport{MaxIdleConnsPerHost: workers}
	client := &http.Client{Timeout: 5 * time.Second, Transport: tr}
	defer tr.CloseIdleConnections()
	var issued, okN, errN atomic.Int64
	deadline := time.Now().Add(dur)
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) && issued.Add(1) <= max {
				resp, err := client.Get(url)
				if err != nil {
					errN.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					okN.Add(1)
				} else {
					errN.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return okN.Load(), errN.Load(), time.Since(start).Seconds()
}
