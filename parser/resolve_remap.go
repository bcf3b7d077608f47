package parser

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// This file holds the second resolution phase: it appends a package produced
// by the first phase (resolve.go) to the loader's wit.Resolve. It connects
// references to other packages, drops items whose @unstable feature is not
// enabled (and rejects references to them), turns uses of resource names in
// value positions into own<r> handles, processes `include`s and elaborates
// worlds. It follows wit-parser's Remap::append (resolve/mod.rs).

type remap struct {
	l   *loader
	p   *pkgResolver
	pkg *wit.Package

	// Placeholders of other packages' items mapped to the real items; a nil
	// value means the item is excluded by a feature gate.
	phT map[*wit.TypeDef]*wit.TypeDef
	phI map[*wit.Interface]*wit.Interface
	phW map[*wit.World]*wit.World

	// Local items excluded by a feature gate.
	exT map[*wit.TypeDef]bool
	exI map[*wit.Interface]bool
	exW map[*wit.World]bool

	// own<T> handles created for uses of resource T (deduplicated).
	own map[*wit.TypeDef]*wit.TypeDef

	hasBorrow map[*wit.TypeDef]bool

	// Final import/export lists of the package's worlds.
	worldItems map[*wit.World]*[2]itemList
}

func (r *remap) excluded(desc string, sp Span) error {
	return r.l.errf(sp, "found a reference to a %s which is excluded due to its feature not being activated", desc)
}

func (r *remap) mapType(t *wit.TypeDef, sp Span) (*wit.TypeDef, error) {
	if t == nil {
		return nil, nil
	}
	return remapNode(r, t, r.phT, r.exT, "type", sp)
}

func (r *remap) mapInterface(i *wit.Interface, sp Span) (*wit.Interface, error) {
	return remapNode(r, i, r.phI, r.exI, "interface", sp)
}

func (r *remap) mapWorld(w *wit.World, sp Span) (*wit.World, error) {
	return remapNode(r, w, r.phW, r.exW, "world", sp)
}

// remapNode returns what node x (a desc) becomes: its entry in ph, or x
// itself. A node excluded by a feature gate (a nil entry in ph, or marked
// in ex) is an error at sp.
func remapNode[T comparable](r *remap, x T, ph map[T]T, ex map[T]bool, desc string, sp Span) (T, error) {
	var zero T
	if m, ok := ph[x]; ok {
		if m == zero {
			return zero, r.excluded(desc, sp)
		}
		return m, nil
	}
	if ex[x] {
		return zero, r.excluded(desc, sp)
	}
	return x, nil
}

// includeStability reports whether an item with the given gate is kept.
func (r *remap) includeStability(s wit.Stability, sp Span) (bool, error) {
	switch s := s.(type) {
	case *wit.Stable:
		v := r.pkg.Name.Version
		if v == "" {
			return false, r.l.errf(sp, "package [%s] contains a feature gate with a version specifier, so it must have a version", r.pkg.Name)
		}
		if compareSemver(s.Since, v) > 0 {
			return false, r.l.errf(sp, "feature gate cannot reference unreleased version %s of package [%s] (current version %s)", s.Since, r.pkg.Name, v)
		}
		return true, nil
	case *wit.Unstable:
		return r.l.opts.AllFeatures || r.l.features[s.Feature], nil
	}
	return true, nil
}

func (r *remap) addType(t *wit.TypeDef) {
	t.Index = len(r.l.res.TypeDefs)
	r.l.res.TypeDefs = append(r.l.res.TypeDefs, t)
}

// updateTy maps a type used in a value position; a use of a resource
// becomes an own<T> handle.
func (r *remap) updateTy(t wit.Type, sp Span) (wit.Type, error) {
	td, ok := t.(*wit.TypeDef)
	if !ok || td == nil {
		return t, nil
	}
	m, err := r.mapType(td, sp)
	if err != nil {
		return nil, err
	}
	cur := m
	for i := 0; i < maxAliasChain; i++ {
		a, ok := cur.Kind.(*wit.Alias)
		if !ok {
			break
		}
		next, ok := a.Type.(*wit.TypeDef)
		if !ok {
			break
		}
		if mm, ok := r.phT[next]; ok && mm != nil {
			next = mm
		}
		cur = next
	}
	if _, ok := cur.Kind.(*wit.Resource); !ok {
		return m, nil
	}
	h := r.own[m]
	if h == nil {
		h = &wit.TypeDef{Kind: &wit.Own{Type: m}}
		r.addType(h)
		r.own[m] = h
	}
	return h, nil
}

