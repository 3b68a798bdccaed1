package store

import "strings"

// Literal is s as a SQL string literal, for the statements that cannot take
// a parameter (ATTACH, SET, COMMENT ON), each quote doubled.
func Literal(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// Ident is s as a quoted SQL identifier, each double quote doubled.
func Ident(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
