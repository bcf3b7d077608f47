package parser

import (
	"fmt"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// This file is the WIT lexer. It follows wit-parser's tokenizer
// (crates/wit-parser/src/ast/lex.rs): the same token set, the same keyword
// list, the same notion of whitespace ("\r\n" folds to "\n"; a lone "\r" is
// an error) and the same token descriptions in messages, so that syntax
// errors read like wit-parser's.
//
// The whole file is tokenized up front into a slice. A lexical error ends
// the slice with a tokError token; the parser reports it only when it
// reaches that token, so an earlier syntax error still wins, as it does with
// wit-parser's lazy tokenizer.

// tokKind is the kind of a token.
type tokKind uint8

const (
	tokEOF tokKind = iota
	tokError

	tokEquals
	tokComma
	tokColon
	tokPeriod
	tokSemicolon
	tokLeftParen
	tokRightParen
	tokLeftBrace
	tokRightBrace
	tokLessThan
	tokGreaterThan
	tokRArrow
	tokStar
	tokAt
	tokSlash
	tokPlus
	tokMinus

	// Keywords.
	tokUse
	tokType
	tokFunc
	tokU8
	tokU16
	tokU32
	tokU64
	tokS8
	tokS16
	tokS32
	tokS64
	tokF32
	tokF64
	tokChar
	tokRecord
	tokResource
	tokOwn
	tokBorrow
	tokFlags
	tokVariant
	tokEnum
	tokBool
	tokString
	tokOption
	tokResult
	tokFuture
	tokStream
	tokErrorContext
	tokList
	tokMap
	tokUnderscore
	tokAs
	tokFrom
	tokStatic
	tokInterface
	tokTuple
	tokImport
	tokExport
	tokWorld
	tokPackage
	tokConstructor
	tokInclude
	tokWith
	tokAsync

	tokID         // foo
	tokExplicitID // %foo
	tokInteger    // 123

	numTokKinds
)

// tokDescriptions are wit-parser's descriptions of tokens, used in
// "expected X, found Y" messages.
var tokDescriptions = [numTokKinds]string{
	tokEOF:          "eof",
	tokError:        "an invalid token",
	tokEquals:       "'='",
	tokComma:        "','",
	tokColon:        "':'",
	tokPeriod:       "'.'",
	tokSemicolon:    "';'",
	tokLeftParen:    "'('",
	tokRightParen:   "')'",
	tokLeftBrace:    "'{'",
	tokRightBrace:   "'}'",
	tokLessThan:     "'<'",
	tokGreaterThan:  "'>'",
	tokRArrow:       "`->`",
	tokStar:         "`*`",
	tokAt:           "`@`",
	tokSlash:        "`/`",
	tokPlus:         "`+`",
	tokMinus:        "`-`",
	tokUse:          "keyword `use`",
	tokType:         "keyword `type`",
	tokFunc:         "keyword `func`",
	tokU8:           "keyword `u8`",
	tokU16:          "keyword `u16`",
	tokU32:          "keyword `u32`",
	tokU64:          "keyword `u64`",
	tokS8:           "keyword `s8`",
	tokS16:          "keyword `s16`",
	tokS32:          "keyword `s32`",
	tokS64:          "keyword `s64`",
	tokF32:          "keyword `f32`",
	tokF64:          "keyword `f64`",
	tokChar:         "keyword `char`",
	tokRecord:       "keyword `record`",
	tokResource:     "keyword `resource`",
	tokOwn:          "keyword `own`",
	tokBorrow:       "keyword `borrow`",
	tokFlags:        "keyword `flags`",
	tokVariant:      "keyword `variant`",
	tokEnum:         "keyword `enum`",
	tokBool:         "keyword `bool`",
	tokString:       "keyword `string`",
	tokOption:       "keyword `option`",
	tokResult:       "keyword `result`",
	tokFuture:       "keyword `future`",
	tokStream:       "keyword `stream`",
	tokErrorContext: "keyword `error-context`",
	tokList:         "keyword `list`",
	tokMap:          "keyword `map`",
	tokUnderscore:   "keyword `_`",
	tokAs:           "keyword `as`",
	tokFrom:         "keyword `from`",
	tokStatic:       "keyword `static`",
	tokInterface:    "keyword `interface`",
	tokTuple:        "keyword `tuple`",
	tokImport:       "keyword `import`",
	tokExport:       "keyword `export`",
	tokWorld:        "keyword `world`",
	tokPackage:      "keyword `package`",
	tokConstructor:  "keyword `constructor`",
	tokInclude:      "keyword `include`",
	tokWith:         "keyword `with`",
	tokAsync:        "keyword `async`",
	tokID:           "an identifier",
	tokExplicitID:   "an '%' identifier",
	tokInteger:      "an integer",
}

func (k tokKind) String() string {
	if k < numTokKinds {
		return tokDescriptions[k]
	}
	return fmt.Sprintf("token(%d)", uint8(k))
}

// keyword returns the token kind of an identifier-like word: a keyword's
// kind, or tokID. (A string switch compiles to a binary search, with no
// allocation and no hashing.)
func keyword(word []byte) tokKind {
	switch string(word) {
	case "use":
		return tokUse
	case "type":
		return tokType
	case "func":
		return tokFunc
	case "u8":
		return tokU8
	case "u16":
		return tokU16
	case "u32":
		return tokU32
	case "u64":
		return tokU64
	case "s8":
		return tokS8
	case "s16":
		return tokS16
	case "s32":
		return tokS32
	case "s64":
		return tokS64
	case "f32":
		return tokF32
	case "f64":
		return tokF64
	case "char":
		return tokChar
	case "record":
		return tokRecord
	case "resource":
		return tokResource
	case "own":
		return tokOwn
	case "borrow":
		return tokBorrow
	case "flags":
		return tokFlags
	case "variant":
		return tokVariant
	case "enum":
		return tokEnum
	case "bool":
		return tokBool
	case "string":
		return tokString
	case "option":
		return tokOption
	case "result":
		return tokResult
	case "future":
		return tokFuture
	case "stream":
		return tokStream
	case "error-context":
		return tokErrorContext
	case "list":
		return tokList
	case "map":
		return tokMap
	case "_":
		return tokUnderscore
	case "as":
		return tokAs
	case "from":
		return tokFrom
	case "static":
		return tokStatic
	case "interface":
		return tokInterface
	case "tuple":
		return tokTuple
	case "import":
		return tokImport
	case "export":
		return tokExport
	case "world":
		return tokWorld
	case "package":
		return tokPackage
	case "constructor":
		return tokConstructor
	case "include":
		return tokInclude
	case "with":
		return tokWith
	case "async":
		return tokAsync
	}
	return tokID
}

// token is one lexed token. Positions are byte offsets into the source;
// line and col (1-based, col in Unicode scalar values) locate start.
// Comments [comLo, comHi) of the lexer's comment list precede the token.
type token struct {
	kind         tokKind
	start, end   int
	line, col    int
	comLo, comHi int
}

// comment is one `//` or `/* */` comment, its text src[start:end]
// (a line comment includes its terminating newline, as in wit-parser).
type comment struct {
	start, end int
	line, col  int
}

// lexer turns a source file into tokens.
type lexer struct {
	path string
	src  []byte
	pos  int

	// Line tracking: col is the column of byte offset colOff, which is on
	// line `line`. Columns are advanced lazily, so computing positions in
	// increasing order costs linear time overall.
	line   int
	col    int
	colOff int

	toks     []token
	comments []comment
	err      *Error // the lexical error behind a tokError token
}

// tokenize lexes src. It returns an error right away for input that
// wit-parser rejects before tokenizing (invalid UTF-8, control codes,
// bidirectional overrides, discouraged code points); other lexical errors
// are recorded as a final tokError token with lexer.err set.
//
// The caller must call release when done with the tokens.
func tokenize(path string, src []byte) (*lexer, *Error) {
	l := lexerPool.Get().(*lexer)
	*l = lexer{path: path, src: src, line: 1, col: 1, toks: l.toks[:0], comments: l.comments[:0]}
	if err := l.checkInput(); err != nil {
		l.release()
		return nil, err
	}
	// Eat a UTF-8 byte order mark; it does not count as a column.
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		l.pos = 3
		l.colOff = 3
	}
	// Most of a WIT file is identifiers, keywords and doc comments; one
	// token per 8 bytes is a generous estimate that avoids regrowing.
	if want := len(src) / 8; cap(l.toks) < want {
		l.toks = make([]token, 0, want)
	}
	l.run()
	return l, nil
}

