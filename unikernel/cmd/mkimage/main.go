// Command mkimage builds the unikernel image: build/unikernel/vmlinuz,
// build/unikernel/vmlinux and build/unikernel/initramfs.cpio.gz.
//
//  1. The kernel is Debian's cloud kernel. The current package name is
//     resolved from the metapackage with `apt-cache depends
//     linux-image-cloud-amd64` (the ABI number changes with security
//     updates, so it is never hard-coded), fetched with `apt-get download`
//     (nothing is installed on the host) and unpacked with `dpkg-deb -x`,
//     all cached under -cache.
//  2. The modules to load (virtio_pci, virtio_net by default) and the ones
//     only packed (virtio_blk, for the fs key-value backend) are closed
//     over their .modinfo depends= entries (package unikernel/kmod).
//  3. /init is a static Go binary (CGO_ENABLED=0), built here unless -init
//     names one already built (the Makefile does that, so changing the
//     guest does not rebuild /init).
//  4. The initramfs (newc cpio, package unikernel/initramfs) holds
//     /init, /dev/console, the modules, the guest at /app/guest.wasm and
//     /etc/unikernel.json. No external cpio tool is used. It is gzip
//     (compress/gzip), written as initramfs.cpio.gz. With -compress lz4 it
//     is LZ4 instead (legacy frame, by the lz4 program, `lz4 -l -9`; the
//     kernel unpacks it about 0.15 s faster under TCG), written as
//     initramfs.cpio.lz4; -compress none writes initramfs.cpio. The other
//     two names are removed, so the directory holds one initramfs.
//
// A manifest, image.json, records what went in and the sizes.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"debug/elf"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wasmhost/wit-bindgen-go-host/unikernel/initramfs"
	"github.com/wasmhost/wit-bindgen-go-host/unikernel/kernel"
	"github.com/wasmhost/wit-bindgen-go-host/unikernel/kmod"
)

const metapackage = "linux-image-cloud-amd64"