func (r *remap) updateTypeDef(td *wit.TypeDef) error {
	sp := typeSpan(td)
	var err error
	switch k := td.Kind.(type) {
	case *wit.Own:
		k.Type, err = r.mapType(k.Type, sp)
	case *wit.Borrow:
		k.Type, err = r.mapType(k.Type, sp)
	case *wit.Alias:
		if t, ok := k.Type.(*wit.TypeDef); ok {
			var m *wit.TypeDef
			m, err = r.mapType(t, sp)
			if err == nil {
				k.Type = m
			}
		}
	case *wit.Record:
		for i := range k.Fields {
			if k.Fields[i].Type, err = r.updateTy(k.Fields[i].Type, Span{Pos: k.Fields[i].Pos, Len: len(k.Fields[i].Name)}); err != nil {
				return err
			}
		}
	case *wit.Variant:
		for i := range k.Cases {
			if k.Cases[i].Type != nil {
				if k.Cases[i].Type, err = r.updateTy(k.Cases[i].Type, Span{Pos: k.Cases[i].Pos, Len: len(k.Cases[i].Name)}); err != nil {
					return err
				}
			}
		}
	case *wit.Tuple:
		for i := range k.Types {
			if k.Types[i], err = r.updateTy(k.Types[i], sp); err != nil {
				return err
			}
		}
	case *wit.Option:
		k.Type, err = r.updateTy(k.Type, sp)
	case *wit.List:
		k.Type, err = r.updateTy(k.Type, sp)
	case *wit.FixedLengthList:
		k.Type, err = r.updateTy(k.Type, sp)
	case *wit.Future:
		if k.Type != nil {
			k.Type, err = r.updateTy(k.Type, sp)
		}
	case *wit.Stream:
		if k.Type != nil {
			k.Type, err = r.updateTy(k.Type, sp)
		}
	case *wit.Map:
		if k.Key, err = r.updateTy(k.Key, sp); err != nil {
			return err
		}
		k.Value, err = r.updateTy(k.Value, sp)
	case *wit.Result:
		if k.OK != nil {
			if k.OK, err = r.updateTy(k.OK, sp); err != nil {
				return err
			}
		}
		if k.Err != nil {
			k.Err, err = r.updateTy(k.Err, sp)
		}
	}
	return err
}

func (r *remap) typeHasBorrow(t wit.Type) bool {
	td, ok := t.(*wit.TypeDef)
	if !ok || td == nil {
		return false
	}
	if v, ok := r.hasBorrow[td]; ok {
		return v
	}
	r.hasBorrow[td] = false // cycle guard; types are acyclic
	v := false
	if _, ok := td.Kind.(*wit.Borrow); ok {
		v = true
	} else {
		for _, x := range wit.TypeRefs(td.Kind) {
			if r.typeHasBorrow(x) {
				v = true
				break
			}
		}
	}
	r.hasBorrow[td] = v
	return v
}

func (r *remap) updateFunction(f *wit.Function, sp Span) error {
	var err error
	if f.Resource != nil {
		if f.Resource, err = r.mapType(f.Resource, sp); err != nil {
			return err
		}
	}
	for i := range f.Params {
		if f.Params[i].Type, err = r.updateTy(f.Params[i].Type, sp); err != nil {
			return err
		}
	}
	if f.Result != nil {
		if f.Result, err = r.updateTy(f.Result, sp); err != nil {
			return err
		}
		if r.typeHasBorrow(f.Result) {
			return r.l.errf(sp, "function `%s` returns a type which contains a `borrow<T>` which is not supported", f.Name)
		}
	}
	return nil
}

func typeSpan(t *wit.TypeDef) Span {
	return Span{Pos: t.Pos, Len: max(len(t.Name), 1)}
}

func funcSpan(f *wit.Function) Span {
	return Span{Pos: f.Pos, Len: max(len(f.BaseName()), 1)}
}

