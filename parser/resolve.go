package parser

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// This file holds the first resolution phase: it turns the ASTs of the files
// that form one package into that package's interfaces, worlds and type
// definitions, still detached from any wit.Resolve. References to items of
// other packages go through placeholders (an *wit.Interface, *wit.World or
// *wit.TypeDef recorded in the resolver's foreign tables) that the second
// phase (resolve_remap.go) connects to the packages already loaded.
//
// The structure and the order in which items are created follow wit-parser's
// crates/wit-parser/src/ast/resolve.rs, so that the final arenas come out in
// the same order as wit-parser's.

// maxAliasChain bounds walks along alias chains (defensive: chains are
// acyclic after the topological sort).
const maxAliasChain = 1 << 16

// unresolvedPkg is the set of declarations that form one package.
type unresolvedPkg struct {
	name     wit.PackageName
	nameSpan Span
	hasName  bool
	docs     wit.Docs
	docsSet  bool
	decls    [][]Item
}

// addFile adds a file's leading package declaration and its items (other
// than nested packages) to the package, with wit-parser's checks.
func (u *unresolvedPkg) add(l *loader, decl *PackageDecl, docs AstDocs, items []Item) error {
	if decl != nil {
		cur := decl.Name.Wit()
		if u.hasName && cur != u.name {
			return l.errf(decl.Name.Span, "package identifier `%s` does not match previous package name of `%s`", cur, u.name)
		}
		u.name = cur
		u.nameSpan = decl.Name.Span
		u.hasName = true
		if docs.Contents != "" {
			if u.docsSet {
				return l.errf(docs.Span, "found doc comments on multiple 'package' items")
			}
			u.docs = wit.Docs{Contents: docs.Contents}
			u.docsSet = true
		}
	}
	u.decls = append(u.decls, items)
	return nil
}

// astItem is a top-level name: an interface or a world.
type astItem struct {
	iface *wit.Interface
	world *wit.World
}

// scopeEntry is a name in an interface or world scope: a type definition,
// or another kind of item ("function") that cannot be used as a type.
type scopeEntry struct {
	t    *wit.TypeDef
	item string
	span Span
}

// scope is an insertion-ordered name table.
type scope struct {
	names []string
	m     map[string]*scopeEntry
}

func newScope() *scope { return &scope{m: make(map[string]*scopeEntry)} }

func (s *scope) get(name string) *scopeEntry {
	if s == nil {
		return nil
	}
	return s.m[name]
}

// foreignDep is an interface or world of another package named by a path.
type foreignDep struct {
	pkg   *foreignPkg
	name  string
	item  astItem
	stabs []wit.Stability
	span  Span // the item name in the first path naming it
}

// foreignPkg groups the foreign dependencies on one package.
type foreignPkg struct {
	name   wit.PackageName
	span   Span // the package name in the first path naming it
	deps   []*foreignDep
	byName map[string]*foreignDep
}

// pendingItem is a world import or export before the second phase.
type pendingItem struct {
	key  wit.WorldKey
	item *wit.WorldItem
	span Span
}

// itemList is an insertion-ordered map of world items.
type itemList struct {
	items []*pendingItem
	idx   map[wit.WorldKey]int
}

// insert adds or replaces key's item; it returns the previous item or nil.
func (m *itemList) insert(p *pendingItem) *pendingItem {
	if m.idx == nil {
		m.idx = make(map[wit.WorldKey]int)
	}
	if i, ok := m.idx[p.key]; ok {
		prev := m.items[i]
		m.items[i] = p
		return prev
	}
	m.idx[p.key] = len(m.items)
	m.items = append(m.items, p)
	return nil
}

func (m *itemList) get(k wit.WorldKey) *pendingItem {
	if i, ok := m.idx[k]; ok {
		return m.items[i]
	}
	return nil
}

// includeInfo is a world's `include`.
type includeInfo struct {
	stab  wit.Stability
	world *wit.World
	names []IncludeName
	span  Span
}

// worldState is the per-world data of the first phase.
type worldState struct {
	imports  itemList
	exports  itemList
	includes []includeInfo
}

// requiredResource is a foreign type that a handle requires to be a
// resource.
type requiredResource struct {
	t    *wit.TypeDef
	span Span
}

// anonKey identifies an anonymous type for deduplication, like wit-parser's
// Key.
type anonKey struct {
	kind  uint8
	a, b  wit.Type
	n     uint32
	tuple string
}

const (
	akBorrow uint8 = iota + 1
	akList
	akMap
	akFixed
	akOption
	akResult
	akFuture
	akStream
	akTuple
)

// pkgResolver runs the first phase for one package.
type pkgResolver struct {
	l *loader
	u *unresolvedPkg

	types  []*wit.TypeDef
	ifaces []*wit.Interface
	worlds []*wit.World

	// anon deduplicates anonymous types. While a package is in the first
	// phase, TypeDef.Index holds the type's position in types (used by
	// anonKey.tuple); the second phase sets the final index.
	anon map[anonKey]*wit.TypeDef

	cur          int
	astItems     []map[string]astItem
	packageItems map[string]astItem
	ifaceTypes   map[*wit.Interface]*scope
	worldState   map[*wit.World]*worldState

	foreignPkgs   []*foreignPkg
	foreignByName map[wit.PackageName]*foreignPkg
	foreignIface  map[*wit.Interface]*foreignDep
	foreignWorld  map[*wit.World]*foreignDep
	foreignIfaces []*wit.Interface
	foreignWorlds []*wit.World

	lookup *scope

	unknownTypes      []*wit.TypeDef
	unknownSpans      map[*wit.TypeDef]Span
	requiredResources []requiredResource
}

func newPkgResolver(l *loader, u *unresolvedPkg) *pkgResolver {
	return &pkgResolver{
		l:             l,
		u:             u,
		anon:          make(map[anonKey]*wit.TypeDef),
		packageItems:  make(map[string]astItem),
		ifaceTypes:    make(map[*wit.Interface]*scope),
		worldState:    make(map[*wit.World]*worldState),
		foreignByName: make(map[wit.PackageName]*foreignPkg),
		foreignIface:  make(map[*wit.Interface]*foreignDep),
		foreignWorld:  make(map[*wit.World]*foreignDep),
		unknownSpans:  make(map[*wit.TypeDef]Span),
	}
}

func (p *pkgResolver) errf(sp Span, format string, args ...any) error {
	return p.l.errf(sp, format, args...)
}

