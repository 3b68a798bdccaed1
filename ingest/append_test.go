package ingest

import (
	"bufio"
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestLoadManyRowsInOrder loads a file of several flushes' worth of rows
// (flushRows) and reads the file again, line by line with no CSV reader, to
// check that every row landed once, in the file's order, with its line's
// number, code and scores: what any change to how rows reach the raw tables
// must keep.
func TestLoadManyRowsInOrder(t *testing.T) {
	n := 3*flushRows + 123
	cfg, db, file := scaleWorkspace(t, n)
	ctx := context.Background()
	ward := cfg.Wards[0].Code
	o, err := (&Loader{DB: db, Cfg: cfg, Now: time.Now()}).Load(ctx, file, ward)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != StatusLoaded || o.Rows != n {
		t.Fatalf("%s, %d rows, want %d: %v", o.Status, o.Rows, n, o.Result)
	}

	type row struct {
		line   int
		id     string
		scores []float64
	}
	var want []row
	f, err := os.Open(o.Path)
	if err != nil {
		// the loaded file is archived: read it there
		f, err = os.Open(strings.TrimSuffix(o.Receipt, ".receipt.txt"))
		if err != nil {
			t.Fatal(err)
		}
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		if line == 1 {
			continue // the header
		}
		cells := strings.Split(sc.Text(), ",")
		r := row{line: line, id: strings.ToUpper(cells[0])}
		for _, c := range cells[3:] {
			v, err := strconv.ParseFloat(strings.Replace(c, ",", ".", 1), 64)
			if err != nil {
				t.Fatalf("line %d: %v", line, err)
			}
			r.scores = append(r.scores, v)
		}
		want = append(want, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}

	rows, err := db.QueryContext(ctx, "SELECT row_number, citizen_id, self_scores FROM raw_citizen_assessments WHERE file_id = ? ORDER BY rowid", o.FileID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for ; rows.Next(); i++ {
		var line int
		var id string
		var scores []any
		if err := rows.Scan(&line, &id, &scores); err != nil {
			t.Fatal(err)
		}
		if i >= len(want) {
			t.Fatalf("more raw rows than the file's %d", len(want))
		}
		w := want[i]
		if line != w.line || id != w.id || len(scores) != len(w.scores) {
			t.Fatalf("raw row %d is line %d %s with %d scores, want line %d %s with %d", i, line, id, len(scores), w.line, w.id, len(w.scores))
		}
		for k, s := range scores {
			if s.(float64) != w.scores[k] {
				t.Fatalf("line %d: score %d is %v, want %v", line, k+1, s, w.scores[k])
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if i != len(want) {
		t.Fatalf("%d raw rows, want %d", i, len(want))
	}
}