// push appends the package resolved by p to the loader's Resolve.
func (l *loader) push(p *pkgResolver) (*wit.Package, error) {
	u := p.u
	if _, dup := l.pkgByName[u.name]; dup {
		return nil, &Error{Msg: fmt.Sprintf("attempting to re-add package `%s` when it's already present in this `Resolve`", u.name)}
	}
	pkg := &wit.Package{Name: u.name, Docs: u.docs, Pos: u.nameSpan.Pos, Index: len(l.res.Packages)}
	l.res.Packages = append(l.res.Packages, pkg)
	l.pkgByName[u.name] = pkg
	l.pkgOrder = append(l.pkgOrder, u.name)

	r := &remap{
		l: l, p: p, pkg: pkg,
		phT: make(map[*wit.TypeDef]*wit.TypeDef), phI: make(map[*wit.Interface]*wit.Interface), phW: make(map[*wit.World]*wit.World),
		exT: make(map[*wit.TypeDef]bool), exI: make(map[*wit.Interface]bool), exW: make(map[*wit.World]bool),
		own: make(map[*wit.TypeDef]*wit.TypeDef), hasBorrow: make(map[*wit.TypeDef]bool),
		worldItems: make(map[*wit.World]*[2]itemList),
	}
	if err := r.processForeignDeps(); err != nil {
		return nil, err
	}

	// Types.
	for _, t := range p.types {
		if _, ph := p.unknownSpans[t]; ph {
			continue
		}
		ok, err := r.includeStability(t.Stability, typeSpan(t))
		if err != nil {
			return nil, err
		}
		if !ok {
			r.exT[t] = true
			continue
		}
		if err := r.updateTypeDef(t); err != nil {
			return nil, err
		}
		r.addType(t)
	}

	// Interfaces.
	var ifaces []*wit.Interface
	for _, i := range p.ifaces {
		if p.foreignIface[i] != nil {
			continue
		}
		ok, err := r.includeStability(i.Stability, Span{Pos: i.Pos, Len: len(i.Name)})
		if err != nil {
			return nil, err
		}
		if !ok {
			r.exI[i] = true
			continue
		}
		i.Package = pkg
		if err := r.updateInterface(i); err != nil {
			return nil, err
		}
		i.Index = len(l.res.Interfaces)
		l.res.Interfaces = append(l.res.Interfaces, i)
		ifaces = append(ifaces, i)
	}
	const ownerGated = "found a reference to a interface which is excluded due to its feature not being activated; this type is not gated by a feature but its interface is"
	for _, t := range p.types {
		if o, ok := t.Owner.(*wit.Interface); ok && r.exI[o] && !r.exT[t] {
			if _, ph := p.unknownSpans[t]; !ph {
				return nil, l.errf(typeSpan(t), "%s", ownerGated)
			}
		}
	}

	// Worlds.
	var worlds []*wit.World
	for _, w := range p.worlds {
		if p.foreignWorld[w] != nil {
			continue
		}
		ok, err := r.includeStability(w.Stability, Span{Pos: w.Pos, Len: len(w.Name)})
		if err != nil {
			return nil, err
		}
		if !ok {
			r.exW[w] = true
			continue
		}
		w.Package = pkg
		if err := r.updateWorld(w); err != nil {
			return nil, err
		}
		w.Index = len(l.res.Worlds)
		l.res.Worlds = append(l.res.Worlds, w)
		worlds = append(worlds, w)
	}
	for _, t := range p.types {
		if o, ok := t.Owner.(*wit.World); ok && r.exW[o] && !r.exT[t] {
			return nil, l.errf(typeSpan(t), "%s", ownerGated)
		}
	}
	for _, w := range worlds {
		lists := r.worldItems[w]
		if err := r.processIncludes(w, lists); err != nil {
			return nil, err
		}
		if err := validateCaseInsensitive(w, lists); err != nil {
			return nil, err
		}
		if err := l.elaborateWorld(w, &lists[0], &lists[1], Span{Pos: w.Pos, Len: len(w.Name)}); err != nil {
			return nil, err
		}
	}
	for _, i := range ifaces {
		if i.Name != "" {
			pkg.Interfaces = append(pkg.Interfaces, i)
		}
	}
	pkg.Worlds = worlds
	return pkg, nil
}

