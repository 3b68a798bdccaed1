package store

import (
	"path/filepath"
	"testing"
)

// A literal and an identifier made by Literal and Ident read back as the
// text they were made of, whatever quotes it holds.
func TestLiteralAndIdent(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "q.duckdb"), pinned)
	for _, s := range []string{"", "plain", "it's", "''", `a "b"`, `'; DROP TABLE x; --`, "Đéc\nline"} {
		var got string
		if err := db.GetContext(ctx, &got, "SELECT "+Literal(s)); err != nil || got != s {
			t.Errorf("Literal(%q) reads back %q, %v", s, got, err)
		}
		if s == "" {
			continue
		}
		if err := db.GetContext(ctx, &got, "SELECT column_name FROM (DESCRIBE SELECT 1 AS "+Ident(s)+")"); err != nil || got != s {
			t.Errorf("Ident(%q) reads back %q, %v", s, got, err)
		}
	}
}
