package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wasmhost/wit-bindgen-go-host/codegen"
	"github.com/wasmhost/wit-bindgen-go-host/parser"
	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// loadFlags are the flags shared by every command that reads WIT.
type loadFlags struct {
	world       string
	features    []string
	allFeatures bool
}

func (f *loadFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.world, "world", "", "world to use (name in the main package, or ns:pkg/world@version); default: the only world")
	cmd.Flags().StringSliceVar(&f.features, "features", nil, "enable these @unstable features (comma-separated)")
	cmd.Flags().BoolVar(&f.allFeatures, "all-features", false, "enable every @unstable feature")
	cmd.MarkFlagsMutuallyExclusive("features", "all-features")
}

func (f *loadFlags) load(path string) (*wit.Resolve, *wit.Package, error) {
	return parser.LoadPath(path, parser.Options{Features: f.features, AllFeatures: f.allFeatures})
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "wit-bindgen-go-host",
		Short: "Generate Go host bindings for WebAssembly guests from WIT",
		Long: `wit-bindgen-go-host reads WIT packages and worlds with a pure-Go front end,
prints them as WIT or as wasm-tools' JSON, and generates Go host bindings
(host interfaces for the guest's imports, typed wrappers for its exports and
canonical-ABI lifting and lowering) that run on wazero.`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newWitCmd(), newGenerateCmd())
	return root
}

func newWitCmd() *cobra.Command {
	var lf loadFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "wit [flags] PATH",
		Short: "Parse and resolve WIT, then print it as normalised WIT or as JSON",
		Long: `wit parses and resolves PATH (a .wit file, or a directory package with an
optional deps/ folder) and prints the main package as normalised WIT, or with
--world only that world. With --json it prints the whole resolve in the JSON
format of 'wasm-tools component wit --json'.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, pkg, err := lf.load(args[0])
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				b, err := r.MarshalJSON()
				if err != nil {
					return err
				}
				_, err = fmt.Fprintf(out, "%s\n", b)
				return err
			}
			if lf.world != "" {
				w, err := parser.SelectWorld(r, pkg, lf.world)
				if err != nil {
					return err
				}
				_, err = fmt.Fprint(out, w.WIT())
				return err
			}
			_, err = fmt.Fprint(out, r.PrintPackage(pkg))
			return err
		},
	}
	lf.register(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the resolve as wasm-tools JSON")
	return cmd
}

func newGenerateCmd() *cobra.Command {
	var lf loadFlags
	var outDir, pkgName string
	var guest bool
	cmd := &cobra.Command{
		Use:   "generate [flags] PATH",
		Short: "Generate a Go package of host bindings for a WIT world",
		Long: `generate reads the WIT at PATH, selects a world and writes a Go package of
host bindings into --out (default: the current directory). With --guest it
writes the guest side instead: a package for GOOS=wasip1 guests built with
-buildmode=c-shared. The output is gofmt-ed and deterministic.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, pkg, err := lf.load(args[0])
			if err != nil {
				return err
			}
			w, err := parser.SelectWorld(r, pkg, lf.world)
			if err != nil {
				return err
			}
			gen := codegen.Generate
			if guest {
				gen = codegen.GenerateGuest
			}
			files, err := gen(r, w, codegen.Options{
				PackageName: pkgName,
				SourceName:  sourceName(args[0]),
			})
			if err != nil {
				return err
			}
			if err := os.MkdirAll(outDir, 0o755); err != nil {
				return err
			}
			for _, f := range files {
				p := filepath.Join(outDir, f.Name)
				if err := os.WriteFile(p, f.Content, 0o644); err != nil {
					return err
				}
				fmt.Fprintln(cmd.ErrOrStderr(), "wrote", p)
			}
			return nil
		},
	}
	lf.register(cmd)
	cmd.Flags().StringVar(&outDir, "out", ".", "output directory")
	cmd.Flags().StringVar(&pkgName, "package", "", "Go package name (default: derived from the world name)")
	cmd.Flags().BoolVar(&guest, "guest", false, "generate guest bindings (a GOOS=wasip1 package using go:wasmimport/go:wasmexport) instead of host bindings")
	return cmd
}

// sourceName returns the name of the WIT input as recorded in generated
// headers: relative to the working directory when that is possible without
// leaving it, else the base name, so outputs never embed absolute paths.
func sourceName(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, "../") {
				return filepath.ToSlash(rel)
			}
		}
	}
	return filepath.Base(path)
}