func (r *remap) processForeignDeps() error {
	l, p := r.l, r.p
	pkgOf := func(fp *foreignPkg) (*wit.Package, error) {
		if pk := l.pkgByName[fp.name]; pk != nil {
			return pk, nil
		}
		var b strings.Builder
		fmt.Fprintf(&b, "package '%s' not found. known packages:", fp.name)
		for _, n := range l.pkgOrder {
			b.WriteString("\n    ")
			b.WriteString(n.String())
		}
		return nil, l.errf(fp.span, "%s", b.String())
	}
	enabled := func(d *foreignDep) (bool, error) {
		for _, s := range d.stabs {
			ok, err := r.includeStability(s, d.span)
			if err != nil {
				return false, err
			}
			if ok {
				return true, nil
			}
		}
		return false, nil
	}
	for _, i := range p.foreignIfaces {
		d := p.foreignIface[i]
		pk, err := pkgOf(d.pkg)
		if err != nil {
			return err
		}
		ok, err := enabled(d)
		if err != nil {
			return err
		}
		if !ok {
			r.phI[i] = nil
			continue
		}
		real := l.ifaceOf(pk, d.name)
		if real == nil {
			return l.errf(d.span, "interface '%s' not found in package '%s'", d.name, pk.Name)
		}
		r.phI[i] = real
	}
	for _, w := range p.foreignWorlds {
		d := p.foreignWorld[w]
		pk, err := pkgOf(d.pkg)
		if err != nil {
			return err
		}
		ok, err := enabled(d)
		if err != nil {
			return err
		}
		if !ok {
			r.phW[w] = nil
			continue
		}
		real := pk.World(d.name)
		if real == nil {
			return l.errf(d.span, "world '%s' not found in package '%s'", d.name, pk.Name)
		}
		r.phW[w] = real
	}
	for _, t := range p.unknownTypes {
		sp := p.unknownSpans[t]
		ok, err := r.includeStability(t.Stability, sp)
		if err != nil {
			return err
		}
		if !ok {
			r.phT[t] = nil
			continue
		}
		owner, _ := t.Owner.(*wit.Interface)
		real, err := r.mapInterface(owner, Span{})
		if err != nil {
			return err
		}
		var found *wit.TypeDef
		if real != nil {
			found = l.typeOf(real, t.Name)
		}
		if found == nil {
			return l.errf(sp, "type `%s` not defined in interface", t.Name)
		}
		r.phT[t] = found
	}
	for _, rr := range p.requiredResources {
		m, err := r.mapType(rr.t, rr.span)
		if err != nil || m == nil {
			continue
		}
		cur := m
		for i := 0; ; i++ {
			if i > maxAliasChain {
				return l.errf(rr.span, "type used in a handle must be a resource")
			}
			if _, ok := cur.Kind.(*wit.Resource); ok {
				break
			}
			var next *wit.TypeDef
			if a, ok := cur.Kind.(*wit.Alias); ok {
				next, _ = a.Type.(*wit.TypeDef)
			}
			if next == nil {
				return l.errf(rr.span, "type used in a handle must be a resource")
			}
			cur = next
		}
	}
	return nil
}

func (r *remap) updateInterface(i *wit.Interface) error {
	types := i.Types[:0]
	for _, t := range i.Types {
		if !r.exT[t] {
			types = append(types, t)
		}
	}
	for k := len(types); k < len(i.Types); k++ {
		i.Types[k] = nil
	}
	i.Types = types
	funcs := i.Functions[:0]
	for _, f := range i.Functions {
		sp := funcSpan(f)
		ok, err := r.includeStability(f.Stability, sp)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := r.updateFunction(f, sp); err != nil {
			return err
		}
		funcs = append(funcs, f)
	}
	for k := len(funcs); k < len(i.Functions); k++ {
		i.Functions[k] = nil
	}
	i.Functions = funcs
	return nil
}

