package parser

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// lexKinds lexes src and returns the token kinds (without the final EOF)
// and the lexical error, if any.
func lexKinds(t *testing.T, src string) ([]tokKind, *Error) {
	t.Helper()
	l, err := tokenize("t.wit", []byte(src))
	if err != nil {
		return nil, err
	}
	var kinds []tokKind
	for _, tok := range l.toks {
		switch tok.kind {
		case tokEOF:
			return kinds, nil
		case tokError:
			return kinds, l.err
		}
		kinds = append(kinds, tok.kind)
	}
	t.Fatalf("token list of %q does not end with EOF or an error", src)
	return nil, nil
}

func TestLexTokens(t *testing.T) {
	tests := []struct {
		src  string
		want []tokKind
	}{
		{"", nil},
		{"  \t\n\r\n ", nil},
		{"_", []tokKind{tokUnderscore}},
		{"apple", []tokKind{tokID}},
		{"apple-pear", []tokKind{tokID}},
		{"apple--pear", []tokKind{tokID}},
		{"apple-Pear", []tokKind{tokID}},
		{"apple pear", []tokKind{tokID, tokID}},
		{"_a_p_p_l_e_", []tokKind{tokID}},
		{"garçon", []tokKind{tokID}},
		{"東京", []tokKind{tokID}},
		{"a0", []tokKind{tokID}},
		{"%a", []tokKind{tokExplicitID}},
		{"%a-a", []tokKind{tokExplicitID}},
		{"%bool", []tokKind{tokExplicitID}},
		{"%", []tokKind{tokExplicitID}},
		{"% a", []tokKind{tokExplicitID, tokID}},
		{"func", []tokKind{tokFunc}},
		{"a: func()", []tokKind{tokID, tokColon, tokFunc, tokLeftParen, tokRightParen}},
		{"own<some-id>", []tokKind{tokOwn, tokLessThan, tokID, tokGreaterThan}},
		{"borrow<x>", []tokKind{tokBorrow, tokLessThan, tokID, tokGreaterThan}},
		{"error-context", []tokKind{tokErrorContext}},
		{"error-contexts", []tokKind{tokID}},
		{"float32 f32 f64", []tokKind{tokID, tokF32, tokF64}},
		{"= , : . ; ( ) { } < > -> * @ / + -", []tokKind{
			tokEquals, tokComma, tokColon, tokPeriod, tokSemicolon, tokLeftParen, tokRightParen,
			tokLeftBrace, tokRightBrace, tokLessThan, tokGreaterThan, tokRArrow, tokStar, tokAt,
			tokSlash, tokPlus, tokMinus}},
		{"1.0.0", []tokKind{tokInteger, tokPeriod, tokInteger, tokPeriod, tokInteger}},
		{"1.2.3-rc.1+build-5", []tokKind{tokInteger, tokPeriod, tokInteger, tokPeriod, tokInteger,
			tokMinus, tokID, tokPeriod, tokInteger, tokPlus, tokID}},
		{"0a", []tokKind{tokInteger, tokID}},
		{"a// comment\nb", []tokKind{tokID, tokID}},
		{"a/* x /* nested */ y */b", []tokKind{tokID, tokID}},
		{"a /* */ b // eof", []tokKind{tokID, tokID}},
		{"x->y", []tokKind{tokID, tokGreaterThan, tokID}}, // '-' continues an identifier
		{"use type resource record flags variant enum option result future stream list map tuple",
			[]tokKind{tokUse, tokType, tokResource, tokRecord, tokFlags, tokVariant, tokEnum, tokOption,
				tokResult, tokFuture, tokStream, tokList, tokMap, tokTuple}},
		{"as from static interface import export world package constructor include with async",
			[]tokKind{tokAs, tokFrom, tokStatic, tokInterface, tokImport, tokExport, tokWorld, tokPackage,
				tokConstructor, tokInclude, tokWith, tokAsync}},
		{"\uFEFFa", []tokKind{tokID}},
	}
	for _, tt := range tests {
		got, err := lexKinds(t, tt.src)
		if err != nil {
			t.Errorf("lex %q: %v", tt.src, err)
			continue
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("lex %q:\n got %v\nwant %v", tt.src, got, tt.want)
		}
	}
}

