//go:build linux

package main

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// mountEarly mounts the pseudo-filesystems PID 1 needs.
func mountEarly() error {
	for _, m := range []struct {
		src, dst, fstype string
		flags            uintptr
		data             string
	}{
		{"proc", "/proc", "proc", unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC, ""},
		{"sysfs", "/sys", "sysfs", unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC, ""},
		{"devtmpfs", "/dev", "devtmpfs", unix.MS_NOSUID, "mode=0755"},
		{"tmpfs", "/tmp", "tmpfs", unix.MS_NOSUID | unix.MS_NODEV, "mode=1777"},
	} {
		if err := os.MkdirAll(m.dst, 0o755); err != nil {
			return err
		}
		err := unix.Mount(m.src, m.dst, m.fstype, m.flags, m.data)
		if err != nil && !errors.Is(err, unix.EBUSY) {
			return fmt.Errorf("mount %s on %s: %w", m.fstype, m.dst, err)
		}
	}
	return nil
}

// configureNetwork waits for iface to appear (the driver probes
// asynchronously), then sets lo up and iface to addr (CIDR) and up, with
// the classic SIOCSIF* ioctls. No route is added: QEMU's hostfwd connects
// from the same /24 and restrict=on forbids outbound traffic anyway.
func configureNetwork(iface, cidr string, wait time.Duration) error {
	ip, ipnet, err := net.ParseCIDR(cidr)
	if err != nil {
		return err
	}
	ip4 := ip.To4()
	if ip4 == nil {
		return fmt.Errorf("%s: only IPv4 is supported", cidr)
	}
	deadline := time.Now().Add(wait)
	for {
		if _, err := os.Stat("/sys/class/net/" + iface); err == nil {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("network interface %s did not appear within %v", iface, wait)
		}
		time.Sleep(2 * time.Millisecond)
	}
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	if err := ifUp(fd, "lo"); err != nil {
		return err
	}
	ifr, err := unix.NewIfreq(iface)
	if err != nil {
		return err
	}
	if err := ifr.SetInet4Addr(ip4); err != nil {
		return err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCSIFADDR, ifr); err != nil {
		return fmt.Errorf("SIOCSIFADDR %s: %w", iface, err)
	}
	ifr, _ = unix.NewIfreq(iface)
	if err := ifr.SetInet4Addr(net.IP(ipnet.Mask).To4()); err != nil {
		return err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCSIFNETMASK, ifr); err != nil {
		return fmt.Errorf("SIOCSIFNETMASK %s: %w", iface, err)
	}
	return ifUp(fd, iface)
}

func ifUp(fd int, name string) error {
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		return err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return fmt.Errorf("SIOCGIFFLAGS %s: %w", name, err)
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP | unix.IFF_RUNNING)
	if err := unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr); err != nil {
		return fmt.Errorf("SIOCSIFFLAGS %s: %w", name, err)
	}
	return nil
}

// mountDisk waits for the block device and mounts it.
func mountDisk(dev, dst, fstype string, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		if _, err := os.Stat(dev); err == nil {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("disk %s did not appear within %v (is there a -drive?)", dev, wait)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	if err := unix.Mount(dev, dst, fstype, unix.MS_NOATIME, ""); err != nil {
		return fmt.Errorf("mount %s (%s) on %s: %w", dev, fstype, dst, err)
	}
	return nil
}

// watchConsole turns Ctrl-C typed on the serial console into a clean
// power-off. QEMU's stdio chardev passes the byte through when started with
// signal=off (the unikernel-run target does that); PID 1 has no
// controlling terminal, so the tty would not raise SIGINT by itself.
func (s *system) watchConsole() {
	t, err := unix.IoctlGetTermios(0, unix.TCGETS)
	if err != nil {
		return // not a tty
	}
	t.Lflag &^= unix.ICANON | unix.ISIG | unix.ECHO
	t.Cc[unix.VMIN] = 1
	t.Cc[unix.VTIME] = 0
	if err := unix.IoctlSetTermios(0, unix.TCSETS, t); err != nil {
		return
	}
	go func() {
		buf := make([]byte, 64)
		for {
			n, err := os.Stdin.Read(buf)
			if err != nil {
				return
			}
			for _, b := range buf[:n] {
				if b == 0x03 {
					s.stop("Ctrl-C on the console")
					return
				}
			}
		}
	}()
}

// powerOff syncs and powers the machine off. As an ordinary process it
// exits instead. It never returns.
func (s *system) powerOff(reason string) {
	if !s.pid1 {
		s.logf("exit: %s", reason)
		os.Exit(0)
	}
	unix.Sync()
	if s.cfg.KV.Backend == "fs" && s.cfg.KV.Mount != "" {
		_ = unix.Unmount(s.cfg.KV.Mount, 0)
	}
	s.logf("power off: %s", reason)
	err := unix.Reboot(unix.LINUX_REBOOT_CMD_POWER_OFF)
	s.logf("power off failed (%v); halting via restart, which QEMU -no-reboot turns into an exit", err)
	_ = unix.Reboot(unix.LINUX_REBOOT_CMD_RESTART)
	select {}
}

// kernelUptime returns the first field of /proc/uptime, in seconds.
func kernelUptime() float64 {
	data, err := os.ReadFile("/proc/uptime")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
}

// cpuHasFlags reports whether /proc/cpuinfo lists all the flags.
func cpuHasFlags(flags ...string) bool {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || strings.TrimSpace(k) != "flags" {
			continue
		}
		have := map[string]bool{}
		for _, x := range strings.Fields(v) {
			have[x] = true
		}
		for _, x := range flags {
			if !have[x] {
				return false
			}
		}
		return true
	}
	return false
}

// procKB reads "Key:   123 kB" lines from a /proc file.
func procKB(path string, keys ...string) map[string]int64 {
	out := map[string]int64{}
	data, err := os.ReadFile(path)
	if err != nil {
		return out
	}
	want := map[string]bool{}
	for _, k := range keys {
		want[k] = true
	}
	for _, line := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || !want[k] {
			continue
		}
		f := strings.Fields(v)
		if len(f) > 0 {
			n, _ := strconv.ParseInt(f[0], 10, 64)
			out[k] = n
		}
	}
	return out
}