// Manifest is written next to the image as image.json.
type Manifest struct {
	KernelPackage  string         `json:"kernel_package"`
	KernelDeb      string         `json:"kernel_deb"`
	KernelRelease  string         `json:"kernel_release"`
	VmlinuzBytes   int64          `json:"vmlinuz_bytes"`
	VmlinuxBytes   int64          `json:"vmlinux_bytes,omitempty"` // 0: no PVH kernel
	InitramfsBytes int64          `json:"initramfs_bytes"`
	Compression    string         `json:"compression"` // lz4, gzip or none
	CpioBytes      int64          `json:"cpio_bytes"`  // uncompressed
	InitBytes      int64          `json:"init_bytes"`
	Guest          string         `json:"guest"`
	GuestBytes     int64          `json:"guest_bytes"`
	Modules        []string       `json:"modules"` // packed, in load order
	Extra          []string       `json:"extra_files,omitempty"`
	Config         map[string]any `json:"config"`
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("mkimage: ")
	var (
		out      = flag.String("out", "build/unikernel", "output directory")
		cache    = flag.String("cache", "build/unikernel/cache", "download and extraction cache")
		initBin  = flag.String("init", "", "prebuilt /init (static linux/amd64); built from ./unikernel/cmd/init when empty")
		guestP   = flag.String("guest", "", "http-server-demo guest .wasm to pack at /app/guest.wasm (required; make unikernel builds build/demo/http-server-demo.wasm)")
		inst     = flag.Int("instances", 0, "guest instance pool size in the image (0: the demo's default)")
		engine   = flag.String("engine", "interpreter", "default wazero engine in the image: interpreter or compiler")
		kv       = flag.String("kv", "memory", "default key-value backend in the image: memory or fs")
		load     = flag.String("modules", "virtio_pci,virtio_net", "modules /init loads at boot")
		pack     = flag.String("extra-modules", "virtio_blk,virtio_mmio", "modules packed but loaded only when needed (virtio_blk: -kv fs; virtio_mmio: QEMU -M microvm)")
		pkg      = flag.String("kernel-package", "", "kernel package (default: resolved from "+metapackage+")")
		compress = flag.String("compress", "gzip", "initramfs compression: gzip (initramfs.cpio.gz), lz4 (the lz4 program, -l -9; initramfs.cpio.lz4), none (initramfs.cpio), or auto (lz4 when the lz4 program is installed, else gzip)")
		noGzip   = flag.Bool("no-gzip", false, "same as -compress none")
		slim     = flag.Bool("slim-modules", true, "pack the modules without their signatures and with .BTF renamed (kmod.Slim): the kernel loads them without hashing, signature checks or BTF parsing")
		pvh      = flag.Bool("pvh", true, "also write vmlinux, the uncompressed kernel QEMU boots through its PVH entry")
		listOnly = flag.String("list", "", "print the entries of an existing initramfs and exit")
	)
	var extra addFlags
	flag.Var(&extra, "add", "extra file for the image, HOSTPATH=IMAGEPATH (e.g. demo/config/example.toml=/app/slightfile.toml); repeatable")
	flag.Parse()
	if *listOnly != "" {
		if err := list(*listOnly); err != nil {
			log.Fatal(err)
		}
		return
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(*cache, 0o755); err != nil {
		log.Fatal(err)
	}

	// 1. Kernel package.
	deb, name, err := fetchKernel(*cache, *pkg)
	if err != nil {
		log.Fatal(err)
	}
	root, err := extract(*cache, deb)
	if err != nil {
		log.Fatal(err)
	}
	vmlinuz, release, err := findKernel(root)
	if err != nil {
		log.Fatal(err)
	}
	m := Manifest{KernelPackage: name, KernelDeb: filepath.Base(deb), KernelRelease: release}
	if m.VmlinuzBytes, err = copyFile(vmlinuz, filepath.Join(*out, "vmlinuz")); err != nil {
		log.Fatal(err)
	}
	// The same kernel, uncompressed, for QEMU's PVH entry (boots faster
	// under emulation; see unikernel/kernel). The runner falls back to
	// vmlinuz when it is absent.
	vmlinuxPath := filepath.Join(*out, "vmlinux")
	os.Remove(vmlinuxPath)
	if *pvh {
		if n, err := writeVmlinux(vmlinuz, filepath.Join(filepath.Dir(root), "vmlinux"), vmlinuxPath); err != nil {
			log.Printf("no PVH kernel, QEMU will boot vmlinuz: %v", err)
		} else {
			m.VmlinuxBytes = n
		}
	}

	// 2. Modules.
	modDir := filepath.Join(root, "lib", "modules", release)
	idx, err := kmod.Scan(filepath.Join(modDir, "kernel"))
	if err != nil {
		log.Fatal(err)
	}
	builtin := map[string]bool{}
	if f, err := os.Open(filepath.Join(modDir, "modules.builtin")); err == nil {
		builtin, err = kmod.ReadBuiltin(f)
		f.Close()
		if err != nil {
			log.Fatal(err)
		}
	}
	loadList := splitList(*load)
	mods, err := idx.Order(append(append([]string(nil), loadList...), splitList(*pack)...), builtin)
	if err != nil {
		log.Fatal(err)
	}
	for _, mod := range mods {
		if !strings.HasPrefix(mod.Vermagic, release+" ") {
			log.Fatalf("%s: vermagic %q does not match kernel %s", mod.Path, mod.Vermagic, release)
		}
		m.Modules = append(m.Modules, mod.Name)
	}

	// 3. /init.
	initPath := *initBin
	if initPath == "" {
		initPath = filepath.Join(*cache, "init")
		if err := buildInit(initPath); err != nil {
			log.Fatal(err)
		}
	}
	initData, err := os.ReadFile(initPath)
	if err != nil {
		log.Fatal(err)
	}
	if err := checkStatic(initPath); err != nil {
		log.Fatal(err)
	}
	m.InitBytes = int64(len(initData))

	// Guest.
	if *guestP == "" {
		log.Fatal("-guest is required")
	}
	guestData, err := os.ReadFile(*guestP)
	if err != nil {
		log.Fatal(err)
	}
	m.Guest = *guestP
	if len(guestData) < 8 || string(guestData[:4]) != "\x00asm" {
		log.Fatalf("%s: not a WebAssembly binary", m.Guest)
	}
	m.GuestBytes = int64(len(guestData))

	// Configuration read by /init (see unikernel/cmd/init/config.go).
	m.Config = map[string]any{
		"modules": loadList,
		"engine":  *engine,
		"kv":      map[string]any{"backend": *kv},
	}
	if *inst > 0 {
		m.Config["instances"] = *inst
	}
	cfgJSON, _ := json.MarshalIndent(m.Config, "", "  ")

	// 4. The archive.
	var cpio bytes.Buffer
	w := initramfs.NewWriter(&cpio)
	check := func(err error) {
		if err != nil {
			log.Fatal(err)
		}
	}
	check(w.File("init", 0o755, initData))
	check(w.CharDev("dev/console", 0o600, 5, 1))
	for _, d := range []string{"proc", "sys", "tmp", "data"} {
		check(w.Dir(d, 0o755))
	}
	for _, mod := range mods {
		data, err := os.ReadFile(mod.Path)
		check(err)
		if *slim {
			data, err = kmod.Slim(data)
			check(err)
		}
		check(w.File("lib/modules/"+mod.Name+".ko", 0o644, data))
	}
	check(w.File("app/guest.wasm", 0o644, guestData))
	for _, a := range extra {
		data, err := os.ReadFile(a.src)
		check(err)
		check(w.File(a.dst, 0o644, data))
		m.Extra = append(m.Extra, a.dst)
	}
	check(w.File("etc/unikernel.json", 0o644, append(cfgJSON, '\n')))
	check(w.Close())
	m.CpioBytes = int64(cpio.Len())

	if *noGzip {
		*compress = "none"
	}
	img, how, err := compressCpio(cpio.Bytes(), *compress)
	check(err)
	m.Compression = how
	dst := filepath.Join(*out, initramfsName[how])
	check(writeAtomic(dst, img))
	for _, n := range initramfsName {
		if p := filepath.Join(*out, n); p != dst {
			if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				check(err)
			}
		}
	}
	// The former name, from before the file was named by its compression.
	os.Remove(filepath.Join(*out, "initramfs.img"))
	m.InitramfsBytes = int64(len(img))
	mj, _ := json.MarshalIndent(m, "", "  ")
	check(writeAtomic(filepath.Join(*out, "image.json"), append(mj, '\n')))

	fmt.Printf("kernel    %s (%s): %s, %.1f MB\n", name, release, filepath.Join(*out, "vmlinuz"), mb(m.VmlinuzBytes))
	if m.VmlinuxBytes > 0 {
		fmt.Printf("          %s, %.1f MB uncompressed (PVH entry; what QEMU boots)\n", vmlinuxPath, mb(m.VmlinuxBytes))
	}
	fmt.Printf("initramfs %s: %.2f MB %s (%.2f MB cpio)\n", dst, mb(m.InitramfsBytes), how, mb(m.CpioBytes))
	fmt.Printf("  /init %.2f MB, guest %s %d bytes, modules: %s\n", mb(m.InitBytes), m.Guest, m.GuestBytes, strings.Join(m.Modules, " "))
}

