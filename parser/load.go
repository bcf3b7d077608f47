package parser

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// Options control loading.
type Options struct {
	// Features lists the enabled @unstable features.
	Features []string
	// AllFeatures enables every @unstable feature.
	AllFeatures bool
}

// LoadPath loads a .wit file, or a directory package (all its *.wit files
// form the root package, or several when nested `package x:y {}` blocks are
// used; each entry of dir/deps/ is a dependency: a *.wit file or a directory
// of *.wit files; other files are ignored; *.wasm/*.wat deps are reported as
// unsupported with a clear error). Returns the resolve and the main (root)
// package.
func LoadPath(path string, opts Options) (*wit.Resolve, *wit.Package, error) {
	l := newLoader(opts)
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	var main *pkgGroup
	var deps []*pkgGroup
	if st.IsDir() {
		if main, err = l.parseDir(path); err != nil {
			return nil, nil, err
		}
		if deps, err = l.parseDepsDir(filepath.Join(path, "deps")); err != nil {
			return nil, nil, err
		}
	} else {
		if isWasmPath(path) {
			return nil, nil, unsupportedWasm(path)
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, nil, err
		}
		if main, err = l.parseFiles([]string{path}, [][]byte{src}); err != nil {
			return nil, nil, err
		}
	}
	pkg, err := l.finish(main, deps)
	if err != nil {
		return nil, nil, err
	}
	return l.res, pkg, nil
}

// LoadSource loads one file's contents (no deps).
func LoadSource(path string, src []byte, opts Options) (*wit.Resolve, *wit.Package, error) {
	l := newLoader(opts)
	main, err := l.parseFiles([]string{path}, [][]byte{src})
	if err != nil {
		return nil, nil, err
	}
	pkg, err := l.finish(main, nil)
	if err != nil {
		return nil, nil, err
	}
	return l.res, pkg, nil
}

// SelectWorld picks a world like wit-parser's Resolve::select_world: name
// "" means the main package's only world (error if zero or several);
// otherwise "world" in the main package or a fully qualified
// "ns:pkg/world@ver".
func SelectWorld(r *wit.Resolve, main *wit.Package, name string) (*wit.World, error) {
	if r == nil {
		return nil, fmt.Errorf("no resolve")
	}
	if name == "" {
		if main == nil {
			return nil, fmt.Errorf("no main packages defined")
		}
		switch len(main.Worlds) {
		case 0:
			return nil, fmt.Errorf("the main package `%s` contains no worlds", main.Name)
		case 1:
			return main.Worlds[0], nil
		}
		var b strings.Builder
		fmt.Fprintf(&b, "There are multiple worlds in `%s`; one must be explicitly chosen:", main.Name)
		for _, w := range main.Worlds {
			b.WriteString("\n  ")
			b.WriteString(worldID(w))
		}
		return nil, fmt.Errorf("%s", b.String())
	}
	colon := strings.IndexByte(name, ':')
	if colon < 0 {
		if !validIdent(name) {
			return nil, fmt.Errorf("failed to parse world specifier `%s`", name)
		}
		if main == nil {
			return nil, fmt.Errorf("no main packages defined")
		}
		if w := main.World(name); w != nil {
			return w, nil
		}
		return nil, fmt.Errorf("world `%s` not found in package `%s`", name, main.Name)
	}
	ns, rest := name[:colon], name[colon+1:]
	slash := strings.IndexByte(rest, '/')
	if slash < 0 {
		return nil, fmt.Errorf("failed to parse world specifier `%s`", name)
	}
	pkgName, world := rest[:slash], rest[slash+1:]
	version := ""
	if at := strings.IndexByte(world, '@'); at >= 0 {
		world, version = world[:at], world[at+1:]
		if _, ok := parseSemver(version); !ok {
			return nil, fmt.Errorf("failed to parse world specifier `%s`", name)
		}
	}
	if !validIdent(ns) || !validIdent(pkgName) || !validIdent(world) {
		return nil, fmt.Errorf("failed to parse world specifier `%s`", name)
	}
	want := wit.PackageName{Namespace: ns, Name: pkgName, Version: version}
	var pkg *wit.Package
	for _, p := range r.Packages {
		if p.Name == want {
			pkg = p
			break
		}
	}
	if pkg == nil {
		if version == "" {
			var cands []*wit.Package
			for _, p := range r.Packages {
				if p.Name.Namespace == ns && p.Name.Name == pkgName && p.Name.Version != "" {
					cands = append(cands, p)
				}
			}
			if len(cands) > 1 {
				return nil, fmt.Errorf("package name `%s` is available at both versions %s and %s but which is not specified", want, cands[0].Name.Version, cands[1].Name.Version)
			}
			if len(cands) == 1 {
				pkg = cands[0]
			}
		}
		if pkg == nil {
			return nil, fmt.Errorf("unknown package `%s`", want)
		}
	}
	if w := pkg.World(world); w != nil {
		return w, nil
	}
	return nil, fmt.Errorf("world `%s` not found in package `%s`", world, pkg.Name)
}