// lexerPool recycles token and comment buffers: the syntax tree keeps no
// reference to them, and reusing them avoids most of a parse's allocation.
var lexerPool = sync.Pool{New: func() any { return new(lexer) }}

// maxPooledTokens bounds the buffers kept for reuse, so one huge input
// does not pin memory.
const maxPooledTokens = 1 << 16

// release returns l's buffers to the pool. l must not be used afterwards.
func (l *lexer) release() {
	if cap(l.toks) > maxPooledTokens || cap(l.comments) > maxPooledTokens {
		return
	}
	*l = lexer{toks: l.toks[:0], comments: l.comments[:0]}
	lexerPool.Put(l)
}

// posAt returns the line and column of byte offset off, which must not
// precede the last position computed and must be on the current line.
func (l *lexer) posAt(off int) (int, int) {
	if off > l.colOff {
		l.col += runeCount(l.src[l.colOff:off])
		l.colOff = off
	}
	return l.line, l.col
}

// newline records that the byte at offset off is a '\n'.
func (l *lexer) newline(off int) {
	l.line++
	l.col = 1
	l.colOff = off + 1
}

// runeCount counts Unicode scalar values (invalid bytes count one each).
func runeCount(b []byte) int {
	n := 0
	for _, c := range b {
		if c < 0x80 || c >= 0xC0 {
			n++
		}
	}
	return n
}

