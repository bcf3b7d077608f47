// Command wit-bindgen-go-host-demo runs the demo's WebAssembly guests
// (demo/guests) on the host built from the generated bindings (demo/host).
//
//	wit-bindgen-go-host-demo run [--config FILE] [--listen ADDR] [--interpreter] GUEST.wasm
//
// An http-server-demo guest is served until SIGINT or SIGTERM (graceful
// shutdown) or until the guest stops its server; a keyvalue-demo or
// wasi-keyvalue-demo guest runs once, and the command exits non-zero when
// the guest reports a mismatch. Without --config the runner listens on
// 127.0.0.1:3000 and serves the container "my-container" from memory (plus
// "scratch" for the keyvalue guests).
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/wasmhost/wit-bindgen-go-host/demo/config"
	"github.com/wasmhost/wit-bindgen-go-host/demo/host"
)

func main() {
	if err := newRootCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "wit-bindgen-go-host-demo:", err)
		os.Exit(1)
	}
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "wit-bindgen-go-host-demo",
		Short:         "Run the Spiderlightning-style demo guests on wit-bindgen-go-host bindings",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newRunCmd())
	return root
}

type runFlags struct {
	config, listen, cacheDir string
	interpreter, verbose     bool
}

func newRunCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run [--config FILE] [--listen ADDR] GUEST.wasm",
		Short: "Run a demo guest (http-server-demo, keyvalue-demo or wasi-keyvalue-demo)",
		Long: `run loads GUEST.wasm (a Go guest built with GOOS=wasip1 -buildmode=c-shared)
and runs it on the world it targets:

  http-server-demo    runs the guest's init, then serves its routes on the
                      config's listen address (default 127.0.0.1:3000) until
                      SIGINT/SIGTERM, which shut down gracefully;
  keyvalue-demo,
  wasi-keyvalue-demo  calls the guest's run export once; a mismatch the guest
                      reports makes the command exit with status 1.

The config file (slightfile-like TOML, see demo/config/example.toml) chooses
the key-value backend of each container (memory, filesystem, redis), the
listen address and the limits. Without it: listen on 127.0.0.1:3000 and
serve "my-container" (and, for the keyvalue guests, "scratch") from memory.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return run(ctx, f, args[0])
		},
	}
	cmd.Flags().StringVar(&f.config, "config", "", "config file (TOML); default: in-memory store, 127.0.0.1:3000")
	cmd.Flags().StringVar(&f.listen, "listen", "", "listen address, overriding the config (host:port)")
	cmd.Flags().BoolVar(&f.interpreter, "interpreter", false, "use wazero's interpreter instead of its compiler")
	cmd.Flags().StringVar(&f.cacheDir, "cache-dir", "", "wazero compilation cache directory")
	cmd.Flags().BoolVarP(&f.verbose, "verbose", "v", false, "log at debug level")
	return cmd
}

func run(ctx context.Context, f runFlags, guestPath string) error {
	level := slog.LevelInfo
	if f.verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	wasm, err := os.ReadFile(guestPath)
	if err != nil {
		return err
	}
	world, err := host.WorldOfWasm(wasm)
	if err != nil {
		return err
	}
	var cfg *config.Config
	if f.config != "" {
		if cfg, err = config.Load(f.config); err != nil {
			return err
		}
	} else {
		cfg = config.Default()
		if world != host.HTTPServerDemo {
			cfg.Containers = append(cfg.Containers, config.Container{Name: "scratch", Backend: config.Memory})
		}
	}
	if f.listen != "" {
		if _, _, err := net.SplitHostPort(f.listen); err != nil {
			return fmt.Errorf("--listen %q: %w", f.listen, err)
		}
		cfg.HTTP.Listen = f.listen
	}
	opts := &host.Options{Interpreter: f.interpreter, CompilationCacheDir: f.cacheDir, Logger: log, GuestOutput: os.Stderr}
	if world != host.HTTPServerDemo {
		if err := host.Run(ctx, wasm, cfg, opts); err != nil {
			return err
		}
		log.Info("guest run succeeded", "world", world)
		return nil
	}
	log.Info("starting", "world", world, "listen", cfg.HTTP.Listen)
	err = host.Serve(ctx, nil, wasm, cfg, opts)
	if err == nil || errors.Is(err, context.Canceled) {
		log.Info("stopped")
		return nil
	}
	return err
}