func TestLexErrors(t *testing.T) {
	tests := []struct {
		src       string
		line, col int
		msg       string
	}{
		{"a\n  $", 2, 3, "unexpected character '$'"},
		{"a \"s\"", 1, 3, `unexpected character '"'`},
		{"a\rb", 1, 2, `unexpected character '\r'`},
		{"a\n /* x /* y */", 2, 2, "unterminated block comment"},
		{"a\n /* x \n\n", 2, 2, "unterminated block comment"},
		{"é $", 1, 3, "unexpected character '$'"},
		{"a\x00", 1, 2, `Control code '\u{0}' at line 1`},
		{"a\n\x1b", 2, 1, `Control code '\u{1b}' at line 2`},
		{"a\u0085", 1, 2, `Control code '\u{85}' at line 1`},
		{"a\n\u202e", 2, 1, `Input contains bidirectional override codepoint '\u{202e}' at line 2`},
		{"\u2068", 1, 1, `Input contains bidirectional override codepoint '\u{2068}' at line 1`},
		{"\u0149", 1, 1, `Codepoint '\u{149}' at line 1 is discouraged by Unicode`},
		{"ab\xff", 1, 3, "invalid UTF-8 in input at line 1"},
		{"x \uFEFF", 1, 3, `unexpected character '\u{feff}'`},
		{"١", 1, 1, "unexpected character '١'"},
	}
	for _, tt := range tests {
		_, err := lexKinds(t, tt.src)
		if err == nil {
			t.Errorf("lex %q: no error, want %q", tt.src, tt.msg)
			continue
		}
		if err.Span.Pos.Line != tt.line || err.Span.Pos.Col != tt.col || err.Msg != tt.msg {
			t.Errorf("lex %q: got %d:%d %q, want %d:%d %q", tt.src,
				err.Span.Pos.Line, err.Span.Pos.Col, err.Msg, tt.line, tt.col, tt.msg)
		}
	}
}

// TestLexPositions checks line, column (in Unicode scalar values) and byte
// offsets, including after multibyte characters, tabs, CRLF and comments.
func TestLexPositions(t *testing.T) {
	src := "a é\tb\r\n  /* ü\n */ c // ÿ\n\u00e9x-y %z\n\uFEFF"
	type pos struct{ line, col, off int }
	want := []pos{
		{1, 1, 0},  // a
		{1, 3, 2},  // é
		{1, 5, 5},  // b
		{3, 5, 20}, // c (after a block comment spanning a newline)
		{4, 1, 28}, // éx-y
		{4, 6, 34}, // %z
		{5, 1, 37}, // unexpected U+FEFF
	}
	l, err := tokenize("t.wit", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.toks) != len(want) {
		t.Fatalf("got %d tokens, want %d", len(l.toks), len(want))
	}
	for i, tok := range l.toks {
		got := pos{tok.line, tok.col, tok.start}
		if got != want[i] {
			t.Errorf("token %d (%s): got %+v, want %+v", i, tok.kind, got, want[i])
		}
	}
	if l.toks[len(l.toks)-1].kind != tokError {
		t.Errorf("last token is %s, want an error", l.toks[len(l.toks)-1].kind)
	}
}

// TestLexComments checks the comments recorded before each token.
func TestLexComments(t *testing.T) {
	src := "// one\r\n/* two /* nested */ */\nx /**/ y"
	l, err := tokenize("t.wit", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.comments) != 3 {
		t.Fatalf("got %d comments, want 3", len(l.comments))
	}
	texts := []string{"// one\r\n", "/* two /* nested */ */", "/**/"}
	for i, c := range l.comments {
		if got := src[c.start:c.end]; got != texts[i] {
			t.Errorf("comment %d: got %q, want %q", i, got, texts[i])
		}
	}
	x, y := l.toks[0], l.toks[1]
	if x.comLo != 0 || x.comHi != 2 || y.comLo != 2 || y.comHi != 3 {
		t.Errorf("comment ranges: x [%d,%d) y [%d,%d)", x.comLo, x.comHi, y.comLo, y.comHi)
	}
	if c := l.comments[1]; c.line != 2 || c.col != 1 {
		t.Errorf("second comment at %d:%d, want 2:1", c.line, c.col)
	}
}

