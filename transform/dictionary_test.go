package transform

import (
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// docs/data-dictionary.md is generated from the SQL files' comments and must
// stay in step with them.
func TestDataDictionary(t *testing.T) {
	ms, err := LoadModels(ctx, parserDB(t), sqlFS(t), "models")
	if err != nil {
		t.Fatal(err)
	}
	got := Dictionary(ms)
	const path = "../docs/data-dictionary.md"
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run: go test ./transform -run TestDataDictionary -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s is out of date with the SQL comments: run go test ./transform -run TestDataDictionary -update", path)
	}
}