// initramfsName is the initramfs's file name for each compression (see
// unikernel/vm.InitramfsNames, which looks them up in this order).
var initramfsName = map[string]string{"gzip": "initramfs.cpio.gz", "lz4": "initramfs.cpio.lz4", "none": "initramfs.cpio"}

type addFlag struct{ src, dst string }

type addFlags []addFlag

func (a *addFlags) String() string { return fmt.Sprint(*a) }

func (a *addFlags) Set(v string) error {
	src, dst, ok := strings.Cut(v, "=")
	if !ok || src == "" || !strings.HasPrefix(dst, "/") {
		return fmt.Errorf("want HOSTPATH=/IMAGEPATH, got %q", v)
	}
	*a = append(*a, addFlag{src, dst})
	return nil
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// resolvePackage asks apt which kernel package the metapackage points at.
func resolvePackage() (string, error) {
	out, err := exec.Command("apt-cache", "depends", metapackage).Output()
	if err != nil {
		return "", fmt.Errorf("apt-cache depends %s: %w", metapackage, err)
	}
	return parseDepends(string(out))
}

// parseDepends picks the linux-image-* dependency from `apt-cache depends`
// output, e.g. "  Depends: linux-image-6.1.0-56-cloud-amd64".
func parseDepends(out string) (string, error) {
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), ":")
		v = strings.Trim(strings.TrimSpace(v), "<>")
		if ok && strings.TrimPrefix(k, "|") == "Depends" && strings.HasPrefix(v, "linux-image-") {
			return v, nil
		}
	}
	return "", fmt.Errorf("no linux-image-* dependency in apt-cache depends %s output:\n%s", metapackage, out)
}