// TestDocs checks how comments become doc strings, following wit-parser.
func TestDocs(t *testing.T) {
	tests := []struct {
		comments string
		want     string
	}{
		{"", ""},
		{"/// hello\n", "hello"},
		{"// hello\n// world\n", "hello\nworld"},
		{"/// a\n///   b\n", "a\n  b"},
		{"/// a\n///\n/// b\n", "a\n\nb"},
		{"/** block\n  doc */\n", "block\n  doc"},
		{"/* this too */\n", "* this too */"},
		{"// hello\n/* x */", " hello\n* x */"},
		{"//// four\n", "four"},
		{"/**/\n", ""},
		{"///\ttab\n/// sp\n", "\ttab\nsp"}, // only spaces are stripped
		{"/// crlf\r\n/// end\r\n", "crlf\nend"},
		{"/// trailing   \n", "trailing"},
	}
	for _, tt := range tests {
		src := "package a:b;\n" + tt.comments + "interface i {}\n"
		f, err := ParseFile("t.wit", []byte(src))
		if err != nil {
			t.Errorf("%q: %v", tt.comments, err)
			continue
		}
		got := f.Items[0].(*InterfaceDecl).Docs.Contents
		if got != tt.want {
			t.Errorf("docs of %q: got %q, want %q", tt.comments, got, tt.want)
		}
	}
}

func TestValidateID(t *testing.T) {
	valid := []string{"apple", "apple-pear", "apple-pear-grape", "a0", "a", "a-a", "bool", "APPLE",
		"APPLE-PEAR", "apple-PEAR-grape", "APPLE-pear-GRAPE", "ENOENT", "is-XML", "apple-0", "a0-000-3d4a-54FF"}
	for _, id := range valid {
		if msg := validateID([]byte(id)); msg != "" {
			t.Errorf("validateID(%q) = %q, want valid", id, msg)
		}
	}
	invalid := map[string]string{
		"":                 "identifiers must have characters between '-'s",
		"0":                "invalid character in identifier '0'",
		"0a":               "invalid character in identifier '0'",
		"_":                "invalid character in identifier '_'",
		"-":                "identifiers must have characters between '-'s",
		"a-":               "identifiers must have characters between '-'s",
		"-a":               "identifiers must have characters between '-'s",
		"apple--pear":      "identifiers must have characters between '-'s",
		"Apple":            "invalid character in identifier 'p'",
		"applE":            "invalid character in identifier 'E'",
		"apple-Pear":       "invalid character in identifier 'e'",
		"apple_pear":       "invalid character in identifier '_'",
		"a0-000-3d4A-54Ff": "invalid character in identifier 'A'",
		"москва":           "invalid character in identifier 'м'",
		"garçon":           "invalid character in identifier 'ç'",
	}
	for id, want := range invalid {
		if got := validateID([]byte(id)); got != want {
			t.Errorf("validateID(%q) = %q, want %q", id, got, want)
		}
	}
}

func TestCheckSemver(t *testing.T) {
	valid := []string{"0.0.0", "1.2.3", "10.20.30", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-0.3.7",
		"1.0.0-x.7.z.92", "1.0.0-x-y-z.--", "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85",
		"1.0.0+21AF26D3----117B344092BD", "1.0.0-rc.1+build.01"}
	for _, v := range valid {
		if msg := checkSemver(v); msg != "" {
			t.Errorf("checkSemver(%q) = %q, want valid", v, msg)
		}
	}
	invalid := []string{"01.0.0", "1.02.0", "1.0.00", "1.0.0-01", "1.0.0-", "1.0.0-a..b", "1.0.0+",
		"1.0.0-a b", "99999999999999999999.0.0", "1.0"}
	for _, v := range invalid {
		if msg := checkSemver(v); msg == "" {
			t.Errorf("checkSemver(%q) accepted an invalid version", v)
		}
	}
}

// TestLexHostile makes sure hostile inputs fail cleanly and quickly.
func TestLexHostile(t *testing.T) {
	inputs := []string{
		strings.Repeat("/*", 100000),
		strings.Repeat("/*", 50000) + strings.Repeat("*/", 50000) + "x",
		strings.Repeat("a", 1<<20),
		strings.Repeat("%", 1000),
		"\xff\xfe",
		strings.Repeat("é", 100000) + "$",
	}
	for _, in := range inputs {
		_, err := ParseFile("t.wit", []byte(in))
		if err == nil {
			t.Errorf("input of %d bytes parsed without error", len(in))
			continue
		}
		var e *Error
		if !errors.As(err, &e) || !e.Span.Pos.IsValid() {
			t.Errorf("input of %d bytes: error without position: %v", len(in), err)
		}
	}
}