func (p *pkgResolver) allocType(t *wit.TypeDef) *wit.TypeDef {
	t.Index = len(p.types)
	p.types = append(p.types, t)
	return t
}

func (p *pkgResolver) allocIface(sp Span) *wit.Interface {
	i := &wit.Interface{Pos: sp.Pos}
	p.ifaces = append(p.ifaces, i)
	p.ifaceTypes[i] = newScope()
	return i
}

func (p *pkgResolver) allocWorld(sp Span) *wit.World {
	w := &wit.World{Pos: sp.Pos}
	p.worlds = append(p.worlds, w)
	p.worldState[w] = &worldState{}
	return w
}

// pathKind says what a path names in forEachPath.
type pathKind uint8

const (
	pathInterface pathKind = iota
	pathWorld
	pathUnknown
)

// forEachPath visits every use path of a declaration list in wit-parser's
// order. iface is the enclosing interface's name for uses inside named
// interfaces; names is nil when the path carries no `.{...}` list (hasNames
// false).
func forEachPath(items []Item, f func(iface *Ident, attrs []Attribute, path *UsePath, names []UseName, hasNames bool, kind pathKind) error) error {
	for _, it := range items {
		switch it := it.(type) {
		case *WorldDecl:
			var imports, exports []*ImportExport
			for _, wi := range it.Items {
				switch wi := wi.(type) {
				case *Use:
					if err := f(nil, wi.Attrs, &wi.From, wi.Names, true, pathInterface); err != nil {
						return err
					}
				case *Include:
					if err := f(&it.Name, wi.Attrs, &wi.From, nil, false, pathWorld); err != nil {
						return err
					}
				case *ImportExport:
					if wi.Export {
						exports = append(exports, wi)
					} else {
						imports = append(imports, wi)
					}
				}
			}
			visit := func(ie *ImportExport) error {
				switch ie.Kind {
				case ExternInterface:
					for _, ii := range ie.Items {
						if u, ok := ii.(*Use); ok {
							if err := f(nil, u.Attrs, &u.From, u.Names, true, pathInterface); err != nil {
								return err
							}
						}
					}
				case ExternPath, ExternNamedPath:
					return f(nil, ie.Attrs, &ie.Path, nil, false, pathInterface)
				}
				return nil
			}
			for _, ie := range imports {
				if err := visit(ie); err != nil {
					return err
				}
			}
			for _, ie := range exports {
				if err := visit(ie); err != nil {
					return err
				}
			}
		case *InterfaceDecl:
			for _, ii := range it.Items {
				if u, ok := ii.(*Use); ok {
					if err := f(&it.Name, u.Attrs, &u.From, u.Names, true, pathInterface); err != nil {
						return err
					}
				}
			}
		case *TopLevelUse:
			if err := f(nil, it.Attrs, &it.Path, nil, false, pathUnknown); err != nil {
				return err
			}
		case *NestedPackage:
			if err := forEachPath(it.Items, f); err != nil {
				return err
			}
		}
	}
	return nil
}

// resolve runs the first phase.
func (p *pkgResolver) resolve() error {
	if !p.u.hasName {
		return &Error{Msg: "no `package` header was found in any WIT file for this package"}
	}
	if err := p.populateForeignDeps(); err != nil {
		return err
	}
	ifaceOrder, worldOrder, err := p.populateAstItems()
	if err != nil {
		return err
	}
	if err := p.populateForeignTypes(); err != nil {
		return err
	}
	type ifaceAst struct {
		decl *InterfaceDecl
		file int
	}
	type worldAst struct {
		decl *WorldDecl
		file int
	}
	ifaceToAst := make(map[*wit.Interface]ifaceAst)
	worldToAst := make(map[*wit.World]worldAst)
	for i, items := range p.u.decls {
		for _, it := range items {
			switch it := it.(type) {
			case *InterfaceDecl:
				ifaceToAst[p.astItems[i][it.Name.Name].iface] = ifaceAst{it, i}
			case *WorldDecl:
				worldToAst[p.astItems[i][it.Name.Name].world] = worldAst{it, i}
			}
		}
	}
	for _, iface := range ifaceOrder {
		a := ifaceToAst[iface]
		p.cur = a.file
		if err := p.resolveInterface(iface, a.decl.Items, a.decl.Docs, a.decl.Attrs); err != nil {
			return err
		}
	}
	for _, w := range worldOrder {
		a := worldToAst[w]
		p.cur = a.file
		if err := p.resolveWorld(w, a.decl); err != nil {
			return err
		}
	}
	return nil
}