// candidateVersion is the version apt would download for pkg.
func candidateVersion(pkg string) (string, error) {
	out, err := exec.Command("apt-cache", "show", "--no-all-versions", pkg).Output()
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "Version: "); ok {
			return strings.TrimSpace(v), nil
		}
	}
	return "", fmt.Errorf("apt-cache show %s: no Version", pkg)
}

// fetchKernel returns the path of the kernel .deb in the cache, downloading
// it when needed. Without apt metadata it runs apt-get update once (as
// root); offline, it falls back to the newest cached package.
func fetchKernel(cache, name string) (deb, pkg string, err error) {
	if name == "" {
		name, err = resolvePackage()
		if err != nil && os.Geteuid() == 0 {
			log.Printf("%v; running apt-get update", err)
			if out, uerr := exec.Command("apt-get", "update").CombinedOutput(); uerr != nil {
				log.Printf("apt-get update: %v\n%s", uerr, out)
			}
			name, err = resolvePackage()
		}
		if err != nil {
			cached, _ := filepath.Glob(filepath.Join(cache, "linux-image-*-cloud-amd64_*.deb"))
			if len(cached) == 0 {
				return "", "", err
			}
			sort.Strings(cached)
			deb = cached[len(cached)-1]
			log.Printf("%v; using cached %s", err, filepath.Base(deb))
			return deb, strings.SplitN(filepath.Base(deb), "_", 2)[0], nil
		}
	}
	// A package name keeps its ABI number across some updates, so look
	// for the candidate version's file, not just any file of that name.
	if v, err := candidateVersion(name); err == nil {
		want := filepath.Join(cache, name+"_"+strings.ReplaceAll(v, ":", "%3a")+"_amd64.deb")
		if _, err := os.Stat(want); err == nil {
			return want, name, nil
		}
	} else if cached, _ := filepath.Glob(filepath.Join(cache, name+"_*.deb")); len(cached) > 0 {
		sort.Strings(cached)
		return cached[len(cached)-1], name, nil
	}
	log.Printf("downloading %s (resolved from %s)", name, metapackage)
	abs, _ := filepath.Abs(cache)
	// The download runs as root when make runs as root; tell apt not to
	// drop to the _apt user, which cannot write into the build tree.
	cmd := exec.Command("apt-get", "download", "-o", "APT::Sandbox::User=root", name)
	cmd.Dir = abs
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", "", fmt.Errorf("apt-get download %s: %w", name, err)
	}
	cached, _ := filepath.Glob(filepath.Join(cache, name+"_*.deb"))
	if len(cached) == 0 {
		return "", "", fmt.Errorf("apt-get download %s left no .deb in %s", name, cache)
	}
	sort.Strings(cached)
	return cached[len(cached)-1], name, nil
}