func (r *remap) updateWorld(w *wit.World) error {
	ws := r.p.worldState[w]
	lists := &[2]itemList{}
	r.worldItems[w] = lists
	for dir, src := range [2]*itemList{&ws.imports, &ws.exports} {
		for _, pi := range src.items {
			item, sp := pi.item, pi.span
			var stab wit.Stability
			switch {
			case item.Type != nil:
				t, err := r.mapType(item.Type, sp)
				if err != nil {
					return err
				}
				item.Type = t
				stab = t.Stability
			case item.Interface != nil:
				stab = item.Stability
			case item.Function != nil:
				stab = item.Function.Stability
			}
			ok, err := r.includeStability(stab, sp)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			key := pi.key
			if key.Interface != nil {
				if key.Interface, err = r.mapInterface(key.Interface, sp); err != nil {
					return err
				}
			}
			switch {
			case item.Interface != nil:
				if item.Interface, err = r.mapInterface(item.Interface, sp); err != nil {
					return err
				}
			case item.Function != nil:
				if err := r.updateFunction(item.Function, sp); err != nil {
					return err
				}
			}
			item.Key = key
			lists[dir].insert(&pendingItem{key: key, item: item, span: sp})
		}
	}
	return nil
}

// rename applies an include's `with { a as b }` to an item name, following
// wit-parser: plain names and the resource part of mangled function names
// are renamed.
func rename(orig string, in IncludeName) (string, bool) {
	if orig == in.Name.Name {
		return in.As.Name, true
	}
	i := strings.IndexByte(orig, ']')
	if i < 0 {
		return "", false
	}
	kind, rest := orig[:i], orig[i+1:]
	if j := strings.IndexByte(rest, '.'); j >= 0 && rest[:j] == in.Name.Name {
		return kind + "]" + in.As.Name + "." + rest[j+1:], true
	}
	if rest == in.Name.Name {
		return kind + "]" + in.As.Name, true
	}
	return "", false
}

func (r *remap) processIncludes(w *wit.World, lists *[2]itemList) error {
	ws := r.p.worldState[w]
	for _, inc := range ws.includes {
		ok, err := r.includeStability(inc.stab, inc.span)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := r.resolveInclude(w, lists, inc); err != nil {
			return err
		}
	}
	return nil
}

func (r *remap) resolveInclude(w *wit.World, lists *[2]itemList, inc includeInfo) error {
	from, err := r.mapWorld(inc.world, inc.span)
	if err != nil {
		return err
	}
	fromLists := [2][]*wit.WorldItem{from.Imports, from.Exports}
	names := slices.Clone(inc.names)
	for d := 0; d < 2; d++ {
		for _, it := range fromLists[d] {
			if it.Key.Interface != nil {
				continue
			}
			names = slices.DeleteFunc(names, func(n IncludeName) bool {
				_, ok := rename(it.Key.Name, n)
				return ok
			})
		}
	}
	if len(names) != 0 {
		return r.l.errf(inc.span, "no import or export kebab-name `%s`. Note that an ID does not support renaming", names[0].Name.Name)
	}
	external := w.Package != from.Package
	c := &cloner{l: r.l, prev: from, next: w, pkg: r.pkg, types: make(map[*wit.TypeDef]*wit.TypeDef)}
	for d, desc := range [2]string{"import", "export"} {
		dst := &lists[d]
		for _, it := range fromLists[d] {
			if it.Key.Interface == nil {
				n := it.Key.Name
				for _, in := range inc.names {
					if nn, ok := rename(n, in); ok {
						n = nn
						break
					}
				}
				ni := c.worldItem(it)
				switch {
				case ni.Function != nil:
					ni.Function.Name = n
				case ni.Type != nil:
					ni.Type.Name = n
				}
				ni.Key = wit.WorldKey{Name: n}
				if prev := dst.insert(&pendingItem{key: ni.Key, item: ni, span: inc.span}); prev != nil {
					return r.l.errf(inc.span, "%s of `%s` shadows previously %sed items", desc, n, desc)
				}
				continue
			}
			_, stable := it.Stability.(*wit.Stable)
			if prev := dst.get(it.Key); prev != nil {
				if external && stable {
					continue
				}
				if err := updateStability(it.Stability, &prev.item.Stability); err != nil {
					return r.l.errf(inc.span, "%s", err.Error())
				}
				continue
			}
			cp := *it
			if external && stable {
				cp.Stability = nil
			}
			dst.insert(&pendingItem{key: cp.Key, item: &cp, span: inc.span})
		}
	}
	return nil
}