func worldID(w *wit.World) string {
	if w.Package == nil {
		return w.Name
	}
	n := w.Package.Name
	s := n.Namespace + ":" + n.Name + "/" + w.Name
	if n.Version != "" {
		s += "@" + n.Version
	}
	return s
}

// validIdent reports whether s is a WIT identifier (kebab-case words,
// optionally %-prefixed).
func validIdent(s string) bool {
	s = strings.TrimPrefix(s, "%")
	if s == "" {
		return false
	}
	for _, part := range strings.Split(s, "-") {
		if part == "" {
			return false
		}
		for i := 0; i < len(part); i++ {
			c := part[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				return false
			}
		}
		if part[0] >= '0' && part[0] <= '9' {
			return false
		}
	}
	return true
}

// loader holds the state of one load: the Resolve being built and the
// sources (for error messages).
type loader struct {
	opts      Options
	features  map[string]bool
	res       *wit.Resolve
	pkgByName map[wit.PackageName]*wit.Package
	pkgOrder  []wit.PackageName
	srcs      map[string][]byte
	// name indexes of resolved packages and interfaces (built lazily).
	ifaceIdx map[*wit.Package]map[string]*wit.Interface
	typeIdx  map[*wit.Interface]map[string]*wit.TypeDef
}

func newLoader(opts Options) *loader {
	l := &loader{
		opts:      opts,
		features:  make(map[string]bool, len(opts.Features)),
		res:       &wit.Resolve{},
		pkgByName: make(map[wit.PackageName]*wit.Package),
		srcs:      make(map[string][]byte),
		ifaceIdx:  make(map[*wit.Package]map[string]*wit.Interface),
		typeIdx:   make(map[*wit.Interface]map[string]*wit.TypeDef),
	}
	for _, f := range opts.Features {
		l.features[f] = true
	}
	return l
}

func (l *loader) errf(sp Span, format string, args ...any) error {
	return newError(l.srcs[sp.Pos.Filename], sp, format, args...)
}

func (l *loader) ifaceOf(p *wit.Package, name string) *wit.Interface {
	m := l.ifaceIdx[p]
	if m == nil {
		m = make(map[string]*wit.Interface, len(p.Interfaces))
		for _, i := range p.Interfaces {
			m[i.Name] = i
		}
		l.ifaceIdx[p] = m
	}
	return m[name]
}

func (l *loader) typeOf(i *wit.Interface, name string) *wit.TypeDef {
	m := l.typeIdx[i]
	if m == nil {
		m = make(map[string]*wit.TypeDef, len(i.Types))
		for _, t := range i.Types {
			m[t.Name] = t
		}
		l.typeIdx[i] = m
	}
	return m[name]
}

// pkgGroup is what one file or directory declares: its main package and the
// packages of its nested `package x:y { ... }` blocks.
type pkgGroup struct {
	main   *unresolvedPkg
	nested []*unresolvedPkg
	// resolvers after the first phase
	mainR   *pkgResolver
	nestedR []*pkgResolver
}

