package config

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file is a parser for the TOML subset the config uses:
//
//   - comments (# to the end of the line, outside strings) and blank lines;
//   - table headers [name] and array-of-tables headers [[name]], where name
//     is bare or dotted (a.b), without quotes;
//   - key = value, with a bare key (A-Za-z0-9_-) or a "quoted" key;
//   - values: basic strings "..." with the escapes \" \\ \b \t \n \f \r
//     \uXXXX \UXXXXXXXX, literal strings '...', integers (decimal, optional
//     sign and '_' separators, 0x/0o/0b prefixes) and booleans.
//
// Everything else TOML has (arrays, inline tables, floats, dates, multi-line
// strings, dotted keys) is refused with an error naming the line, so a
// config never means something other than what it looks like.

// kind is a value's type.
type kind int

const (
	kString kind = iota
	kInt
	kBool
)

func (k kind) String() string {
	return [...]string{"string", "integer", "boolean"}[k]
}

// value is a parsed value.
type value struct {
	kind kind
	str  string
	num  int64
	b    bool
}

// entry is one key = value line.
type entry struct {
	key  string
	val  value
	line int
}

// section is the root table or one [table] / [[array]] header with the
// entries after it.
type section struct {
	name    string // "" for the root; dotted name otherwise
	array   bool
	line    int
	entries []entry
}

// syntaxError is an error at a line.
type syntaxError struct {
	file string
	line int
	msg  string
}

func (e *syntaxError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.file, e.line, e.msg)
}

// parseTOML parses data into sections. The first section is always the root.
func parseTOML(file string, data []byte) ([]*section, error) {
	if !utf8.Valid(data) {
		return nil, &syntaxError{file, 1, "file is not valid UTF-8"}
	}
	errf := func(line int, format string, args ...any) error {
		return &syntaxError{file, line, fmt.Sprintf(format, args...)}
	}
	root := &section{line: 1}
	secs := []*section{root}
	cur := root
	tables := map[string]int{} // [table] name -> line
	arrays := map[string]bool{}
	for i, raw := range strings.Split(string(data), "\n") {
		ln := i + 1
		line := strings.TrimRight(raw, "\r")
		s := strings.TrimLeft(line, " \t")
		if s == "" || s[0] == '#' {
			continue
		}
		if s[0] == '[' {
			array := strings.HasPrefix(s, "[[")
			open, closeTok := "[", "]"
			if array {
				open, closeTok = "[[", "]]"
			}
			end := strings.Index(s, closeTok)
			if end < 0 {
				return nil, errf(ln, "table header without %q", closeTok)
			}
			name := strings.TrimSpace(s[len(open):end])
			if err := checkRest(s[end+len(closeTok):]); err != nil {
				return nil, errf(ln, "%v after table header", err)
			}
			for part := range strings.SplitSeq(name, ".") {
				if part == "" || !isBare(part) {
					return nil, errf(ln, "invalid table name %q (bare names and dots only)", name)
				}
			}
			if array {
				if _, ok := tables[name]; ok {
					return nil, errf(ln, "[[%s]] redefines table [%s] of line %d", name, name, tables[name])
				}
				arrays[name] = true
			} else {
				if prev, ok := tables[name]; ok {
					return nil, errf(ln, "table [%s] defined twice (first at line %d)", name, prev)
				}
				if arrays[name] {
					return nil, errf(ln, "[%s] redefines an array of tables", name)
				}
				tables[name] = ln
			}
			cur = &section{name: name, array: array, line: ln}
			secs = append(secs, cur)
			continue
		}
		key, rest, err := parseKey(s)
		if err != nil {
			return nil, errf(ln, "%v", err)
		}
		rest = strings.TrimLeft(rest, " \t")
		if !strings.HasPrefix(rest, "=") {
			return nil, errf(ln, "expected '=' after key %q", key)
		}
		val, rest, err := parseValue(strings.TrimLeft(rest[1:], " \t"))
		if err != nil {
			return nil, errf(ln, "key %q: %v", key, err)
		}
		if err := checkRest(rest); err != nil {
			return nil, errf(ln, "key %q: %v after the value", key, err)
		}
		for _, e := range cur.entries {
			if e.key == key {
				return nil, errf(ln, "key %q defined twice (first at line %d)", key, e.line)
			}
		}
		cur.entries = append(cur.entries, entry{key: key, val: val, line: ln})
	}
	return secs, nil
}

// checkRest accepts only blanks and a comment.
func checkRest(s string) error {
	s = strings.TrimLeft(s, " \t")
	if s == "" || s[0] == '#' {
		return nil
	}
	return fmt.Errorf("unexpected %q", s)
}