// wpos builds a wit.Pos.
func (l *lexer) wpos(off, line, col int) wit.Pos {
	return wit.Pos{Filename: l.path, Offset: off, Line: line, Col: col}
}

// fail records a lexical error at byte offset off (at line:col) and ends
// the token list.
func (l *lexer) fail(off, line, col int, format string, args ...any) {
	l.err = newError(l.src, Span{Pos: l.wpos(off, line, col), Len: 1}, format, args...)
	l.toks = append(l.toks, token{kind: tokError, start: off, end: off, line: line, col: col,
		comLo: len(l.comments), comHi: len(l.comments)})
}

// run lexes the whole input.
func (l *lexer) run() {
	src := l.src
	comLo := 0
	for {
		// Skip whitespace and comments.
		for l.pos < len(src) {
			c := src[l.pos]
			if c == ' ' || c == '\t' {
				l.pos++
				continue
			}
			if c == '\n' {
				l.newline(l.pos)
				l.pos++
				continue
			}
			if c == '\r' && l.pos+1 < len(src) && src[l.pos+1] == '\n' {
				l.newline(l.pos + 1)
				l.pos += 2
				continue
			}
			if c == '/' && l.pos+1 < len(src) && (src[l.pos+1] == '/' || src[l.pos+1] == '*') {
				if !l.comment() {
					return
				}
				continue
			}
			break
		}
		start := l.pos
		line, col := l.posAt(start)
		if start >= len(src) {
			l.toks = append(l.toks, token{kind: tokEOF, start: start, end: start, line: line, col: col,
				comLo: comLo, comHi: len(l.comments)})
			return
		}
		c := src[start]
		var kind tokKind
		end := start + 1
		switch c {
		case '=':
			kind = tokEquals
		case ',':
			kind = tokComma
		case ':':
			kind = tokColon
		case '.':
			kind = tokPeriod
		case ';':
			kind = tokSemicolon
		case '(':
			kind = tokLeftParen
		case ')':
			kind = tokRightParen
		case '{':
			kind = tokLeftBrace
		case '}':
			kind = tokRightBrace
		case '<':
			kind = tokLessThan
		case '>':
			kind = tokGreaterThan
		case '*':
			kind = tokStar
		case '@':
			kind = tokAt
		case '/':
			kind = tokSlash
		case '+':
			kind = tokPlus
		case '-':
			kind = tokMinus
			if end < len(src) && src[end] == '>' {
				kind = tokRArrow
				end++
			}
		case '%':
			kind = tokExplicitID
			if r, n := decodeRune(src[end:]); n > 0 && isKeylikeStart(r) {
				end = l.scanKeylike(end + n)
			}
		default:
			r, n := decodeRune(src[start:])
			switch {
			case isKeylikeStart(r):
				end = l.scanKeylike(start + n)
				kind = keyword(src[start:end])
			case c >= '0' && c <= '9':
				for end < len(src) && src[end] >= '0' && src[end] <= '9' {
					end++
				}
				kind = tokInteger
			default:
				l.fail(start, line, col, "unexpected character %s", quoteRune(r))
				return
			}
		}
		if len(l.toks) == cap(l.toks) {
			// Grow geometrically by 2x: append's 1.25x growth for large
			// slices copies a dense file's tokens many times over.
			grown := make([]token, len(l.toks), 2*cap(l.toks)+64)
			copy(grown, l.toks)
			l.toks = grown
		}
		l.toks = append(l.toks, token{kind: kind, start: start, end: end, line: line, col: col,
			comLo: comLo, comHi: len(l.comments)})
		comLo = len(l.comments)
		l.pos = end
	}
}

