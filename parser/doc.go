// Package parser reads WIT (the WebAssembly Interface Type language of the
// component model) with a pure-Go front end: a lexer, a syntactic parser
// that builds an abstract syntax tree with positions (ParseFile, File), and
// a resolver that turns the files of a package and its dependencies into
// the flat, fully resolved model of package wit.
//
// Most callers need only LoadPath (a .wit file or a package directory with
// its deps/ folder) or LoadSource (one in-memory file), then SelectWorld.
// Options enable @unstable features. Errors about the source are *Error
// values, rendered as `path:line:col: message`, then the source line and a
// caret.
package parser
