package wardfile

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoDatabase keeps the readers free of DuckDB: validate, the web app's
// checks and the fuzzers read ward files without the database (and build
// without cgo's DuckDB).
func TestNoDatabase(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 20 || deps[len(deps)-1] != "github.com/hoctap/hoctap/wardfile" {
		t.Fatalf("go list -deps gave %d packages, ending %q: not this package's", len(deps), deps[len(deps)-1:])
	}
	for _, d := range deps {
		if strings.Contains(strings.ToLower(d), "duckdb") || d == "github.com/hoctap/hoctap/store" || d == "database/sql" {
			t.Errorf("wardfile depends on %s", d)
		}
	}
}