func stabilityEqual(a, b wit.Stability) bool {
	switch a := a.(type) {
	case nil:
		return b == nil
	case *wit.Stable:
		b, ok := b.(*wit.Stable)
		return ok && *a == *b
	case *wit.Unstable:
		b, ok := b.(*wit.Unstable)
		return ok && *a == *b
	}
	return false
}

func updateStability(from wit.Stability, into *wit.Stability) error {
	if from == nil || stabilityEqual(from, *into) {
		return nil
	}
	if *into == nil {
		*into = from
		return nil
	}
	return fmt.Errorf("mismatch in stability from '%s' to '%s'", stabilityString(from), stabilityString(*into))
}

func stabilityString(s wit.Stability) string {
	switch s := s.(type) {
	case *wit.Stable:
		return fmt.Sprintf("Stable { since: %s, deprecated: %q }", s.Since, s.Deprecated)
	case *wit.Unstable:
		return fmt.Sprintf("Unstable { feature: %s, deprecated: %q }", s.Feature, s.Deprecated)
	}
	return "Unknown"
}

// cloner deep-copies world items from an included world into the including
// world, like wit-parser's resolve/clone.rs.
type cloner struct {
	l     *loader
	prev  wit.TypeOwner
	next  wit.TypeOwner
	pkg   *wit.Package
	types map[*wit.TypeDef]*wit.TypeDef
}

func (c *cloner) worldItem(it *wit.WorldItem) *wit.WorldItem {
	cp := *it
	switch {
	case cp.Type != nil:
		cp.Type = c.typeDef(cp.Type)
	case cp.Function != nil:
		cp.Function = c.function(cp.Function)
	case cp.Interface != nil:
		if cp.Interface.Name == "" {
			cp.Interface = c.iface(cp.Interface)
		}
	}
	return &cp
}

func (c *cloner) ty(t wit.Type) wit.Type {
	if td, ok := t.(*wit.TypeDef); ok && td != nil {
		return c.typeDef(td)
	}
	return t
}

func (c *cloner) typeDef(t *wit.TypeDef) *wit.TypeDef {
	if n, ok := c.types[t]; ok {
		return n
	}
	if t.Owner != nil && t.Owner != c.prev {
		return t
	}
	n := *t
	if n.Owner != nil {
		n.Owner = c.next
	}
	switch k := t.Kind.(type) {
	case *wit.Alias:
		if td, ok := k.Type.(*wit.TypeDef); ok && td.Owner == c.prev && td.Owner != nil {
			n.Kind = &wit.Alias{Type: c.typeDef(td)}
		} else {
			n.Kind = &wit.Alias{Type: k.Type}
		}
	case *wit.Own:
		n.Kind = &wit.Own{Type: c.typeDef(k.Type)}
	case *wit.Borrow:
		n.Kind = &wit.Borrow{Type: c.typeDef(k.Type)}
	case *wit.Option:
		n.Kind = &wit.Option{Type: c.ty(k.Type)}
	case *wit.List:
		n.Kind = &wit.List{Type: c.ty(k.Type)}
	case *wit.FixedLengthList:
		n.Kind = &wit.FixedLengthList{Type: c.ty(k.Type), Length: k.Length}
	case *wit.Map:
		n.Kind = &wit.Map{Key: c.ty(k.Key), Value: c.ty(k.Value)}
	case *wit.Tuple:
		ts := make([]wit.Type, len(k.Types))
		for i, e := range k.Types {
			ts[i] = c.ty(e)
		}
		n.Kind = &wit.Tuple{Types: ts}
	case *wit.Record:
		fs := slices.Clone(k.Fields)
		for i := range fs {
			fs[i].Type = c.ty(fs[i].Type)
		}
		n.Kind = &wit.Record{Fields: fs}
	case *wit.Variant:
		cs := slices.Clone(k.Cases)
		for i := range cs {
			if cs[i].Type != nil {
				cs[i].Type = c.ty(cs[i].Type)
			}
		}
		n.Kind = &wit.Variant{Cases: cs}
	case *wit.Result:
		var ok, er wit.Type
		if k.OK != nil {
			ok = c.ty(k.OK)
		}
		if k.Err != nil {
			er = c.ty(k.Err)
		}
		n.Kind = &wit.Result{OK: ok, Err: er}
	case *wit.Future:
		var e wit.Type
		if k.Type != nil {
			e = c.ty(k.Type)
		}
		n.Kind = &wit.Future{Type: e}
	case *wit.Stream:
		var e wit.Type
		if k.Type != nil {
			e = c.ty(k.Type)
		}
		n.Kind = &wit.Stream{Type: e}
	case *wit.Resource:
		n.Kind = &wit.Resource{}
	case *wit.Flags:
		n.Kind = &wit.Flags{Flags: slices.Clone(k.Flags)}
	case *wit.Enum:
		n.Kind = &wit.Enum{Cases: slices.Clone(k.Cases)}
	}
	nn := &n
	nn.Index = len(c.l.res.TypeDefs)
	c.l.res.TypeDefs = append(c.l.res.TypeDefs, nn)
	c.types[t] = nn
	return nn
}