func isWasmPath(p string) bool {
	ext := strings.ToLower(filepath.Ext(p))
	return ext == ".wasm" || ext == ".wat"
}

func unsupportedWasm(p string) error {
	return &Error{Span: Span{Pos: wit.Pos{Filename: p}}, Msg: "WIT packages encoded as WebAssembly (*.wasm, *.wat) are not supported; use the WIT text form"}
}

// parseDir parses the *.wit files of a directory (sorted by name) as one
// package group.
func (l *loader) parseDir(dir string) (*pkgGroup, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var paths []string
	var srcs [][]byte
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".wit" {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if e.Type()&os.ModeSymlink != 0 {
			if st, err := os.Stat(p); err != nil || st.IsDir() {
				continue
			}
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		paths = append(paths, p)
		srcs = append(srcs, src)
	}
	return l.parseFiles(paths, srcs)
}

// parseDepsDir parses each entry of a deps directory, sorted by name.
func (l *loader) parseDepsDir(dir string) ([]*pkgGroup, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil
		}
		return nil, err
	}
	var groups []*pkgGroup
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		isDir := e.IsDir()
		if e.Type()&os.ModeSymlink != 0 {
			st, err := os.Stat(p)
			if err != nil {
				return nil, err
			}
			isDir = st.IsDir()
		}
		switch {
		case isDir:
			g, err := l.parseDir(p)
			if err != nil {
				return nil, err
			}
			groups = append(groups, g)
		case filepath.Ext(p) == ".wit":
			src, err := os.ReadFile(p)
			if err != nil {
				return nil, err
			}
			g, err := l.parseFiles([]string{p}, [][]byte{src})
			if err != nil {
				return nil, err
			}
			groups = append(groups, g)
		case isWasmPath(p):
			return nil, unsupportedWasm(p)
		}
	}
	return groups, nil
}

// parseFiles parses files that form one package group and runs the first
// resolution phase on its packages.
func (l *loader) parseFiles(paths []string, srcs [][]byte) (*pkgGroup, error) {
	g := &pkgGroup{main: &unresolvedPkg{}}
	for i, path := range paths {
		l.srcs[path] = srcs[i]
		f, err := ParseFile(path, srcs[i])
		if err != nil {
			return nil, err
		}
		if f == nil {
			continue
		}
		var items []Item
		for _, it := range f.Items {
			np, ok := it.(*NestedPackage)
			if !ok {
				items = append(items, it)
				continue
			}
			for _, inner := range np.Items {
				if inp, ok := inner.(*NestedPackage); ok {
					return nil, l.errf(inp.Name.Span, "nested packages must be placed at the top-level")
				}
			}
			nu := &unresolvedPkg{name: np.Name.Wit(), nameSpan: np.Name.Span, hasName: true, docs: docsOf(np.Docs)}
			nu.decls = [][]Item{np.Items}
			g.nested = append(g.nested, nu)
			r := newPkgResolver(l, nu)
			if err := r.resolve(); err != nil {
				return nil, err
			}
			g.nestedR = append(g.nestedR, r)
		}
		var docs AstDocs
		if f.Package != nil {
			docs = f.Package.Docs
		}
		if err := g.main.add(l, f.Package, docs, items); err != nil {
			return nil, err
		}
	}
	r := newPkgResolver(l, g.main)
	if err := r.resolve(); err != nil {
		return nil, err
	}
	g.mainR = r
	return g, nil
}

