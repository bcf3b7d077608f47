package parser

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// Error is a diagnostic about WIT source: a message at a position.
// Its Error method renders "path:line:col: message", followed by the source
// line and a caret underlining the offending span.
type Error struct {
	Span Span
	Msg  string
	// Line is the text of the source line the span starts on (without the
	// newline); "" when unknown.
	Line string
}

// Pos returns the error's position.
func (e *Error) Pos() wit.Pos { return e.Span.Pos }

// Error renders the error as "path:line:col: message", then the source line
// and a caret.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Span.Pos.IsValid() {
		b.WriteString(e.Span.Pos.String())
		b.WriteString(": ")
	} else if e.Span.Pos.Filename != "" {
		b.WriteString(e.Span.Pos.Filename)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Span.Pos.IsValid() && e.Line != "" {
		b.WriteString("\n")
		line := strings.ReplaceAll(e.Line, "\t", " ")
		fmt.Fprintf(&b, "%5d | %s\n", e.Span.Pos.Line, line)
		b.WriteString("      | ")
		// Column is counted in Unicode scalar values.
		b.WriteString(strings.Repeat(" ", max(e.Span.Pos.Col-1, 0)))
		b.WriteString("^")
		if e.Span.Len > 1 {
			b.WriteString(strings.Repeat("-", e.Span.Len-1))
		}
	}
	return b.String()
}

// newError builds an Error at span, filling in the source line from src.
func newError(src []byte, span Span, format string, args ...any) *Error {
	return &Error{Span: span, Msg: fmt.Sprintf(format, args...), Line: sourceLine(src, span.Pos.Offset)}
}

// sourceLine returns the line of src containing byte offset off.
func sourceLine(src []byte, off int) string {
	if off < 0 || off > len(src) {
		return ""
	}
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	end := bytes.IndexByte(src[off:], '\n')
	if end < 0 {
		end = len(src)
	} else {
		end += off
	}
	line := src[start:end]
	line = bytes.TrimSuffix(line, []byte("\r"))
	if !utf8.Valid(line) {
		return string(bytes.ToValidUTF8(line, []byte("\uFFFD")))
	}
	return string(line)
}