func (c *cloner) function(f *wit.Function) *wit.Function {
	n := *f
	if n.Resource != nil {
		n.Resource = c.typeDef(n.Resource)
	}
	n.Params = slices.Clone(f.Params)
	for i := range n.Params {
		n.Params[i].Type = c.ty(n.Params[i].Type)
	}
	if n.Result != nil {
		n.Result = c.ty(n.Result)
	}
	return &n
}

func (c *cloner) iface(i *wit.Interface) *wit.Interface {
	n := *i
	sub := &cloner{l: c.l, prev: i, next: &n, pkg: c.pkg, types: make(map[*wit.TypeDef]*wit.TypeDef)}
	n.Types = make([]*wit.TypeDef, len(i.Types))
	for k, t := range i.Types {
		n.Types[k] = sub.typeDef(t)
	}
	n.Functions = make([]*wit.Function, len(i.Functions))
	for k, f := range i.Functions {
		n.Functions[k] = sub.function(f)
	}
	n.Package = c.pkg
	n.Index = len(c.l.res.Interfaces)
	c.l.res.Interfaces = append(c.l.res.Interfaces, &n)
	return &n
}

func validateCaseInsensitive(w *wit.World, lists *[2]itemList) error {
	for d, desc := range [2]string{"import", "export"} {
		seen := make(map[string]string)
		for _, pi := range lists[d].items {
			if pi.key.Interface != nil {
				continue
			}
			name := pi.key.Name
			lower := strings.ToLower(name)
			if prev, ok := seen[lower]; ok && prev != name {
				return &Error{Msg: fmt.Sprintf("%s `%s` in world `%s` conflicts with %s `%s` (kebab-case identifiers are case-insensitive)", desc, name, w.Name, desc, prev)}
			}
			seen[lower] = name
		}
	}
	return nil
}

// typeInterfaceDep returns the interface t is `use`d from, when t is an
// alias of a type of another owner.
func typeInterfaceDep(t *wit.TypeDef) *wit.Interface {
	a, ok := t.Kind.(*wit.Alias)
	if !ok {
		return nil
	}
	other, ok := a.Type.(*wit.TypeDef)
	if !ok || other == nil || other.Owner == t.Owner {
		return nil
	}
	i, _ := other.Owner.(*wit.Interface)
	return i
}

func sortKey(it *wit.WorldItem) int {
	switch {
	case it.Interface != nil:
		return 0
	case it.Type != nil:
		if a, ok := it.Type.Kind.(*wit.Alias); ok {
			if o, ok := a.Type.(*wit.TypeDef); ok && o.Owner != it.Type.Owner {
				return 1
			}
		}
		return 2
	case it.Function != nil:
		if it.Function.Resource == nil {
			return 3
		}
		return 4
	}
	return 5
}