// comment lexes a comment starting at l.pos ("//" or "/*"). It reports
// false after recording an unterminated block comment.
func (l *lexer) comment() bool {
	src := l.src
	start := l.pos
	line, col := l.posAt(start)
	i := start + 2
	if src[start+1] == '/' {
		for i < len(src) {
			c := src[i]
			i++
			if c == '\n' {
				l.newline(i - 1)
				break
			}
		}
	} else {
		depth := 1
		for depth > 0 {
			if i >= len(src) {
				l.fail(start, line, col, "unterminated block comment")
				return false
			}
			c := src[i]
			i++
			switch {
			case c == '\n':
				l.newline(i - 1)
			case c == '/' && i < len(src) && src[i] == '*':
				depth++
				i++
			case c == '*' && i < len(src) && src[i] == '/':
				depth--
				i++
			}
		}
	}
	l.comments = append(l.comments, comment{start: start, end: i, line: line, col: col})
	l.pos = i
	return true
}

// scanKeylike returns the end of the run of identifier-continue characters
// (and '-') starting at byte offset i.
func (l *lexer) scanKeylike(i int) int {
	src := l.src
	for i < len(src) {
		c := src[i]
		if c < utf8.RuneSelf {
			if c == '-' || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') {
				i++
				continue
			}
			return i
		}
		r, n := decodeRune(src[i:])
		if !isXIDContinue(r) {
			return i
		}
		i += n
	}
	return i
}

// decodeRune decodes the first rune of b; n is 0 at the end of input.
func decodeRune(b []byte) (rune, int) {
	if len(b) == 0 {
		return 0, 0
	}
	if b[0] < utf8.RuneSelf {
		return rune(b[0]), 1
	}
	return utf8.DecodeRune(b)
}

// isKeylikeStart reports whether r can start an identifier-like token:
// an XID start character, '_' or '-' (validity is checked later, as
// wit-parser does).
func isKeylikeStart(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || r == '-' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
	}
	return isXIDStart(r)
}

// isXIDStart approximates Unicode's XID_Start property.
func isXIDStart(r rune) bool {
	if r < utf8.RuneSelf {
		return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
	}
	return unicode.IsLetter(r) || unicode.Is(unicode.Nl, r)
}