func isBare(s string) bool {
	for _, c := range s {
		if !(c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// parseKey reads a bare or basic-quoted key.
func parseKey(s string) (key, rest string, err error) {
	if s[0] == '"' {
		v, rest, err := parseBasic(s)
		if err != nil {
			return "", "", err
		}
		return v.str, rest, nil
	}
	end := strings.IndexFunc(s, func(r rune) bool {
		return !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	})
	if end < 0 {
		return "", "", fmt.Errorf("expected '=' after key %q", s)
	}
	if end == 0 {
		return "", "", fmt.Errorf("invalid key starting with %q", s[:1])
	}
	if s[end] == '.' {
		return "", "", fmt.Errorf("dotted keys are not supported (use a [table] header)")
	}
	return s[:end], s[end:], nil
}

// parseValue reads one value.
func parseValue(s string) (value, string, error) {
	switch {
	case s == "" || s[0] == '#':
		return value{}, "", fmt.Errorf("missing value")
	case strings.HasPrefix(s, `"""`), strings.HasPrefix(s, "'''"):
		return value{}, "", fmt.Errorf("multi-line strings are not supported")
	case s[0] == '"':
		return parseBasic(s)
	case s[0] == '\'':
		end := strings.IndexByte(s[1:], '\'')
		if end < 0 {
			return value{}, "", fmt.Errorf("unterminated literal string")
		}
		return value{kind: kString, str: s[1 : 1+end]}, s[2+end:], nil
	case s[0] == '[':
		return value{}, "", fmt.Errorf("arrays are not supported")
	case s[0] == '{':
		return value{}, "", fmt.Errorf("inline tables are not supported")
	}
	end := strings.IndexAny(s, " \t#")
	if end < 0 {
		end = len(s)
	}
	tok, rest := s[:end], s[end:]
	switch tok {
	case "true":
		return value{kind: kBool, b: true}, rest, nil
	case "false":
		return value{kind: kBool}, rest, nil
	}
	n, err := parseInt(tok)
	if err != nil {
		return value{}, "", err
	}
	return value{kind: kInt, num: n}, rest, nil
}

// parseInt parses a TOML integer.
func parseInt(tok string) (int64, error) {
	bad := fmt.Errorf("invalid value %q (strings need quotes)", tok)
	if strings.HasPrefix(tok, "_") || strings.HasSuffix(tok, "_") || strings.Contains(tok, "__") {
		return 0, bad
	}
	clean := strings.ReplaceAll(tok, "_", "")
	base := 10
	digits := clean
	if len(clean) > 2 && clean[0] == '0' {
		switch clean[1] {
		case 'x':
			base = 16
		case 'o':
			base = 8
		case 'b':
			base = 2
		}
		if base != 10 {
			digits = clean[2:]
		}
	}
	if base == 10 {
		d := strings.TrimLeft(clean, "+-")
		if len(d) > 1 && d[0] == '0' {
			return 0, fmt.Errorf("invalid integer %q (leading zero)", tok)
		}
	}
	n, err := strconv.ParseInt(digits, base, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, fmt.Errorf("integer %q out of range", tok)
		}
		return 0, bad
	}
	return n, nil
}

// parseBasic reads a "basic string" with escapes.
func parseBasic(s string) (value, string, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			return value{kind: kString, str: b.String()}, s[i+1:], nil
		case c == '\\':
			if i+1 >= len(s) {
				return value{}, "", fmt.Errorf("unterminated string")
			}
			i++
			switch s[i] {
			case '"':
				b.WriteByte('"')
			case '\\':
				b.WriteByte('\\')
			case 'b':
				b.WriteByte('\b')
			case 't':
				b.WriteByte('\t')
			case 'n':
				b.WriteByte('\n')
			case 'f':
				b.WriteByte('\f')
			case 'r':
				b.WriteByte('\r')
			case 'u', 'U':
				n := 4
				if s[i] == 'U' {
					n = 8
				}
				if i+n >= len(s) {
					return value{}, "", fmt.Errorf("short \\%c escape", s[i])
				}
				r, err := strconv.ParseUint(s[i+1:i+1+n], 16, 32)
				if err != nil || !utf8.ValidRune(rune(r)) {
					return value{}, "", fmt.Errorf("invalid \\%c escape %q", s[i], s[i+1:i+1+n])
				}
				b.WriteRune(rune(r))
				i += n
			default:
				return value{}, "", fmt.Errorf("invalid escape \\%c", s[i])
			}
		case c < 0x20 && c != '\t' || c == 0x7f:
			return value{}, "", fmt.Errorf("control character in string")
		default:
			b.WriteByte(c)
		}
	}
	return value{}, "", fmt.Errorf("unterminated string")
}