// elaborateWorld fills in the interfaces that imports and exports depend
// on and orders the imports, like wit-parser's Resolve::elaborate_world.
func (l *loader) elaborateWorld(w *wit.World, imports, exports *itemList, sp Span) error {
	src := slices.Clone(imports.items)
	slices.SortStableFunc(src, func(a, b *pendingItem) int { return sortKey(a.item) - sortKey(b.item) })
	var newImports itemList
	visited := make(map[*wit.Interface]bool)
	for _, pi := range src {
		it := pi.item
		switch {
		case it.Interface != nil:
			l.elaborateImport(&newImports, pi.key, it.Interface, it.Stability, it, visited, 0)
		case it.Type != nil:
			if dep := typeInterfaceDep(it.Type); dep != nil {
				l.elaborateImport(&newImports, wit.WorldKey{Interface: dep}, dep, it.Type.Stability, nil, visited, 0)
			}
			newImports.insert(pi)
		default:
			newImports.insert(pi)
		}
	}

	var newExports itemList
	var exportIfaces []*pendingItem
	exportIdx := make(map[*wit.Interface]bool)
	for _, pi := range exports.items {
		switch {
		case pi.item.Interface != nil:
			exportIdx[pi.item.Interface] = true
			exportIfaces = append(exportIfaces, pi)
		case pi.item.Function != nil:
			newExports.insert(pi)
		}
	}
	required := make(map[*wit.Interface]bool)
	for _, pi := range exportIfaces {
		if !l.addWorldExport(&newImports, &newExports, exportIdx, required, pi.item.Interface, pi.key, true, pi.item.Stability, pi.item, 0) {
			name := pi.key.Name
			if pi.key.Interface != nil {
				name = pi.key.Interface.QualifiedName()
			}
			return l.errf(sp, "interface `%s` transitively depends on an interface in incompatible ways", name)
		}
	}
	slices.SortStableFunc(newImports.items, func(a, b *pendingItem) int { return sortKey(a.item) - sortKey(b.item) })

	w.Imports = make([]*wit.WorldItem, len(newImports.items))
	for i, pi := range newImports.items {
		pi.item.Key = pi.key
		w.Imports[i] = pi.item
	}
	w.Exports = make([]*wit.WorldItem, len(newExports.items))
	for i, pi := range newExports.items {
		pi.item.Key = pi.key
		w.Exports[i] = pi.item
	}
	return nil
}

// interfaceDirectDeps returns the interfaces that i uses types from (with
// possible repetitions).
func interfaceDirectDeps(i *wit.Interface, f func(*wit.Interface) bool) bool {
	for _, t := range i.Types {
		if d := typeInterfaceDep(t); d != nil {
			if !f(d) {
				return false
			}
		}
	}
	return true
}

const maxElabDepth = 10000

func (l *loader) elaborateImport(imports *itemList, key wit.WorldKey, i *wit.Interface, stab wit.Stability, orig *wit.WorldItem, visited map[*wit.Interface]bool, depth int) {
	if imports.get(key) != nil || depth > maxElabDepth {
		return
	}
	interfaceDirectDeps(i, func(d *wit.Interface) bool {
		l.elaborateImport(imports, wit.WorldKey{Interface: d}, d, stab, nil, visited, depth+1)
		return true
	})
	it := &wit.WorldItem{Key: key, Interface: i, Stability: stab}
	if orig != nil {
		it.Docs = orig.Docs
	}
	imports.insert(&pendingItem{key: key, item: it})
}

func (l *loader) addWorldExport(imports, exports *itemList, exportIfaces map[*wit.Interface]bool, required map[*wit.Interface]bool, i *wit.Interface, key wit.WorldKey, addExport bool, stab wit.Stability, orig *wit.WorldItem, depth int) bool {
	if depth > maxElabDepth {
		return false
	}
	if exports.get(key) != nil {
		return addExport
	}
	if !addExport && required[i] {
		return true
	}
	ok := interfaceDirectDeps(i, func(d *wit.Interface) bool {
		return l.addWorldExport(imports, exports, exportIfaces, required, d, wit.WorldKey{Interface: d}, addExport && exportIfaces[d], stab, nil, depth+1)
	})
	if !ok {
		return false
	}
	it := &wit.WorldItem{Key: key, Interface: i, Stability: stab}
	if orig != nil {
		it.Docs = orig.Docs
	}
	if addExport {
		if required[i] {
			return false
		}
		exports.insert(&pendingItem{key: key, item: it})
	} else {
		required[i] = true
		imports.insert(&pendingItem{key: key, item: it})
	}
	return true
}
