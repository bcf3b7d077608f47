package parser

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// This file is the syntactic parser: a recursive-descent parser over the
// token slice produced by lexer.go. It follows the structure of wit-parser's
// crates/wit-parser/src/ast.rs so that the first syntax error reported, its
// message and its position match wit-parser's.
//
// Spans follow wit-parser's choices where the resolver reports errors at
// them: a type expression's span is that of its keyword (`list`, `result`,
// ...), a handle's span is that of the resource name, and a record,
// variant, enum, flags or resource body has the span of the declared name.
// Items (interfaces, worlds, type declarations, ...) have the span of their
// first keyword.

// Nesting limits. Inputs nested deeper than this are rejected, so hostile
// input cannot exhaust the stack. The values match wit-parser's.
const (
	maxTypeNesting    = 100
	maxPackageNesting = 100
)

// ParseFile parses one .wit file into its syntax tree. path is used in
// positions and messages only. On failure the error is an *Error pointing
// at the offending token.
func ParseFile(path string, src []byte) (*File, error) {
	l, lerr := tokenize(path, src)
	if lerr != nil {
		return nil, lerr
	}
	defer l.release()
	p := &parser{path: path, src: src, lex: l, toks: l.toks}
	f, err := p.parseFile()
	if err != nil {
		return nil, err
	}
	if p.nestedErr != nil {
		return nil, p.nestedErr
	}
	return f, nil
}

// parser holds the state of one parse.
type parser struct {
	path string
	src  []byte
	lex  *lexer
	toks []token
	i    int // index of the next token

	// docParts is scratch space for docs.
	docParts [][]byte

	// nestedErr is the deferred "nested packages must be placed at the
	// top-level" error. wit-parser reports it after the file parses, so a
	// syntax error (including "package nesting too deep") wins over it.
	nestedErr *Error
}

// ---- token helpers ----

// peek returns the next token without consuming it. It fails when the
// next token is a lexical error.
func (p *parser) peek() (*token, error) {
	t := &p.toks[p.i]
	if t.kind == tokError {
		return t, p.lex.err
	}
	return t, nil
}

// peekAt returns the token n places ahead of the next one (n >= 0), or the
// final token when there are not that many.
func (p *parser) peekAt(n int) (*token, error) {
	j := p.i + n
	if j >= len(p.toks) {
		j = len(p.toks) - 1
	}
	for k := p.i; k < j; k++ {
		if p.toks[k].kind == tokEOF || p.toks[k].kind == tokError {
			j = k
			break
		}
	}
	t := &p.toks[j]
	if t.kind == tokError {
		return t, p.lex.err
	}
	return t, nil
}

// next consumes and returns the next token. At the end of input it keeps
// returning the EOF token.
func (p *parser) next() (*token, error) {
	t, err := p.peek()
	if err != nil {
		return t, err
	}
	if t.kind != tokEOF {
		p.i++
	}
	return t, nil
}

// eat consumes the next token if it has kind k.
func (p *parser) eat(k tokKind) (bool, error) {
	t, err := p.peek()
	if err != nil {
		return false, err
	}
	if t.kind == k {
		p.i++
		return true, nil
	}
	return false, nil
}

// expect consumes a token of kind k or fails with wit-parser's "expected
// X, found Y" (pointing at the start of the found token, as the lexer's
// Wanted error does).
func (p *parser) expect(k tokKind) (*token, error) {
	t, err := p.next()
	if err != nil {
		return t, err
	}
	if t.kind != k {
		return t, newError(p.src, Span{Pos: p.tokPos(t), Len: 1}, "expected %s, found %s", k, t.kind)
	}
	return t, nil
}

// errExpected is wit-parser's err_expected: "expected <what>, found <t>"
// spanning the found token.
func (p *parser) errExpected(what string, t *token) error {
	return newError(p.src, p.tokSpan(t), "expected %s, found %s", what, t.kind)
}

// tokPos returns the position of t's first byte.
func (p *parser) tokPos(t *token) wit.Pos {
	return wit.Pos{Filename: p.path, Offset: t.start, Line: t.line, Col: t.col}
}

// tokSpan returns the span of t.
func (p *parser) tokSpan(t *token) Span {
	n := t.end - t.start
	if n > 0 && !isASCII(p.src[t.start:t.end]) {
		n = runeCount(p.src[t.start:t.end])
	}
	return Span{Pos: p.tokPos(t), Len: max(n, 1)}
}

// spanFrom returns the span from the start of token `from` to the end of
// token `to` (inclusive).
func (p *parser) spanFrom(from, to *token) Span {
	end := max(to.end, from.start)
	return Span{Pos: p.tokPos(from), Len: max(runeCount(p.src[from.start:end]), 1)}
}