func (p *pkgResolver) populateForeignDeps() error {
	for _, items := range p.u.decls {
		err := forEachPath(items, func(_ *Ident, attrs []Attribute, path *UsePath, _ []UseName, _ bool, kind pathKind) error {
			if path.Package == nil {
				return nil
			}
			stab, err := p.stability(attrs)
			if err != nil {
				return err
			}
			pn := path.Package.Wit()
			fp := p.foreignByName[pn]
			if fp == nil {
				fp = &foreignPkg{name: pn, span: path.Package.Span, byName: make(map[string]*foreignDep)}
				p.foreignByName[pn] = fp
				p.foreignPkgs = append(p.foreignPkgs, fp)
			}
			d := fp.byName[path.Name.Name]
			if d == nil {
				d = &foreignDep{pkg: fp, name: path.Name.Name, span: path.Name.Span}
				if kind == pathWorld {
					w := p.allocWorld(path.Name.Span)
					d.item = astItem{world: w}
					p.foreignWorld[w] = d
					p.foreignWorlds = append(p.foreignWorlds, w)
				} else {
					i := p.allocIface(path.Name.Span)
					d.item = astItem{iface: i}
					p.foreignIface[i] = d
					p.foreignIfaces = append(p.foreignIfaces, i)
				}
				fp.byName[path.Name.Name] = d
				fp.deps = append(fp.deps, d)
			}
			d.stabs = append(d.stabs, stab)
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// orderedDeps is the input of toposort: names in insertion order with their
// dependency edges.
type orderedDeps struct {
	names []string
	idx   map[string]int
	edges [][]Ident
}

func newOrderedDeps() *orderedDeps { return &orderedDeps{idx: make(map[string]int)} }

// set inserts name (keeping the first position) and replaces its edges.
func (o *orderedDeps) set(name string, edges []Ident) {
	if i, ok := o.idx[name]; ok {
		o.edges[i] = edges
		return
	}
	o.idx[name] = len(o.names)
	o.names = append(o.names, name)
	o.edges = append(o.edges, edges)
}

// toposort orders the names so that dependencies come first, preferring
// source order, exactly like wit-parser's ast/toposort.rs.
func (p *pkgResolver) toposort(kind string, d *orderedDeps) ([]string, error) {
	n := len(d.names)
	remaining := make([]int, n)
	reverse := make([][]int, n)
	for i, edges := range d.edges {
		remaining[i] = len(edges)
		for _, e := range edges {
			j, ok := d.idx[e.Name]
			if !ok {
				return nil, p.errf(e.Span, "%s `%s` does not exist", kind, e.Name)
			}
			reverse[j] = append(reverse[j], i)
		}
	}
	// A min-heap of indices (smallest source index first).
	h := make(intHeap, 0, n)
	for i := 0; i < n; i++ {
		if remaining[i] == 0 {
			h.push(i)
		}
	}
	order := make([]string, 0, n)
	for len(h) > 0 {
		i := h.pop()
		order = append(order, d.names[i])
		rev := reverse[i]
		reverse[i] = nil
		for _, j := range rev {
			remaining[j]--
			if remaining[j] == 0 {
				h.push(j)
			}
		}
	}
	if len(order) == n {
		return order, nil
	}
	for i := 0; i < n; i++ {
		if remaining[i] == 0 {
			continue
		}
		for _, e := range d.edges[i] {
			if remaining[d.idx[e.Name]] == 0 {
				continue
			}
			return nil, p.errf(e.Span, "%s `%s` depends on itself", kind, e.Name)
		}
	}
	return nil, p.errf(Span{}, "%s dependency cycle", kind)
}

// intHeap is a binary min-heap of ints.
type intHeap []int

func (h *intHeap) push(v int) {
	*h = append(*h, v)
	a := *h
	i := len(a) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if a[parent] <= a[i] {
			break
		}
		a[parent], a[i] = a[i], a[parent]
		i = parent
	}
}

func (h *intHeap) pop() int {
	a := *h
	v := a[0]
	last := len(a) - 1
	a[0] = a[last]
	a = a[:last]
	i := 0
	for {
		l, r := 2*i+1, 2*i+2
		m := i
		if l < len(a) && a[l] < a[m] {
			m = l
		}
		if r < len(a) && a[r] < a[m] {
			m = r
		}
		if m == i {
			break
		}
		a[m], a[i] = a[i], a[m]
		i = m
	}
	*h = a
	return v
}

func (p *pkgResolver) populateAstItems() ([]*wit.Interface, []*wit.World, error) {
	packageItems := make(map[string]Span)
	names := make(map[string]Item)
	order := newOrderedDeps()
	for _, items := range p.u.decls {
		for _, it := range items {
			var id Ident
			switch it := it.(type) {
			case *InterfaceDecl:
				id = it.Name
			case *WorldDecl:
				id = it.Name
			default:
				continue
			}
			if _, dup := packageItems[id.Name]; dup {
				return nil, nil, p.errf(id.Span, "duplicate item named `%s`", id.Name)
			}
			packageItems[id.Name] = id.Span
			order.set(id.Name, nil)
			names[id.Name] = it
		}
	}

	type nsEntry struct {
		foreign bool
		local   Ident
	}
	for _, items := range p.u.decls {
		ns := make(map[string]nsEntry)
		for _, it := range items {
			var name Ident
			var e nsEntry
			switch it := it.(type) {
			case *TopLevelUse:
				name = it.Path.Name
				if it.As != nil {
					name = *it.As
				}
				if it.Path.Package == nil {
					e.local = it.Path.Name
				} else {
					e.foreign = true
				}
			case *InterfaceDecl:
				name, e.local = it.Name, it.Name
			case *WorldDecl:
				name, e.local = it.Name, it.Name
			default:
				continue
			}
			if _, dup := ns[name.Name]; dup {
				return nil, nil, p.errf(name.Span, "duplicate name `%s` in this file", name.Name)
			}
			ns[name.Name] = e
		}
		err := forEachPath(items, func(iface *Ident, _ []Attribute, path *UsePath, _ []UseName, _ bool, _ pathKind) error {
			if iface == nil || path.Package != nil {
				return nil
			}
			used := path.Name
			i := order.idx[iface.Name]
			if e, ok := ns[used.Name]; ok {
				if e.foreign {
					return nil
				}
				order.edges[i] = append(order.edges[i], e.local)
				return nil
			}
			if _, ok := packageItems[used.Name]; ok {
				order.edges[i] = append(order.edges[i], used)
				return nil
			}
			return p.errf(used.Span, "interface or world `%s` does not exist", used.Name)
		})
		if err != nil {
			return nil, nil, err
		}
	}

	sorted, err := p.toposort("interface or world", order)
	if err != nil {
		return nil, nil, err
	}
	ids := make(map[string]astItem, len(sorted))
	var ifaceOrder []*wit.Interface
	var worldOrder []*wit.World
	for _, name := range sorted {
		switch names[name].(type) {
		case *InterfaceDecl:
			i := p.allocIface(Span{Pos: packageItems[name].Pos, Len: packageItems[name].Len})
			i.Name = name
			ids[name] = astItem{iface: i}
			ifaceOrder = append(ifaceOrder, i)
		case *WorldDecl:
			w := p.allocWorld(packageItems[name])
			w.Name = name
			ids[name] = astItem{world: w}
			worldOrder = append(worldOrder, w)
		}
	}
	for _, items := range p.u.decls {
		m := make(map[string]astItem)
		for _, it := range items {
			var name string
			var item astItem
			isUse := false
			switch it := it.(type) {
			case *TopLevelUse:
				isUse = true
				if len(it.Attrs) != 0 {
					return nil, nil, p.errf(it.Span, "attributes not allowed on top-level use")
				}
				n := it.Path.Name
				if it.As != nil {
					n = *it.As
				}
				name = n.Name
				if it.Path.Package == nil {
					x, ok := ids[it.Path.Name.Name]
					if !ok {
						return nil, nil, p.errf(it.Path.Name.Span, "interface or world `%s` does not exist", it.Path.Name.Name)
					}
					item = x
				} else {
					fp := p.foreignByName[it.Path.Package.Wit()]
					if fp == nil || fp.byName[it.Path.Name.Name] == nil {
						return nil, nil, p.errf(it.Path.Name.Span, "interface or world `%s` does not exist", it.Path.Name.Name)
					}
					item = fp.byName[it.Path.Name.Name].item
				}
			case *InterfaceDecl:
				name, item = it.Name.Name, ids[it.Name.Name]
			case *WorldDecl:
				name, item = it.Name.Name, ids[it.Name.Name]
			default:
				continue
			}
			m[name] = item
			if !isUse {
				p.packageItems[name] = item
			}
		}
		p.astItems = append(p.astItems, m)
	}
	return ifaceOrder, worldOrder, nil
}

func (p *pkgResolver) populateForeignTypes() error {
	for i, items := range p.u.decls {
		p.cur = i
		err := forEachPath(items, func(_ *Ident, attrs []Attribute, path *UsePath, names []UseName, hasNames bool, _ pathKind) error {
			if !hasNames {
				return nil
			}
			stab, err := p.stability(attrs)
			if err != nil {
				return err
			}
			item, name, span, err := p.resolveAstItemPath(path)
			if err != nil {
				return err
			}
			iface, err := p.extractIface(item, name, span)
			if err != nil {
				return err
			}
			if p.foreignIface[iface] == nil {
				return nil
			}
			lookup := p.ifaceTypes[iface]
			for _, n := range names {
				if lookup.get(n.Name.Name) != nil {
					continue
				}
				t := &wit.TypeDef{Name: n.Name.Name, Owner: iface, Stability: stab, Pos: n.Name.Span.Pos}
				p.allocType(t)
				p.unknownTypes = append(p.unknownTypes, t)
				p.unknownSpans[t] = n.Name.Span
				lookup.m[n.Name.Name] = &scopeEntry{t: t, span: n.Name.Span}
				lookup.names = append(lookup.names, n.Name.Name)
				iface.Types = append(iface.Types, t)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (p *pkgResolver) resolveAstItemPath(path *UsePath) (astItem, string, Span, error) {
	if path.Package == nil {
		id := path.Name
		if p.cur < len(p.astItems) {
			if it, ok := p.astItems[p.cur][id.Name]; ok {
				return it, id.Name, id.Span, nil
			}
		}
		if it, ok := p.packageItems[id.Name]; ok {
			return it, id.Name, id.Span, nil
		}
		return astItem{}, "", Span{}, p.errf(id.Span, "interface or world `%s` does not exist", id.Name)
	}
	fp := p.foreignByName[path.Package.Wit()]
	if fp != nil {
		if d := fp.byName[path.Name.Name]; d != nil {
			return d.item, path.Name.Name, path.Name.Span, nil
		}
	}
	return astItem{}, "", Span{}, p.errf(path.Name.Span, "interface or world `%s` does not exist", path.Name.Name)
}

func (p *pkgResolver) extractIface(item astItem, name string, span Span) (*wit.Interface, error) {
	if item.iface != nil {
		return item.iface, nil
	}
	return nil, p.errf(span, "name `%s` is defined as a world, not an interface", name)
}

func (p *pkgResolver) extractWorld(item astItem, name string, span Span) (*wit.World, error) {
	if item.world != nil {
		return item.world, nil
	}
	return nil, p.errf(span, "name `%s` is defined as an interface, not a world", name)
}

func docsOf(d AstDocs) wit.Docs { return wit.Docs{Contents: d.Contents} }

func (p *pkgResolver) stability(attrs []Attribute) (wit.Stability, error) {
	switch len(attrs) {
	case 0:
		return nil, nil
	case 1:
		a := attrs[0]
		switch a.Kind {
		case AttrSince:
			return &wit.Stable{Since: a.Value}, nil
		case AttrUnstable:
			return &wit.Unstable{Feature: a.Value}, nil
		default:
			return nil, p.errf(a.Span, "must pair @deprecated with either @since or @unstable")
		}
	case 2:
		a, b := attrs[0], attrs[1]
		if a.Kind == AttrDeprecated {
			a, b = b, a
		}
		if b.Kind == AttrDeprecated {
			switch a.Kind {
			case AttrSince:
				return &wit.Stable{Since: a.Value, Deprecated: b.Value}, nil
			case AttrUnstable:
				return &wit.Unstable{Feature: a.Value, Deprecated: b.Value}, nil
			}
		}
	}
	return nil, p.errf(attrs[1].Span, "unsupported combination of attributes")
}

func (p *pkgResolver) resolveWorld(w *wit.World, decl *WorldDecl) error {
	w.Docs = docsOf(decl.Docs)
	stab, err := p.stability(decl.Attrs)
	if err != nil {
		return err
	}
	w.Stability = stab
	ws := p.worldState[w]

	if err := resolveBodyTypes(p, w, decl.Items); err != nil {
		return err
	}
	for _, it := range decl.Items {
		if inc, ok := it.(*Include); ok {
			if err := p.resolveInclude(ws, inc); err != nil {
				return err
			}
		}
	}
	for _, name := range p.lookup.names {
		e := p.lookup.m[name]
		prev := ws.imports.insert(&pendingItem{key: wit.WorldKey{Name: name}, item: &wit.WorldItem{Key: wit.WorldKey{Name: name}, Type: e.t}, span: e.span})
		if prev != nil {
			return p.errf(e.span, "import `%s` conflicts with prior import of same name", name)
		}
	}

	imported := make(map[*wit.Interface]bool)
	exported := make(map[*wit.Interface]bool)
	for _, it := range decl.Items {
		switch it := it.(type) {
		case *ImportExport:
			desc, dst, seen := "import", &ws.imports, imported
			if it.Export {
				desc, dst, seen = "export", &ws.exports, exported
			}
			item, span, err := p.resolveWorldItem(it)
			if err != nil {
				return err
			}
			var key wit.WorldKey
			kindSpan := it.Name.Span
			switch it.Kind {
			case ExternInterface, ExternNamedPath:
				key = wit.WorldKey{Name: it.Name.Name}
			case ExternFunc:
				key = wit.WorldKey{Name: item.Function.Name}
			case ExternPath:
				key = wit.WorldKey{Interface: item.Interface}
				kindSpan = it.Path.Span
			}
			if it.Kind == ExternPath {
				if seen[item.Interface] {
					return p.errf(kindSpan, "interface cannot be %sed more than once", desc)
				}
				seen[item.Interface] = true
			}
			item.Key = key
			if prev := dst.insert(&pendingItem{key: key, item: item, span: span}); prev != nil {
				what := "type"
				switch {
				case prev.item.Interface != nil:
					what = "interface"
				case prev.item.Function != nil:
					what = "func"
				}
				return p.errf(kindSpan, "%s `%s` conflicts with prior %s of same name", desc, key.Name, what)
			}
		case *TypeDecl:
			r, ok := it.Type.(*TypeResource)
			if !ok {
				continue
			}
			for i := range r.Funcs {
				f, err := p.resolveResourceFunc(&r.Funcs[i], it.Name)
				if err != nil {
					return err
				}
				k := wit.WorldKey{Name: f.Name}
				ws.imports.insert(&pendingItem{key: k, item: &wit.WorldItem{Key: k, Function: f}, span: Span{Pos: f.Pos, Len: len(f.BaseName())}})
			}
		}
	}
	p.lookup = nil
	return nil
}

func (p *pkgResolver) resolveWorldItem(ie *ImportExport) (*wit.WorldItem, Span, error) {
	switch ie.Kind {
	case ExternInterface:
		prev := p.lookup
		iface := p.allocIface(ie.Name.Span)
		if err := p.resolveInterface(iface, ie.Items, ie.Docs, ie.Attrs); err != nil {
			return nil, Span{}, err
		}
		p.lookup = prev
		return &wit.WorldItem{Interface: iface, Stability: iface.Stability}, ie.Name.Span, nil
	case ExternPath, ExternNamedPath:
		stab, err := p.stability(ie.Attrs)
		if err != nil {
			return nil, Span{}, err
		}
		item, name, span, err := p.resolveAstItemPath(&ie.Path)
		if err != nil {
			return nil, Span{}, err
		}
		iface, err := p.extractIface(item, name, span)
		if err != nil {
			return nil, Span{}, err
		}
		return &wit.WorldItem{Interface: iface, Stability: stab, Docs: docsOf(ie.Docs)}, span, nil
	case ExternFunc:
		if ie.Func == nil {
			return nil, Span{}, p.errf(ie.Name.Span, "missing function")
		}
		kind := wit.Freestanding
		if ie.Func.Async {
			kind = wit.AsyncFreestanding
		}
		f, err := p.resolveFunction(ie.Docs, ie.Attrs, ie.Name.Name, ie.Name.Span, ie.Func, kind, nil)
		if err != nil {
			return nil, Span{}, err
		}
		return &wit.WorldItem{Function: f}, ie.Name.Span, nil
	}
	return nil, Span{}, p.errf(ie.Span, "unknown world item")
}

func (p *pkgResolver) resolveInterface(iface *wit.Interface, items []InterfaceItem, docs AstDocs, attrs []Attribute) error {
	iface.Docs = docsOf(docs)
	stab, err := p.stability(attrs)
	if err != nil {
		return err
	}
	iface.Stability = stab

	if err := resolveBodyTypes(p, iface, items); err != nil {
		return err
	}
	iface.Types = make([]*wit.TypeDef, 0, len(p.lookup.names))
	for _, name := range p.lookup.names {
		iface.Types = append(iface.Types, p.lookup.m[name].t)
	}

	var funcs []*wit.Function
	for _, it := range items {
		switch it := it.(type) {
		case *FuncDecl:
			if err := p.defineName(it.Name, &scopeEntry{item: "function", span: it.Name.Span}); err != nil {
				return err
			}
			if it.Func == nil {
				return p.errf(it.Name.Span, "missing function")
			}
			kind := wit.Freestanding
			if it.Func.Async {
				kind = wit.AsyncFreestanding
			}
			f, err := p.resolveFunction(it.Docs, it.Attrs, it.Name.Name, it.Name.Span, it.Func, kind, nil)
			if err != nil {
				return err
			}
			funcs = append(funcs, f)
		case *TypeDecl:
			r, ok := it.Type.(*TypeResource)
			if !ok {
				continue
			}
			for i := range r.Funcs {
				f, err := p.resolveResourceFunc(&r.Funcs[i], it.Name)
				if err != nil {
					return err
				}
				funcs = append(funcs, f)
			}
		}
	}
	iface.Functions = funcs
	p.ifaceTypes[iface] = p.lookup
	p.lookup = nil
	return nil
}

// resolveBodyTypes resolves the `use` and type declaration items of a world
// or interface body (items is its []WorldItem or []InterfaceItem), in a
// fresh lookup scope, in source order.
func resolveBodyTypes[I any](p *pkgResolver, owner wit.TypeOwner, items []I) error {
	p.lookup = newScope()
	var uses []*Use
	var order []WorldItem
	for _, it := range items {
		switch it := any(it).(type) {
		case *Use:
			uses = append(uses, it)
			order = append(order, it)
		case *TypeDecl:
			order = append(order, it)
		}
	}
	return p.resolveTypes(owner, uses, order)
}

// resolveTypes defines the uses and type declarations of an interface or
// world (items holds *Use and *TypeDecl in source order).
func (p *pkgResolver) resolveTypes(owner wit.TypeOwner, uses []*Use, items []WorldItem) error {
	for _, u := range uses {
		if err := p.resolveUse(owner, u); err != nil {
			return err
		}
	}
	deps := newOrderedDeps()
	defs := make(map[string]*TypeDecl)
	for _, it := range items {
		switch it := it.(type) {
		case *TypeDecl:
			if _, dup := defs[it.Name.Name]; dup {
				return p.errf(it.Name.Span, "name `%s` is defined more than once", it.Name.Name)
			}
			var edges []Ident
			collectDeps(it.Type, &edges, 0)
			deps.set(it.Name.Name, edges)
			defs[it.Name.Name] = it
		case *Use:
			for _, n := range it.Names {
				name := n.Name
				if n.As != nil {
					name = *n.As
				}
				deps.set(name.Name, nil)
				defs[name.Name] = nil
			}
		}
	}
	order, err := p.toposort("type", deps)
	if err != nil {
		if e, ok := err.(*Error); ok && strings.HasPrefix(e.Msg, "type `float") && strings.HasSuffix(e.Msg, "` does not exist") {
			old := strings.TrimSuffix(strings.TrimPrefix(e.Msg, "type `"), "` does not exist")
			if old == "float32" || old == "float64" {
				e.Msg += fmt.Sprintf("\nthe `%s` type has been renamed to `f%s` and is no longer accepted, but the `WIT_REQUIRE_F32_F64=0` environment variable can be used to temporarily disable this error", old, old[5:])
			}
		}
		return err
	}
	for _, name := range order {
		def := defs[name]
		delete(defs, name)
		if def == nil {
			continue
		}
		stab, err := p.stability(def.Attrs)
		if err != nil {
			return err
		}
		switch t := def.Type.(type) {
		case *TypeEnum:
			if len(t.Cases) == 0 {
				return p.errf(def.Name.Span, "empty enum")
			}
		case *TypeVariant:
			if len(t.Cases) == 0 {
				return p.errf(def.Name.Span, "empty variant")
			}
		}
		kind, err := p.resolveTypeDef(def.Type, stab, 0)
		if err != nil {
			return err
		}
		td := &wit.TypeDef{Name: def.Name.Name, Kind: kind, Owner: owner, Docs: docsOf(def.Docs), Stability: stab, Pos: def.Name.Span.Pos}
		p.allocType(td)
		if err := p.defineName(def.Name, &scopeEntry{t: td, span: def.Name.Span}); err != nil {
			return err
		}
	}
	return nil
}

func (p *pkgResolver) defineName(name Ident, e *scopeEntry) error {
	if _, dup := p.lookup.m[name.Name]; dup {
		return p.errf(name.Span, "name `%s` is defined more than once", name.Name)
	}
	p.lookup.m[name.Name] = e
	p.lookup.names = append(p.lookup.names, name.Name)
	return nil
}

func (p *pkgResolver) resolveUse(owner wit.TypeOwner, u *Use) error {
	item, name, span, err := p.resolveAstItemPath(&u.From)
	if err != nil {
		return err
	}
	from, err := p.extractIface(item, name, span)
	if err != nil {
		return err
	}
	stab, err := p.stability(u.Attrs)
	if err != nil {
		return err
	}
	for _, n := range u.Names {
		e := p.ifaceTypes[from].get(n.Name.Name)
		switch {
		case e == nil:
			return p.errf(n.Name.Span, "name `%s` does not exist", n.Name.Name)
		case e.t == nil:
			return p.errf(n.Name.Span, "cannot import %s `%s`", e.item, n.Name.Name)
		}
		local := n.Name
		if n.As != nil {
			local = *n.As
		}
		td := &wit.TypeDef{Name: local.Name, Kind: &wit.Alias{Type: e.t}, Owner: owner, Stability: stab, Pos: n.Name.Span.Pos}
		p.allocType(td)
		if err := p.defineName(local, &scopeEntry{t: td, span: local.Span}); err != nil {
			return err
		}
	}
	return nil
}

func (p *pkgResolver) resolveInclude(ws *worldState, inc *Include) error {
	stab, err := p.stability(inc.Attrs)
	if err != nil {
		return err
	}
	item, name, span, err := p.resolveAstItemPath(&inc.From)
	if err != nil {
		return err
	}
	w, err := p.extractWorld(item, name, span)
	if err != nil {
		return err
	}
	ws.includes = append(ws.includes, includeInfo{stab: stab, world: w, names: inc.Names, span: span})
	return nil
}

func (p *pkgResolver) resolveResourceFunc(rf *ResourceFunc, resource Ident) (*wit.Function, error) {
	e := p.lookup.get(resource.Name)
	if e == nil || e.t == nil {
		return nil, p.errf(resource.Span, "type lookup for resource `%s` failed", resource.Name)
	}
	if rf.Func == nil {
		return nil, p.errf(rf.Name.Span, "missing function")
	}
	var name string
	var kind wit.FunctionKind
	switch rf.Kind {
	case ResourceMethod:
		name = "[method]" + resource.Name + "." + rf.Name.Name
		kind = wit.Method
		if rf.Func.Async {
			kind = wit.AsyncMethod
		}
	case ResourceStatic:
		name = "[static]" + resource.Name + "." + rf.Name.Name
		kind = wit.Static
		if rf.Func.Async {
			kind = wit.AsyncStatic
		}
	default:
		name = "[constructor]" + resource.Name
		kind = wit.Constructor
	}
	return p.resolveFunction(rf.Docs, rf.Attrs, name, rf.Name.Span, rf.Func, kind, e.t)
}

func (p *pkgResolver) resolveFunction(docs AstDocs, attrs []Attribute, name string, nameSpan Span, fn *Func, kind wit.FunctionKind, resource *wit.TypeDef) (*wit.Function, error) {
	stab, err := p.stability(attrs)
	if err != nil {
		return nil, err
	}
	f := &wit.Function{Name: name, Kind: kind, Resource: resource, Docs: docsOf(docs), Stability: stab, Pos: nameSpan.Pos}
	f.Params = make([]wit.Param, 0, len(fn.Params)+1)
	if kind == wit.Method || kind == wit.AsyncMethod {
		k := &wit.Borrow{Type: resource}
		self, err := p.anonTypeDef(k, p.findStability(k, nil), fn.Span)
		if err != nil {
			return nil, err
		}
		f.Params = append(f.Params, wit.Param{Name: "self", Type: self, Pos: fn.Span.Pos})
	}
	var seen map[string]bool
	if len(fn.Params) > 8 {
		seen = make(map[string]bool, len(fn.Params)+1)
		for _, q := range f.Params {
			seen[q.Name] = true
		}
	}
	for _, prm := range fn.Params {
		dup := false
		if seen != nil {
			dup = seen[prm.Name.Name]
			seen[prm.Name.Name] = true
		} else {
			for _, q := range f.Params {
				dup = dup || q.Name == prm.Name.Name
			}
		}
		if dup {
			return nil, p.errf(prm.Name.Span, "param `%s` is defined more than once", prm.Name.Name)
		}
		t, err := p.resolveType(prm.Type, nil, 0)
		if err != nil {
			return nil, err
		}
		f.Params = append(f.Params, wit.Param{Name: prm.Name.Name, Type: t, Pos: prm.Name.Span.Pos})
	}
	if kind == wit.Constructor {
		if fn.Result == nil {
			f.Result = resource
		} else {
			r, err := p.resolveConstructorResult(resource, fn.Result)
			if err != nil {
				return nil, err
			}
			f.Result = r
		}
	} else if fn.Result != nil {
		t, err := p.resolveType(fn.Result, nil, 0)
		if err != nil {
			return nil, err
		}
		f.Result = t
	}
	return f, nil
}

func (p *pkgResolver) resolveConstructorResult(resource *wit.TypeDef, ast TypeExpr) (wit.Type, error) {
	result, err := p.resolveType(ast, nil, 0)
	if err != nil {
		return nil, err
	}
	var res *wit.Result
	if td, ok := result.(*wit.TypeDef); ok {
		res, _ = td.Kind.(*wit.Result)
	}
	if res == nil {
		return nil, p.errf(ast.ExprSpan(), "if a constructor return type is declared it must be a `result`")
	}
	if okTD, ok := res.OK.(*wit.TypeDef); ok && okTD == resource {
		return result, nil
	}
	sp := ast.ExprSpan()
	if r, ok := ast.(*TypeResult); ok && r.OK != nil {
		sp = r.OK.ExprSpan()
	}
	return nil, p.errf(sp, "the `ok` type must be the resource being constructed")
}

// maxTypeDepth bounds recursion over type expressions (the parser already
// limits nesting; this is a second line of defence).
const maxTypeDepth = 1000

func (p *pkgResolver) resolveTypeDef(ty TypeExpr, stab wit.Stability, depth int) (wit.TypeDefKind, error) {
	if depth > maxTypeDepth {
		return nil, p.errf(ty.ExprSpan(), "type nesting too deep")
	}
	switch t := ty.(type) {
	case *TypePrimitive:
		return &wit.Alias{Type: t.Prim}, nil
	case *TypeName:
		td, err := p.resolveTypeName(t.Name)
		if err != nil {
			return nil, err
		}
		return &wit.Alias{Type: td}, nil
	case *TypeList:
		e, err := p.resolveType(t.Elem, stab, depth+1)
		if err != nil {
			return nil, err
		}
		return &wit.List{Type: e}, nil
	case *TypeMap:
		k, err := p.resolveType(t.Key, stab, depth+1)
		if err != nil {
			return nil, err
		}
		v, err := p.resolveType(t.Value, stab, depth+1)
		if err != nil {
			return nil, err
		}
		switch k {
		case wit.Bool, wit.U8, wit.U16, wit.U32, wit.U64, wit.S8, wit.S16, wit.S32, wit.S64, wit.Char, wit.String:
		default:
			return nil, p.errf(t.Span, "invalid map key type: map keys must be bool, u8, u16, u32, u64, s8, s16, s32, s64, char, or string")
		}
		return &wit.Map{Key: k, Value: v}, nil
	case *TypeFixedList:
		e, err := p.resolveType(t.Elem, stab, depth+1)
		if err != nil {
			return nil, err
		}
		return &wit.FixedLengthList{Type: e, Length: t.Length}, nil
	case *TypeHandle:
		td, err := p.validateResource(t.Resource)
		if err != nil {
			return nil, err
		}
		if t.Borrow {
			return &wit.Borrow{Type: td}, nil
		}
		return &wit.Own{Type: td}, nil
	case *TypeResource:
		ctors := 0
		names := make(map[string]bool)
		for i := range t.Funcs {
			f := &t.Funcs[i]
			if f.Kind == ResourceConstructor {
				ctors++
				if ctors > 1 {
					return nil, p.errf(f.Name.Span, "duplicate constructors")
				}
				continue
			}
			if names[f.Name.Name] {
				return nil, p.errf(f.Name.Span, "duplicate function name `%s`", f.Name.Name)
			}
			names[f.Name.Name] = true
		}
		return &wit.Resource{}, nil
	case *TypeRecord:
		fields := make([]wit.Field, 0, len(t.Fields))
		for _, f := range t.Fields {
			ft, err := p.resolveType(f.Type, stab, depth+1)
			if err != nil {
				return nil, err
			}
			fields = append(fields, wit.Field{Name: f.Name.Name, Type: ft, Docs: docsOf(f.Docs), Pos: f.Name.Span.Pos})
		}
		return &wit.Record{Fields: fields}, nil
	case *TypeFlags:
		flags := make([]wit.Flag, 0, len(t.Flags))
		for _, f := range t.Flags {
			flags = append(flags, wit.Flag{Name: f.Name.Name, Docs: docsOf(f.Docs), Pos: f.Name.Span.Pos})
		}
		return &wit.Flags{Flags: flags}, nil
	case *TypeTuple:
		types := make([]wit.Type, 0, len(t.Types))
		for _, e := range t.Types {
			et, err := p.resolveType(e, stab, depth+1)
			if err != nil {
				return nil, err
			}
			types = append(types, et)
		}
		return &wit.Tuple{Types: types}, nil
	case *TypeVariant:
		if len(t.Cases) == 0 {
			return nil, p.errf(t.Span, "empty variant")
		}
		cases := make([]wit.Case, 0, len(t.Cases))
		for _, c := range t.Cases {
			var ct wit.Type
			if c.Type != nil {
				var err error
				ct, err = p.resolveType(c.Type, stab, depth+1)
				if err != nil {
					return nil, err
				}
			}
			cases = append(cases, wit.Case{Name: c.Name.Name, Type: ct, Docs: docsOf(c.Docs), Pos: c.Name.Span.Pos})
		}
		return &wit.Variant{Cases: cases}, nil
	case *TypeEnum:
		if len(t.Cases) == 0 {
			return nil, p.errf(t.Span, "empty enum")
		}
		cases := make([]wit.EnumCase, 0, len(t.Cases))
		for _, c := range t.Cases {
			cases = append(cases, wit.EnumCase{Name: c.Name.Name, Docs: docsOf(c.Docs), Pos: c.Name.Span.Pos})
		}
		return &wit.Enum{Cases: cases}, nil
	case *TypeOption:
		e, err := p.resolveType(t.Elem, stab, depth+1)
		if err != nil {
			return nil, err
		}
		return &wit.Option{Type: e}, nil
	case *TypeResult:
		var ok, er wit.Type
		var err error
		if t.OK != nil {
			if ok, err = p.resolveType(t.OK, stab, depth+1); err != nil {
				return nil, err
			}
		}
		if t.Err != nil {
			if er, err = p.resolveType(t.Err, stab, depth+1); err != nil {
				return nil, err
			}
		}
		return &wit.Result{OK: ok, Err: er}, nil
	case *TypeFuture:
		var e wit.Type
		if t.Elem != nil {
			var err error
			if e, err = p.resolveType(t.Elem, stab, depth+1); err != nil {
				return nil, err
			}
		}
		return &wit.Future{Type: e}, nil
	case *TypeStream:
		var e wit.Type
		if t.Elem != nil {
			var err error
			if e, err = p.resolveType(t.Elem, stab, depth+1); err != nil {
				return nil, err
			}
		}
		return &wit.Stream{Type: e}, nil
	}
	if ty == nil {
		return nil, &Error{Msg: "missing type"}
	}
	return nil, p.errf(ty.ExprSpan(), "unsupported type expression")
}

func (p *pkgResolver) resolveTypeName(name Ident) (*wit.TypeDef, error) {
	e := p.lookup.get(name.Name)
	switch {
	case e == nil:
		return nil, p.errf(name.Span, "name `%s` does not exist", name.Name)
	case e.t == nil:
		return nil, p.errf(name.Span, "cannot use %s `%s` as a type", e.item, name.Name)
	}
	return e.t, nil
}

func (p *pkgResolver) validateResource(name Ident) (*wit.TypeDef, error) {
	td, err := p.resolveTypeName(name)
	if err != nil {
		return nil, err
	}
	cur := td
	for i := 0; i < maxAliasChain; i++ {
		switch k := cur.Kind.(type) {
		case *wit.Resource:
			return td, nil
		case *wit.Alias:
			if next, ok := k.Type.(*wit.TypeDef); ok {
				cur = next
				continue
			}
		case nil:
			// A type of another package: checked in the second phase.
			p.requiredResources = append(p.requiredResources, requiredResource{t: cur, span: name.Span})
			return td, nil
		}
		break
	}
	return nil, p.errf(name.Span, "type `%s` used in a handle must be a resource", name.Name)
}

// findStability implements wit-parser's find_stability: an anonymous type
// without a gate inherits the gate of the first component that has one.
func (p *pkgResolver) findStability(kind wit.TypeDefKind, stab wit.Stability) wit.Stability {
	if stab != nil {
		return stab
	}
	in := func(t wit.Type) wit.Stability {
		if td, ok := t.(*wit.TypeDef); ok && td != nil {
			return td.Stability
		}
		return nil
	}
	switch k := kind.(type) {
	case *wit.Alias:
		return in(k.Type)
	case *wit.Own:
		return in(k.Type)
	case *wit.Borrow:
		return in(k.Type)
	case *wit.Tuple:
		for _, t := range k.Types {
			if s := in(t); s != nil {
				return s
			}
		}
	case *wit.List:
		return in(k.Type)
	case *wit.FixedLengthList:
		return in(k.Type)
	case *wit.Option:
		return in(k.Type)
	case *wit.Map:
		if s := in(k.Key); s != nil {
			return s
		}
		return in(k.Value)
	case *wit.Future:
		return in(k.Type)
	case *wit.Stream:
		return in(k.Type)
	case *wit.Result:
		if s := in(k.OK); s != nil {
			return s
		}
		return in(k.Err)
	}
	return nil
}

func (p *pkgResolver) resolveType(ty TypeExpr, stab wit.Stability, depth int) (wit.Type, error) {
	if _, ok := ty.(*TypeResource); ok {
		return nil, p.errf(ty.ExprSpan(), "anonymous resources are not supported")
	}
	kind, err := p.resolveTypeDef(ty, stab, depth)
	if err != nil {
		return nil, err
	}
	return p.anonTypeDef(kind, p.findStability(kind, stab), ty.ExprSpan())
}

func (p *pkgResolver) typeKey(t wit.Type, b *strings.Builder) {
	switch t := t.(type) {
	case wit.Primitive:
		b.WriteByte('p')
		b.WriteString(strconv.Itoa(int(t)))
	case *wit.TypeDef:
		b.WriteByte('t')
		b.WriteString(strconv.Itoa(t.Index))
	}
	b.WriteByte(',')
}

func (p *pkgResolver) anonTypeDef(kind wit.TypeDefKind, stab wit.Stability, sp Span) (wit.Type, error) {
	var key anonKey
	switch k := kind.(type) {
	case *wit.Alias:
		return k.Type, nil
	case *wit.Own:
		return k.Type, nil
	case *wit.Borrow:
		key = anonKey{kind: akBorrow, a: k.Type}
	case *wit.List:
		key = anonKey{kind: akList, a: k.Type}
	case *wit.Map:
		key = anonKey{kind: akMap, a: k.Key, b: k.Value}
	case *wit.FixedLengthList:
		key = anonKey{kind: akFixed, a: k.Type, n: k.Length}
	case *wit.Option:
		key = anonKey{kind: akOption, a: k.Type}
	case *wit.Result:
		key = anonKey{kind: akResult, a: k.OK, b: k.Err}
	case *wit.Future:
		key = anonKey{kind: akFuture, a: k.Type}
	case *wit.Stream:
		key = anonKey{kind: akStream, a: k.Type}
	case *wit.Tuple:
		var b strings.Builder
		for _, t := range k.Types {
			p.typeKey(t, &b)
		}
		key = anonKey{kind: akTuple, tuple: b.String()}
	default:
		// Records, variants, enums and flags cannot be written anonymously.
		return nil, p.errf(sp, "this type must be named")
	}
	if td := p.anon[key]; td != nil {
		return td, nil
	}
	td := &wit.TypeDef{Kind: kind, Stability: stab, Pos: sp.Pos}
	p.allocType(td)
	p.anon[key] = td
	return td, nil
}

// collectDeps appends the names a type expression refers to.
func collectDeps(ty TypeExpr, deps *[]Ident, depth int) {
	if depth > maxTypeDepth {
		return
	}
	switch t := ty.(type) {
	case *TypeName:
		*deps = append(*deps, t.Name)
	case *TypeHandle:
		*deps = append(*deps, t.Resource)
	case *TypeRecord:
		for _, f := range t.Fields {
			collectDeps(f.Type, deps, depth+1)
		}
	case *TypeTuple:
		for _, e := range t.Types {
			collectDeps(e, deps, depth+1)
		}
	case *TypeVariant:
		for _, c := range t.Cases {
			if c.Type != nil {
				collectDeps(c.Type, deps, depth+1)
			}
		}
	case *TypeOption:
		collectDeps(t.Elem, deps, depth+1)
	case *TypeList:
		collectDeps(t.Elem, deps, depth+1)
	case *TypeFixedList:
		collectDeps(t.Elem, deps, depth+1)
	case *TypeMap:
		collectDeps(t.Key, deps, depth+1)
		collectDeps(t.Value, deps, depth+1)
	case *TypeResult:
		if t.OK != nil {
			collectDeps(t.OK, deps, depth+1)
		}
		if t.Err != nil {
			collectDeps(t.Err, deps, depth+1)
		}
	case *TypeFuture:
		if t.Elem != nil {
			collectDeps(t.Elem, deps, depth+1)
		}
	case *TypeStream:
		if t.Elem != nil {
			collectDeps(t.Elem, deps, depth+1)
		}
	}
}