// finish sorts the packages of all groups topologically and appends them to
// the Resolve, like wit-parser's sort_unresolved_packages.
func (l *loader) finish(main *pkgGroup, deps []*pkgGroup) (*wit.Package, error) {
	byName := make(map[wit.PackageName]*pkgResolver)
	var names []wit.PackageName
	insert := func(g *pkgGroup) error {
		for _, r := range append(slices.Clone(g.nestedR), g.mainR) {
			n := r.u.name
			if prev, dup := byName[n]; dup {
				return l.errf(r.u.nameSpan, "package `%s` is defined in two different locations:\n  * %s\n  * %s", n, r.u.nameSpan.Pos, prev.u.nameSpan.Pos)
			}
			byName[n] = r
			names = append(names, n)
		}
		return nil
	}
	if err := insert(main); err != nil {
		return nil, err
	}
	for _, g := range deps {
		if err := insert(g); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(names, comparePackageNames)

	done := make(map[wit.PackageName]bool)
	visiting := make(map[wit.PackageName]bool)
	var order []*pkgResolver
	var visit func(r *pkgResolver, depth int) error
	visit = func(r *pkgResolver, depth int) error {
		if done[r.u.name] {
			return nil
		}
		if depth > 10000 {
			return l.errf(r.u.nameSpan, "package nesting too deep")
		}
		for _, fp := range r.foreignPkgs {
			if visiting[fp.name] {
				return l.errf(fp.span, "package `%s` creates a dependency cycle", fp.name)
			}
			visiting[fp.name] = true
			if dep := byName[fp.name]; dep != nil {
				if err := visit(dep, depth+1); err != nil {
					return err
				}
			}
			delete(visiting, fp.name)
		}
		done[r.u.name] = true
		order = append(order, r)
		return nil
	}
	for _, n := range names {
		if err := visit(byName[n], 0); err != nil {
			return nil, err
		}
	}
	var mainPkg *wit.Package
	for _, r := range order {
		pkg, err := l.push(r)
		if err != nil {
			return nil, err
		}
		if r == main.mainR {
			mainPkg = pkg
		}
	}
	return mainPkg, nil
}

func comparePackageNames(a, b wit.PackageName) int {
	if c := cmp.Compare(a.Namespace, b.Namespace); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	switch {
	case a.Version == b.Version:
		return 0
	case a.Version == "":
		return -1
	case b.Version == "":
		return 1
	}
	return compareSemver(a.Version, b.Version)
}

// semver is a parsed semantic version.
type semver struct {
	major, minor, patch uint64
	pre                 []string
	build               string
}

func parseSemver(s string) (semver, bool) {
	var v semver
	if i := strings.IndexByte(s, '+'); i >= 0 {
		s, v.build = s[:i], s[i+1:]
	}
	if i := strings.IndexByte(s, '-'); i >= 0 {
		pre := s[i+1:]
		s = s[:i]
		if pre == "" {
			return v, false
		}
		v.pre = strings.Split(pre, ".")
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return v, false
	}
	nums := [3]*uint64{&v.major, &v.minor, &v.patch}
	for i, p := range parts {
		n, err := strconv.ParseUint(p, 10, 64)
		if err != nil {
			return v, false
		}
		*nums[i] = n
	}
	return v, true
}

// compareSemver compares two versions by semver precedence (then build
// metadata), falling back to string order for malformed versions.
func compareSemver(a, b string) int {
	va, oka := parseSemver(a)
	vb, okb := parseSemver(b)
	if !oka || !okb {
		return strings.Compare(a, b)
	}
	if c := cmp.Compare(va.major, vb.major); c != 0 {
		return c
	}
	if c := cmp.Compare(va.minor, vb.minor); c != 0 {
		return c
	}
	if c := cmp.Compare(va.patch, vb.patch); c != 0 {
		return c
	}
	switch {
	case len(va.pre) == 0 && len(vb.pre) != 0:
		return 1
	case len(va.pre) != 0 && len(vb.pre) == 0:
		return -1
	}
	for i := 0; i < len(va.pre) && i < len(vb.pre); i++ {
		x, y := va.pre[i], vb.pre[i]
		nx, ex := strconv.ParseUint(x, 10, 64)
		ny, ey := strconv.ParseUint(y, 10, 64)
		switch {
		case ex == nil && ey == nil:
			if c := cmp.Compare(nx, ny); c != 0 {
				return c
			}
		case ex == nil:
			return -1
		case ey == nil:
			return 1
		default:
			if c := strings.Compare(x, y); c != 0 {
				return c
			}
		}
	}
	if c := cmp.Compare(len(va.pre), len(vb.pre)); c != 0 {
		return c
	}
	return strings.Compare(va.build, vb.build)
}