// extract unpacks deb into cache/<deb name>/root once.
func extract(cache, deb string) (string, error) {
	dir := filepath.Join(cache, strings.TrimSuffix(filepath.Base(deb), "_amd64.deb"))
	root := filepath.Join(dir, "root")
	if _, err := os.Stat(filepath.Join(dir, ".done")); err == nil {
		return root, nil
	}
	os.RemoveAll(dir)
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", err
	}
	log.Printf("extracting %s", filepath.Base(deb))
	if out, err := exec.Command("dpkg-deb", "-x", deb, root).CombinedOutput(); err != nil {
		return "", fmt.Errorf("dpkg-deb -x %s: %v\n%s", deb, err, out)
	}
	return root, os.WriteFile(filepath.Join(dir, ".done"), nil, 0o644)
}

// findKernel returns root/boot/vmlinuz-<release> and the release.
func findKernel(root string) (string, string, error) {
	m, _ := filepath.Glob(filepath.Join(root, "boot", "vmlinuz-*"))
	if len(m) != 1 {
		return "", "", fmt.Errorf("want one vmlinuz-* in %s/boot, found %d", root, len(m))
	}
	release := strings.TrimPrefix(filepath.Base(m[0]), "vmlinuz-")
	if _, err := os.Stat(filepath.Join(root, "lib", "modules", release)); err != nil {
		return "", "", err
	}
	return m[0], release, nil
}

// writeVmlinux extracts the ELF kernel from the bzImage, checks that it
// has a PVH entry point, and keeps a copy in the cache.
func writeVmlinux(bzPath, cached, dst string) (int64, error) {
	if v, err := os.ReadFile(cached); err == nil {
		return int64(len(v)), writeAtomic(dst, v)
	}
	bz, err := os.ReadFile(bzPath)
	if err != nil {
		return 0, err
	}
	v, err := kernel.ExtractVmlinux(bz)
	if err != nil {
		return 0, err
	}
	if _, err := kernel.PVHEntry(v); err != nil {
		return 0, err
	}
	if err := writeAtomic(cached, v); err != nil {
		return 0, err
	}
	return int64(len(v)), writeAtomic(dst, v)
}

func buildInit(dst string) error {
	log.Printf("building /init (CGO_ENABLED=0)")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", dst, "./unikernel/cmd/init")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	return cmd.Run()
}

// checkStatic refuses an /init that needs a dynamic loader: the image has
// no libc.
func checkStatic(path string) error {
	f, err := elf.Open(path)
	if err != nil {
		return fmt.Errorf("/init %s: %w", path, err)
	}
	defer f.Close()
	if f.Machine != elf.EM_X86_64 {
		return fmt.Errorf("/init %s: machine %v, want x86-64", path, f.Machine)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("/init %s is dynamically linked; build with CGO_ENABLED=0", path)
		}
	}
	return nil
}

func copyFile(src, dst string) (int64, error) {
	data, err := os.ReadFile(src)
	if err != nil {
		return 0, err
	}
	return int64(len(data)), writeAtomic(dst, data)
}

func writeAtomic(dst string, data []byte) error {
	tmp := dst + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

func list(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	var r io.Reader = br
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return err
		}
		r = zr
	} else if magic, _ := br.Peek(4); bytes.Equal(magic, []byte{0x02, 0x21, 0x4c, 0x18}) {
		data, err := io.ReadAll(br)
		if err != nil {
			return err
		}
		cpio, err := kernel.DecodeLZ4Legacy(data)
		if err != nil {
			return err
		}
		r = bytes.NewReader(cpio)
	}
	cr := initramfs.NewReader(r)
	for {
		h, _, err := cr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		fmt.Printf("%07o %9d %3d,%-3d %s\n", h.Mode, h.Size, h.RDevMajor, h.RDevMinor, h.Name)
	}
}