// prev returns the last consumed token.
func (p *parser) prev() *token {
	if p.i == 0 {
		return &p.toks[0]
	}
	return &p.toks[p.i-1]
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// ---- identifiers, versions, docs, attributes ----

// parseID parses an identifier or %-identifier and validates it.
func (p *parser) parseID() (Ident, error) {
	t, err := p.next()
	if err != nil {
		return Ident{}, err
	}
	return p.identFrom(t)
}

// identFrom turns an identifier token into an Ident.
func (p *parser) identFrom(t *token) (Ident, error) {
	var text []byte
	switch t.kind {
	case tokID:
		text = p.src[t.start:t.end]
	case tokExplicitID:
		text = p.src[t.start+1 : t.end]
	default:
		return Ident{}, p.errExpected("an identifier or string", t)
	}
	if msg := validateID(text); msg != "" {
		return Ident{}, newError(p.src, Span{Pos: p.tokPos(t), Len: 1}, "%s", msg)
	}
	return Ident{Name: string(text), Span: p.tokSpan(t)}, nil
}

// docs returns the doc comment of the item starting at token t: the
// comments between the previous token and t, processed as wit-parser's
// resolver does (ast/resolve.rs `docs`): `/** */` loses its markers, other
// comments lose their leading slashes (so `/* x */` becomes "* x */"),
// trailing whitespace is trimmed, the common run of leading spaces is
// removed, and the lines are joined with "\n".
func (p *parser) docs(t *token) AstDocs {
	if t.comLo == t.comHi {
		return AstDocs{}
	}
	cs := p.lex.comments[t.comLo:t.comHi]
	parts := p.docParts[:0]
	minWS := -1
	total := 0
	for _, c := range cs {
		total += c.end - c.start
		text := p.src[c.start:c.end]
		if bytes.HasPrefix(text, []byte("/**")) {
			text = text[3:]
			if bytes.HasSuffix(text, []byte("*/")) {
				text = text[:len(text)-2]
			} else {
				text = nil // `/**/`
			}
		} else {
			text = bytes.TrimLeft(text, "/")
		}
		text = bytes.TrimRightFunc(text, unicode.IsSpace)
		if len(text) > 0 {
			ws := 0
			for ws < len(text) && isASCIISpace(text[ws]) {
				ws++
			}
			if minWS < 0 || ws < minWS {
				minWS = ws
			}
		}
		parts = append(parts, text)
	}
	p.docParts = parts[:0]
	var sb strings.Builder
	sb.Grow(total)
	for _, part := range parts {
		if minWS > 0 && len(part) >= minWS && allSpaces(part[:minWS]) {
			part = part[minWS:]
		}
		if len(part) == 0 {
			sb.WriteByte('\n')
			continue
		}
		for len(part) > 0 {
			line := part
			if i := bytes.IndexByte(part, '\n'); i >= 0 {
				line, part = part[:i], part[i+1:]
			} else {
				part = nil
			}
			line = bytes.TrimSuffix(line, []byte("\r"))
			sb.Write(line)
			sb.WriteByte('\n')
		}
	}
	contents := strings.TrimRight(sb.String(), "\n")
	first, last := cs[0], cs[len(cs)-1]
	end := first.start + len(bytes.TrimRightFunc(p.src[first.start:last.end], unicode.IsSpace))
	span := Span{
		Pos: wit.Pos{Filename: p.path, Offset: first.start, Line: first.line, Col: first.col},
		Len: max(runeCount(p.src[first.start:end]), 1),
	}
	return AstDocs{Contents: contents, Span: span}
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

func allSpaces(b []byte) bool {
	for _, c := range b {
		if c != ' ' {
			return false
		}
	}
	return true
}

// parseOptVersion parses `@version` if present.
func (p *parser) parseOptVersion() (string, Span, error) {
	ok, err := p.eat(tokAt)
	if err != nil || !ok {
		return "", Span{}, err
	}
	return p.parseVersion()
}

// parseVersion parses a semver version: three integers separated by '.',
// then optional `-pre.release` and `+build.meta` parts, chomping tokens the
// way wit-parser does, then validates the text as semver.
func (p *parser) parseVersion() (string, Span, error) {
	first, err := p.expect(tokInteger)
	if err != nil {
		return "", Span{}, err
	}
	for _, k := range [...]tokKind{tokPeriod, tokInteger, tokPeriod, tokInteger} {
		if _, err := p.expect(k); err != nil {
			return "", Span{}, err
		}
	}
	last := p.prev()
	for _, prefix := range [...]tokKind{tokMinus, tokPlus} {
		l, err := p.eatVersionIDs(prefix)
		if err != nil {
			return "", Span{}, err
		}
		if l != nil {
			last = l
		}
	}
	span := p.spanFrom(first, last)
	text := string(p.src[first.start:last.end])
	if msg := checkSemver(text); msg != "" {
		return "", Span{}, newError(p.src, span, "%s", msg)
	}
	return text, span, nil
}

// eatVersionIDs eats `prefix` and the identifiers, integers, '-' and '.'
// that follow it in a pre-release or build-metadata part. A '.' is eaten
// only when another part follows it (so `@1.0.0-rc.{` leaves `.{`). It
// returns the last token eaten, or nil.
func (p *parser) eatVersionIDs(prefix tokKind) (*token, error) {
	ok, err := p.eat(prefix)
	if err != nil || !ok {
		return nil, err
	}
	last := p.prev()
	for {
		t, err := p.peek()
		if err != nil {
			return nil, err
		}
		switch t.kind {
		case tokID, tokInteger, tokMinus:
			p.i++
			last = t
			continue
		case tokPeriod:
			t2, err := p.peekAt(1)
			if err != nil {
				return nil, err
			}
			if t2.kind == tokID || t2.kind == tokInteger || t2.kind == tokMinus {
				p.i += 2
				last = t2
				continue
			}
		}
		return last, nil
	}
}

// checkSemver validates a semantic version (semver.org 2.0.0) and returns
// a message describing the first problem, or "".
func checkSemver(v string) string {
	rest := v
	for i, part := range [...]string{"major", "minor", "patch"} {
		j := 0
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		num := rest[:j]
		if num == "" {
			return "unexpected character in " + part + " version number"
		}
		if len(num) > 1 && num[0] == '0' {
			return "invalid leading zero in " + part + " version number"
		}
		if _, err := strconv.ParseUint(num, 10, 64); err != nil {
			return "value of " + part + " version number exceeds u64::MAX"
		}
		rest = rest[j:]
		if i < 2 {
			if rest == "" || rest[0] != '.' {
				return "unexpected end of input while parsing " + part + " version number"
			}
			rest = rest[1:]
		}
	}
	if rest == "" {
		return ""
	}
	if rest[0] == '-' {
		pre := rest[1:]
		if i := strings.IndexByte(pre, '+'); i >= 0 {
			pre, rest = pre[:i], pre[i:]
		} else {
			rest = ""
		}
		if msg := checkSemverIDs(pre, "pre-release", true); msg != "" {
			return msg
		}
	}
	if rest == "" {
		return ""
	}
	if rest[0] != '+' {
		return "unexpected character " + quoteRune(rune(rest[0])) + " after patch version number"
	}
	return checkSemverIDs(rest[1:], "build metadata", false)
}

// checkSemverIDs validates dot-separated semver identifiers.
func checkSemverIDs(s, what string, noLeadingZero bool) string {
	if s == "" {
		return "empty identifier segment in " + what
	}
	for seg := range strings.SplitSeq(s, ".") {
		if seg == "" {
			return "empty identifier segment in " + what
		}
		numeric := true
		for i := 0; i < len(seg); i++ {
			c := seg[i]
			switch {
			case c >= '0' && c <= '9':
			case c == '-' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'):
				numeric = false
			default:
				r, _ := utf8.DecodeRuneInString(seg[i:])
				return "unexpected character " + quoteRune(r) + " in " + what
			}
		}
		if noLeadingZero && numeric && len(seg) > 1 && seg[0] == '0' {
			return "invalid leading zero in " + what + " identifier"
		}
	}
	return ""
}

// parseAttributes parses the gates before an item: `@since(version = v)`,
// `@unstable(feature = f)` and `@deprecated(version = v)`. An attribute's
// Span is that of its name (as in wit-parser).
func (p *parser) parseAttributes() ([]Attribute, error) {
	var attrs []Attribute
	for {
		ok, err := p.eat(tokAt)
		if err != nil {
			return nil, err
		}
		if !ok {
			return attrs, nil
		}
		id, err := p.parseID()
		if err != nil {
			return nil, err
		}
		attr := Attribute{Span: id.Span}
		var key string
		switch id.Name {
		case "since":
			attr.Kind, key = AttrSince, "version"
		case "unstable":
			attr.Kind, key = AttrUnstable, "feature"
		case "deprecated":
			attr.Kind, key = AttrDeprecated, "version"
		default:
			return nil, newError(p.src, id.Span, "unknown attribute `%s`", id.Name)
		}
		if _, err := p.expect(tokLeftParen); err != nil {
			return nil, err
		}
		k, err := p.parseID()
		if err != nil {
			return nil, err
		}
		if k.Name != key {
			return nil, newError(p.src, k.Span, "expected `%s`, found `%s`", key, k.Name)
		}
		if _, err := p.expect(tokEquals); err != nil {
			return nil, err
		}
		if attr.Kind == AttrUnstable {
			f, err := p.parseID()
			if err != nil {
				return nil, err
			}
			attr.Value, attr.ValueSpan = f.Name, f.Span
		} else {
			attr.Value, attr.ValueSpan, err = p.parseVersion()
			if err != nil {
				return nil, err
			}
		}
		if _, err := p.expect(tokRightParen); err != nil {
			return nil, err
		}
		attrs = append(attrs, attr)
	}
}

// ---- top level ----

// parseFile parses a whole file: an optional `package ns:name@v;` header
// and then top-level items.
func (p *parser) parseFile() (*File, error) {
	f := &File{Path: p.path, Src: p.src}
	t, err := p.peek()
	if err != nil {
		return nil, err
	}
	if t.kind == tokPackage {
		// `package a:b;` is the header; `package a:b { ... }` is an item.
		save := p.i
		p.i++
		name, err := p.parsePackageName()
		if err != nil {
			return nil, err
		}
		semi, err := p.eat(tokSemicolon)
		if err != nil {
			return nil, err
		}
		if semi {
			f.Package = &PackageDecl{Docs: p.docs(t), Name: name, Span: p.tokSpan(t)}
		} else {
			p.i = save
		}
	}
	f.Items, err = p.parseDeclList(false, 0)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// parsePackageName parses `ns:name@version`.
func (p *parser) parsePackageName() (PackageName, error) {
	var n PackageName
	first, err := p.peek()
	if err != nil {
		return n, err
	}
	if n.Namespace, err = p.parseID(); err != nil {
		return n, err
	}
	if _, err = p.expect(tokColon); err != nil {
		return n, err
	}
	if n.Name, err = p.parseID(); err != nil {
		return n, err
	}
	if n.Version, n.VersionSpan, err = p.parseOptVersion(); err != nil {
		return n, err
	}
	n.Span = p.spanFrom(first, p.prev())
	return n, nil
}

// parseDeclList parses the items of a file (nested == false, up to EOF) or
// of a nested package (up to and including the closing '}'). depth is the
// number of enclosing nested packages.
func (p *parser) parseDeclList(nested bool, depth int) ([]Item, error) {
	end := tokEOF
	if nested {
		end = tokRightBrace
	}
	var items []Item
	err := p.parseItems(end, func(t *token, docs AstDocs, attrs []Attribute) error {
		var item Item
		var err error
		switch t.kind {
		case tokInterface:
			item, err = p.parseInterface(docs, attrs)
		case tokWorld:
			item, err = p.parseWorld(docs, attrs)
		case tokUse:
			item, err = p.parseTopLevelUse(attrs)
		case tokPackage:
			var pkg *NestedPackage
			pkg, err = p.parseNestedPackage(docs, attrs, depth)
			if pkg != nil && depth == 0 {
				item = pkg
			}
		default:
			return p.errExpected("`world`, `interface` or `use`", t)
		}
		if err != nil {
			return err
		}
		if item != nil {
			items = append(items, item)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return items, nil
}

// parseItems parses a list of items, each preceded by its doc comments and
// attributes, up to the token kind end: a closing '}', which it consumes,
// or tokEOF, which it leaves. For each item it calls item with the item's
// first token (after docs and attributes).
func (p *parser) parseItems(end tokKind, item func(t *token, docs AstDocs, attrs []Attribute) error) error {
	for {
		t, err := p.peek()
		if err != nil {
			return err
		}
		if t.kind == end {
			if end != tokEOF {
				p.i++
			}
			return nil
		}
		docs := p.docs(t)
		attrs, err := p.parseAttributes()
		if err != nil {
			return err
		}
		if t, err = p.peek(); err != nil {
			return err
		}
		if err := item(t, docs, attrs); err != nil {
			return err
		}
	}
}

// parseNestedPackage parses `package ns:name@v { items }`. Packages inside
// nested packages are parsed (to find syntax errors, as wit-parser does)
// and then dropped with a deferred error.
func (p *parser) parseNestedPackage(docs AstDocs, attrs []Attribute, depth int) (*NestedPackage, error) {
	kw, err := p.expect(tokPackage)
	if err != nil {
		return nil, err
	}
	if len(attrs) > 0 {
		return nil, newError(p.src, p.tokSpan(kw), "cannot place attributes on nested packages")
	}
	if depth >= maxPackageNesting {
		return nil, newError(p.src, p.tokSpan(kw), "package nesting too deep")
	}
	name, err := p.parsePackageName()
	if err != nil {
		return nil, err
	}
	if depth == 1 && p.nestedErr == nil {
		p.nestedErr = newError(p.src, name.Span, "nested packages must be placed at the top-level")
	}
	if _, err := p.expect(tokLeftBrace); err != nil {
		return nil, err
	}
	items, err := p.parseDeclList(true, depth+1)
	if err != nil {
		return nil, err
	}
	return &NestedPackage{Docs: docs, Attrs: attrs, Name: name, Items: items, Span: p.tokSpan(kw)}, nil
}

// parseTopLevelUse parses `use path as name;` at the top level.
func (p *parser) parseTopLevelUse(attrs []Attribute) (*TopLevelUse, error) {
	kw, err := p.expect(tokUse)
	if err != nil {
		return nil, err
	}
	u := &TopLevelUse{Attrs: attrs, Span: p.tokSpan(kw)}
	if u.Path, err = p.parseUsePath(); err != nil {
		return nil, err
	}
	ok, err := p.eat(tokAs)
	if err != nil {
		return nil, err
	}
	if ok {
		as, err := p.parseID()
		if err != nil {
			return nil, err
		}
		u.As = &as
	}
	if _, err := p.expect(tokSemicolon); err != nil {
		return nil, err
	}
	return u, nil
}

// parseUsePath parses `iface` or `ns:pkg/iface@version`. For the latter
// the PackageName's Span covers `ns:pkg` only, as in wit-parser.
func (p *parser) parseUsePath() (UsePath, error) {
	var u UsePath
	first, err := p.peek()
	if err != nil {
		return u, err
	}
	id, err := p.parseID()
	if err != nil {
		return u, err
	}
	ok, err := p.eat(tokColon)
	if err != nil {
		return u, err
	}
	if !ok {
		u.Name, u.Span = id, id.Span
		return u, nil
	}
	pkg := &PackageName{Namespace: id}
	if pkg.Name, err = p.parseID(); err != nil {
		return u, err
	}
	pkg.Span = p.spanFrom(first, p.prev())
	if _, err := p.expect(tokSlash); err != nil {
		return u, err
	}
	if u.Name, err = p.parseID(); err != nil {
		return u, err
	}
	if pkg.Version, pkg.VersionSpan, err = p.parseOptVersion(); err != nil {
		return u, err
	}
	u.Package = pkg
	u.Span = p.spanFrom(first, p.prev())
	return u, nil
}

// ---- interfaces and worlds ----

// parseInterface parses `interface name { items }`.
func (p *parser) parseInterface(docs AstDocs, attrs []Attribute) (*InterfaceDecl, error) {
	kw, err := p.expect(tokInterface)
	if err != nil {
		return nil, err
	}
	d := &InterfaceDecl{Docs: docs, Attrs: attrs, Span: p.tokSpan(kw)}
	if d.Name, err = p.parseID(); err != nil {
		return nil, err
	}
	if d.Items, err = p.parseInterfaceItems(); err != nil {
		return nil, err
	}
	return d, nil
}

// parseInterfaceItems parses `{ items }` of an interface.
func (p *parser) parseInterfaceItems() ([]InterfaceItem, error) {
	if _, err := p.expect(tokLeftBrace); err != nil {
		return nil, err
	}
	var items []InterfaceItem
	err := p.parseItems(tokRightBrace, func(t *token, docs AstDocs, attrs []Attribute) error {
		var item InterfaceItem
		var err error
		switch t.kind {
		case tokType, tokFlags, tokEnum, tokVariant, tokResource, tokRecord:
			item, err = p.parseTypeDecl(docs, attrs)
		case tokID, tokExplicitID:
			item, err = p.parseFuncDecl(docs, attrs)
		case tokUse:
			item, err = p.parseUse(attrs)
		default:
			return p.errExpected("`type`, `resource` or `func`", t)
		}
		if err != nil {
			return err
		}
		items = append(items, item)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return items, nil
}

// parseWorld parses `world name { items }`.
func (p *parser) parseWorld(docs AstDocs, attrs []Attribute) (*WorldDecl, error) {
	kw, err := p.expect(tokWorld)
	if err != nil {
		return nil, err
	}
	w := &WorldDecl{Docs: docs, Attrs: attrs, Span: p.tokSpan(kw)}
	if w.Name, err = p.parseID(); err != nil {
		return nil, err
	}
	if _, err := p.expect(tokLeftBrace); err != nil {
		return nil, err
	}
	err = p.parseItems(tokRightBrace, func(t *token, docs AstDocs, attrs []Attribute) error {
		var item WorldItem
		var err error
		switch t.kind {
		case tokImport, tokExport:
			item, err = p.parseImportExport(docs, attrs)
		case tokUse:
			item, err = p.parseUse(attrs)
		case tokType, tokFlags, tokResource, tokRecord, tokVariant, tokEnum:
			item, err = p.parseTypeDecl(docs, attrs)
		case tokInclude:
			item, err = p.parseInclude(attrs)
		default:
			return p.errExpected("`import`, `export`, `include`, `use`, or type definition", t)
		}
		if err != nil {
			return err
		}
		w.Items = append(w.Items, item)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// parseImportExport parses an import or export:
//
//	import name: func(...);
//	import name: async func(...);
//	import name: interface { ... }
//	import name: path;            (named import of an interface)
//	import path;
func (p *parser) parseImportExport(docs AstDocs, attrs []Attribute) (*ImportExport, error) {
	kw, err := p.next()
	if err != nil {
		return nil, err
	}
	ie := &ImportExport{Docs: docs, Attrs: attrs, Export: kw.kind == tokExport, Span: p.tokSpan(kw)}
	start := p.i
	name, err := p.parseID()
	if err != nil {
		return nil, err
	}
	colon, err := p.eat(tokColon)
	if err != nil {
		return nil, err
	}
	if colon {
		t, err := p.peek()
		if err != nil {
			return nil, err
		}
		switch t.kind {
		case tokFunc, tokAsync:
			ie.Kind, ie.Name = ExternFunc, name
			if ie.Func, err = p.parseFunc(); err != nil {
				return nil, err
			}
			if _, err := p.expect(tokSemicolon); err != nil {
				return nil, err
			}
			return ie, nil
		case tokInterface:
			p.i++
			ie.Kind, ie.Name = ExternInterface, name
			if ie.Items, err = p.parseInterfaceItems(); err != nil {
				return nil, err
			}
			return ie, nil
		case tokID, tokExplicitID:
			// `name: iface;` or `name: ns:pkg/iface@v;` names an existing
			// interface; `ns:pkg/iface` alone is a plain path.
			t2, err := p.peekAt(1)
			if err != nil {
				return nil, err
			}
			if t2.kind == tokSemicolon || t2.kind == tokColon {
				ie.Kind, ie.Name = ExternNamedPath, name
				if ie.Path, err = p.parseUsePath(); err != nil {
					return nil, err
				}
				if _, err := p.expect(tokSemicolon); err != nil {
					return nil, err
				}
				return ie, nil
			}
		}
	}
	p.i = start
	ie.Kind = ExternPath
	if ie.Path, err = p.parseUsePath(); err != nil {
		return nil, err
	}
	if _, err := p.expect(tokSemicolon); err != nil {
		return nil, err
	}
	return ie, nil
}

// parseUse parses `use path.{a, b as c};`.
func (p *parser) parseUse(attrs []Attribute) (*Use, error) {
	kw, err := p.expect(tokUse)
	if err != nil {
		return nil, err
	}
	u := &Use{Attrs: attrs, Span: p.tokSpan(kw)}
	if u.From, err = p.parseUsePath(); err != nil {
		return nil, err
	}
	if _, err := p.expect(tokPeriod); err != nil {
		return nil, err
	}
	if _, err := p.expect(tokLeftBrace); err != nil {
		return nil, err
	}
	for {
		ok, err := p.eat(tokRightBrace)
		if err != nil {
			return nil, err
		}
		if ok {
			break
		}
		var n UseName
		if n.Name, err = p.parseID(); err != nil {
			return nil, err
		}
		if ok, err = p.eat(tokAs); err != nil {
			return nil, err
		}
		if ok {
			as, err := p.parseID()
			if err != nil {
				return nil, err
			}
			n.As = &as
		}
		u.Names = append(u.Names, n)
		if ok, err = p.eat(tokComma); err != nil {
			return nil, err
		}
		if !ok {
			if _, err := p.expect(tokRightBrace); err != nil {
				return nil, err
			}
			break
		}
	}
	if _, err := p.expect(tokSemicolon); err != nil {
		return nil, err
	}
	return u, nil
}

// parseInclude parses `include path;` or `include path with { a as b }`.
func (p *parser) parseInclude(attrs []Attribute) (*Include, error) {
	kw, err := p.expect(tokInclude)
	if err != nil {
		return nil, err
	}
	inc := &Include{Attrs: attrs, Span: p.tokSpan(kw)}
	if inc.From, err = p.parseUsePath(); err != nil {
		return nil, err
	}
	with, err := p.eat(tokWith)
	if err != nil {
		return nil, err
	}
	if !with {
		if _, err := p.expect(tokSemicolon); err != nil {
			return nil, err
		}
		return inc, nil
	}
	if _, err := p.expect(tokLeftBrace); err != nil {
		return nil, err
	}
	err = p.parseListTrailer(tokRightBrace, func(AstDocs) error {
		var n IncludeName
		var err error
		if n.Name, err = p.parseID(); err != nil {
			return err
		}
		if _, err := p.expect(tokAs); err != nil {
			return err
		}
		if n.As, err = p.parseID(); err != nil {
			return err
		}
		inc.Names = append(inc.Names, n)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return inc, nil
}

// parseListTrailer parses `item, item, ... end` (trailing comma allowed),
// after the opening token. Each item gets its doc comment.
func (p *parser) parseListTrailer(end tokKind, item func(AstDocs) error) error {
	for {
		t, err := p.peek()
		if err != nil {
			return err
		}
		if t.kind == end {
			p.i++
			return nil
		}
		if err := item(p.docs(t)); err != nil {
			return err
		}
		ok, err := p.eat(tokComma)
		if err != nil {
			return err
		}
		if !ok {
			_, err := p.expect(end)
			return err
		}
	}
}

// ---- functions ----

// parseFuncDecl parses `name: func(...) -> T;` in an interface.
func (p *parser) parseFuncDecl(docs AstDocs, attrs []Attribute) (*FuncDecl, error) {
	first, err := p.peek()
	if err != nil {
		return nil, err
	}
	d := &FuncDecl{Docs: docs, Attrs: attrs, Span: p.tokSpan(first)}
	if d.Name, err = p.parseID(); err != nil {
		return nil, err
	}
	if _, err := p.expect(tokColon); err != nil {
		return nil, err
	}
	if d.Func, err = p.parseFunc(); err != nil {
		return nil, err
	}
	if _, err := p.expect(tokSemicolon); err != nil {
		return nil, err
	}
	return d, nil
}

// parseFunc parses `async? func(params) -> result`. Its Span is that of
// the `func` keyword.
func (p *parser) parseFunc() (*Func, error) {
	async, err := p.eat(tokAsync)
	if err != nil {
		return nil, err
	}
	kw, err := p.expect(tokFunc)
	if err != nil {
		return nil, err
	}
	f := &Func{Async: async, Span: p.tokSpan(kw)}
	if err := p.parseParamsAndResult(f); err != nil {
		return nil, err
	}
	return f, nil
}

// parseParamsAndResult parses `(params) -> result` into f.
func (p *parser) parseParamsAndResult(f *Func) error {
	if _, err := p.expect(tokLeftParen); err != nil {
		return err
	}
	err := p.parseListTrailer(tokRightParen, func(AstDocs) error {
		var prm Param
		var err error
		if prm.Name, err = p.parseID(); err != nil {
			return err
		}
		if _, err := p.expect(tokColon); err != nil {
			return err
		}
		if prm.Type, err = p.parseType(0); err != nil {
			return err
		}
		f.Params = append(f.Params, prm)
		return nil
	})
	if err != nil {
		return err
	}
	arrow, err := p.eat(tokRArrow)
	if err != nil {
		return err
	}
	if arrow {
		if f.Result, err = p.parseType(0); err != nil {
			return err
		}
	}
	return nil
}

// ---- type declarations ----

// parseTypeDecl parses `type`, `record`, `variant`, `enum`, `flags` and
// `resource` declarations.
func (p *parser) parseTypeDecl(docs AstDocs, attrs []Attribute) (*TypeDecl, error) {
	kw, err := p.next()
	if err != nil {
		return nil, err
	}
	d := &TypeDecl{Docs: docs, Attrs: attrs, Span: p.tokSpan(kw)}
	if d.Name, err = p.parseID(); err != nil {
		return nil, err
	}
	switch kw.kind {
	case tokType:
		if _, err := p.expect(tokEquals); err != nil {
			return nil, err
		}
		if d.Type, err = p.parseType(0); err != nil {
			return nil, err
		}
		if _, err := p.expect(tokSemicolon); err != nil {
			return nil, err
		}
	case tokRecord:
		r := &TypeRecord{Span: d.Name.Span}
		d.Type = r
		if _, err := p.expect(tokLeftBrace); err != nil {
			return nil, err
		}
		err = p.parseListTrailer(tokRightBrace, func(docs AstDocs) error {
			fld := RecordField{Docs: docs}
			var err error
			if fld.Name, err = p.parseID(); err != nil {
				return err
			}
			if _, err := p.expect(tokColon); err != nil {
				return err
			}
			if fld.Type, err = p.parseType(0); err != nil {
				return err
			}
			r.Fields = append(r.Fields, fld)
			return nil
		})
	case tokVariant:
		v := &TypeVariant{Span: d.Name.Span}
		d.Type = v
		if _, err := p.expect(tokLeftBrace); err != nil {
			return nil, err
		}
		err = p.parseListTrailer(tokRightBrace, func(docs AstDocs) error {
			c := VariantCase{Docs: docs}
			var err error
			if c.Name, err = p.parseID(); err != nil {
				return err
			}
			paren, err := p.eat(tokLeftParen)
			if err != nil {
				return err
			}
			if paren {
				if c.Type, err = p.parseType(0); err != nil {
					return err
				}
				if _, err := p.expect(tokRightParen); err != nil {
					return err
				}
			}
			v.Cases = append(v.Cases, c)
			return nil
		})
	case tokEnum:
		e := &TypeEnum{Span: d.Name.Span}
		d.Type = e
		err = p.parseNameList(func(docs AstDocs, name Ident) {
			e.Cases = append(e.Cases, EnumCase{Docs: docs, Name: name})
		})
	case tokFlags:
		fl := &TypeFlags{Span: d.Name.Span}
		d.Type = fl
		err = p.parseNameList(func(docs AstDocs, name Ident) {
			fl.Flags = append(fl.Flags, FlagName{Docs: docs, Name: name})
		})
	case tokResource:
		r := &TypeResource{Span: d.Name.Span}
		d.Type = r
		err = p.parseResourceBody(r)
	}
	if err != nil {
		return nil, err
	}
	return d, nil
}

// parseNameList parses the `{ name, ... }` body of an enum or flags (a
// trailing comma allowed), passing each name with its doc comments to add.
func (p *parser) parseNameList(add func(docs AstDocs, name Ident)) error {
	if _, err := p.expect(tokLeftBrace); err != nil {
		return err
	}
	return p.parseListTrailer(tokRightBrace, func(docs AstDocs) error {
		name, err := p.parseID()
		if err != nil {
			return err
		}
		add(docs, name)
		return nil
	})
}

// parseResourceBody parses `;` or `{ funcs }` after `resource name`.
func (p *parser) parseResourceBody(r *TypeResource) error {
	brace, err := p.eat(tokLeftBrace)
	if err != nil {
		return err
	}
	if !brace {
		_, err := p.expect(tokSemicolon)
		return err
	}
	return p.parseItems(tokRightBrace, func(t *token, docs AstDocs, attrs []Attribute) error {
		rf := ResourceFunc{Docs: docs, Attrs: attrs, Span: p.tokSpan(t)}
		var err error
		switch t.kind {
		case tokConstructor:
			p.i++
			rf.Kind = ResourceConstructor
			rf.Name = Ident{Name: "constructor", Span: p.tokSpan(t)}
			rf.Func = &Func{Span: p.tokSpan(t)}
			if err := p.parseParamsAndResult(rf.Func); err != nil {
				return err
			}
		case tokID, tokExplicitID:
			if rf.Name, err = p.parseID(); err != nil {
				return err
			}
			if _, err := p.expect(tokColon); err != nil {
				return err
			}
			static, err := p.eat(tokStatic)
			if err != nil {
				return err
			}
			rf.Kind = ResourceMethod
			if static {
				rf.Kind = ResourceStatic
			}
			if rf.Func, err = p.parseFunc(); err != nil {
				return err
			}
		default:
			return p.errExpected("`constructor` or identifier", t)
		}
		if _, err := p.expect(tokSemicolon); err != nil {
			return err
		}
		r.Funcs = append(r.Funcs, rf)
		return nil
	})
}

// ---- type expressions ----

// primitives maps primitive-type tokens to the model's primitives.
var primitives = [numTokKinds]wit.Primitive{
	tokBool: wit.Bool, tokU8: wit.U8, tokU16: wit.U16, tokU32: wit.U32, tokU64: wit.U64,
	tokS8: wit.S8, tokS16: wit.S16, tokS32: wit.S32, tokS64: wit.S64,
	tokF32: wit.F32, tokF64: wit.F64, tokChar: wit.Char, tokString: wit.String,
	tokErrorContext: wit.ErrorContext,
}

// parseType parses a type expression. depth counts the enclosing type
// constructors (list, option, ...); nesting beyond maxTypeNesting fails.
func (p *parser) parseType(depth int) (TypeExpr, error) {
	t, err := p.next()
	if err != nil {
		return nil, err
	}
	if prim := primitives[t.kind]; prim != 0 {
		return &TypePrimitive{Prim: prim, Span: p.tokSpan(t)}, nil
	}
	switch t.kind {
	case tokID, tokExplicitID:
		id, err := p.identFrom(t)
		if err != nil {
			return nil, err
		}
		return &TypeName{Name: id}, nil
	case tokOwn, tokBorrow:
		if _, err := p.expect(tokLessThan); err != nil {
			return nil, err
		}
		res, err := p.parseID()
		if err != nil {
			return nil, err
		}
		if _, err := p.expect(tokGreaterThan); err != nil {
			return nil, err
		}
		return &TypeHandle{Borrow: t.kind == tokBorrow, Resource: res, Span: res.Span}, nil
	case tokTuple, tokList, tokMap, tokOption, tokResult, tokFuture, tokStream:
	default:
		return nil, p.errExpected("a type", t)
	}
	span := p.tokSpan(t)
	if depth >= maxTypeNesting {
		return nil, newError(p.src, span, "type nesting too deep")
	}
	depth++
	switch t.kind {
	case tokTuple:
		tt := &TypeTuple{Span: span}
		if _, err := p.expect(tokLessThan); err != nil {
			return nil, err
		}
		err := p.parseListTrailer(tokGreaterThan, func(AstDocs) error {
			ty, err := p.parseType(depth)
			if err != nil {
				return err
			}
			tt.Types = append(tt.Types, ty)
			return nil
		})
		if err != nil {
			return nil, err
		}
		return tt, nil
	case tokList:
		if _, err := p.expect(tokLessThan); err != nil {
			return nil, err
		}
		elem, err := p.parseType(depth)
		if err != nil {
			return nil, err
		}
		comma, err := p.eat(tokComma)
		if err != nil {
			return nil, err
		}
		if !comma {
			if _, err := p.expect(tokGreaterThan); err != nil {
				return nil, err
			}
			return &TypeList{Elem: elem, Span: span}, nil
		}
		n, err := p.next()
		if err != nil {
			return nil, err
		}
		if n.kind != tokInteger {
			return nil, p.errExpected("fixed-length", n)
		}
		size, perr := strconv.ParseUint(string(p.src[n.start:n.end]), 10, 32)
		if perr != nil {
			return nil, newError(p.src, p.tokSpan(n), "number too large to fit in target type")
		}
		if _, err := p.expect(tokGreaterThan); err != nil {
			return nil, err
		}
		return &TypeFixedList{Elem: elem, Length: uint32(size), Span: span}, nil
	case tokMap:
		if _, err := p.expect(tokLessThan); err != nil {
			return nil, err
		}
		key, err := p.parseType(depth)
		if err != nil {
			return nil, err
		}
		if _, err := p.expect(tokComma); err != nil {
			return nil, err
		}
		val, err := p.parseType(depth)
		if err != nil {
			return nil, err
		}
		if _, err := p.expect(tokGreaterThan); err != nil {
			return nil, err
		}
		return &TypeMap{Key: key, Value: val, Span: span}, nil
	case tokOption:
		if _, err := p.expect(tokLessThan); err != nil {
			return nil, err
		}
		elem, err := p.parseType(depth)
		if err != nil {
			return nil, err
		}
		if _, err := p.expect(tokGreaterThan); err != nil {
			return nil, err
		}
		return &TypeOption{Elem: elem, Span: span}, nil
	case tokResult:
		r := &TypeResult{Span: span}
		lt, err := p.eat(tokLessThan)
		if err != nil || !lt {
			return r, err
		}
		under, err := p.eat(tokUnderscore)
		if err != nil {
			return nil, err
		}
		if under {
			if _, err := p.expect(tokComma); err != nil {
				return nil, err
			}
			if r.Err, err = p.parseType(depth); err != nil {
				return nil, err
			}
		} else {
			if r.OK, err = p.parseType(depth); err != nil {
				return nil, err
			}
			comma, err := p.eat(tokComma)
			if err != nil {
				return nil, err
			}
			if comma {
				if r.Err, err = p.parseType(depth); err != nil {
					return nil, err
				}
			}
		}
		if _, err := p.expect(tokGreaterThan); err != nil {
			return nil, err
		}
		return r, nil
	default: // tokFuture, tokStream
		var elem TypeExpr
		lt, err := p.eat(tokLessThan)
		if err != nil {
			return nil, err
		}
		if lt {
			if elem, err = p.parseType(depth); err != nil {
				return nil, err
			}
			if _, err := p.expect(tokGreaterThan); err != nil {
				return nil, err
			}
		}
		if t.kind == tokFuture {
			return &TypeFuture{Elem: elem, Span: span}, nil
		}
		return &TypeStream{Elem: elem, Span: span}, nil
	}
}