// isXIDContinue approximates Unicode's XID_Continue property.
func isXIDContinue(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
	}
	return isXIDStart(r) || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc)
}

// quoteRune formats r the way Rust's `{:?}` formats a char.
func quoteRune(r rune) string {
	switch r {
	case '\t':
		return `'\t'`
	case '\r':
		return `'\r'`
	case '\n':
		return `'\n'`
	case '\'':
		return `'\''`
	case '\\':
		return `'\\'`
	case 0:
		return `'\0'`
	}
	if r == utf8.RuneError || !unicode.IsPrint(r) && r != ' ' {
		return fmt.Sprintf("'\\u{%x}'", r)
	}
	return "'" + string(r) + "'"
}

// checkInput rejects what wit-parser rejects before tokenizing: invalid
// UTF-8, control codes other than tab, CR and LF, bidirectional override
// code points (CVE-2021-42574) and code points Unicode deprecates.
func (l *lexer) checkInput() *Error {
	src := l.src
	line, lineStart := 1, 0
	for i := 0; i < len(src); {
		c := src[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			switch {
			case c == '\n':
				line++
				lineStart = i + 1
			case c == '\t' || c == '\r':
			case c < 0x20 || c == 0x7f:
				return l.inputError(i, line, lineStart, "Control code '\\u{%x}' at line %d", c, line)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(src[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			return l.inputError(i, line, lineStart, "invalid UTF-8 in input at line %d", line)
		case r >= 0x80 && r <= 0x9f:
			return l.inputError(i, line, lineStart, "Control code '\\u{%x}' at line %d", r, line)
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return l.inputError(i, line, lineStart,
				"Input contains bidirectional override codepoint '\\u{%x}' at line %d", r, line)
		case r == 0x149, r == 0x673, r == 0xf77, r == 0xf79,
			r == 0x17a3, r == 0x17a4, r == 0x17b4, r == 0x17b5:
			return l.inputError(i, line, lineStart, "Codepoint '\\u{%x}' at line %d is discouraged by Unicode", r, line)
		}
		i += n
	}
	return nil
}

// inputError builds an error at byte offset off on the given line.
func (l *lexer) inputError(off, line, lineStart int, format string, args ...any) *Error {
	col := runeCount(l.src[lineStart:off]) + 1
	return newError(l.src, Span{Pos: l.wpos(off, line, col), Len: 1}, format, args...)
}

// validateID checks an identifier (without `%`) the way wit-parser does:
// words separated by single '-', each word all-lowercase or all-uppercase
// ASCII letters and digits, the first word starting with a letter. It
// returns the message of the first problem, or "".
func validateID(id []byte) string {
	if len(id) == 0 {
		return "identifiers must have characters between '-'s"
	}
	word := 0 // index of the current word
	wordLen := 0
	upper := 0 // 0 unknown, 1 lower, 2 upper
	for i := 0; i < len(id); {
		c := id[i]
		if c == '-' {
			if wordLen == 0 {
				return "identifiers must have characters between '-'s"
			}
			word++
			wordLen, upper = 0, 0
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, _ := utf8.DecodeRune(id[i:])
			return "invalid character in identifier " + quoteRune(r)
		}
		switch {
		case c >= '0' && c <= '9':
			if word == 0 && wordLen == 0 {
				return "invalid character in identifier " + quoteRune(rune(c))
			}
		case c >= 'a' && c <= 'z':
			if upper == 2 {
				return "invalid character in identifier " + quoteRune(rune(c))
			}
			upper = 1
		case c >= 'A' && c <= 'Z':
			if upper == 1 {
				return "invalid character in identifier " + quoteRune(rune(c))
			}
			upper = 2
		default:
			return "invalid character in identifier " + quoteRune(rune(c))
		}
		wordLen++
		i++
	}
	if wordLen == 0 {
		return "identifiers must have characters between '-'s"
	}
	return ""
}
