package transform

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoctap/hoctap/store"
)

// dataTestRows runs one of the shipped data tests on the tables made by
// setup and returns its rows, formatted and sorted.
func dataTestRows(t *testing.T, name string, setup ...string) []string {
	t.Helper()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.duckdb"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, q := range setup {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	body, err := fs.ReadFile(sqlFS(t), "tests/"+name+".sql")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := db.SelectContext(ctx, &got, "SELECT CAST(t AS VARCHAR) FROM ("+strings.TrimSuffix(strings.TrimSpace(string(body)), ";")+") t ORDER BY 1"); err != nil {
		t.Fatal(err)
	}
	return got
}

// unique_status first groups the pairs by a hash and checks the repeated
// ones exactly: every repeated (month, person) is still found, with its count,
// and no pair seen once.
func TestUniqueStatusFindsRepeats(t *testing.T) {
	got := dataTestRows(t, "unique_status",
		"CREATE TABLE citizen_status_monthly (month VARCHAR, citizen_id VARCHAR)",
		`INSERT INTO citizen_status_monthly VALUES ('2021-01', 'A'), ('2021-01', 'A'), ('2021-01', 'A'), ('2021-02', 'A'),
			('2021-01', 'B'), ('2021-02', 'B'), ('2021-02', 'B'), ('2021-03', NULL), ('2021-03', NULL)`)
	want := "{'month': 2021-01, 'citizen_id': A, 'n': 3}|{'month': 2021-02, 'citizen_id': B, 'n': 2}|{'month': 2021-03, 'citizen_id': NULL, 'n': 2}"
	if g := strings.Join(got, "|"); g != want {
		t.Errorf("unique_status rows:\n%s\nwant\n%s", g, want)
	}
}

// scores_in_range picks the assessments by their lowest and highest score:
// one score out of range, below 0 or above the maximum, among set and unset
// ones, fails the assessment; unset, empty and sound lists do not.
func TestScoresInRangeFindsBadScores(t *testing.T) {
	got := dataTestRows(t, "scores_in_range",
		"CREATE TABLE cfg_framework (indicator_max DECIMAL(9, 3))",
		"INSERT INTO cfg_framework VALUES (10)",
		"CREATE TABLE assessments (assessment_id VARCHAR, scores DECIMAL(9, 3)[])",
		`INSERT INTO assessments VALUES ('ok', [0, 10]), ('low', [-0.5, 5, NULL]), ('high', [NULL, 10.5, 3]),
			('unset', NULL), ('empty', []), ('nulls', [NULL])`,
		"CREATE TABLE unit_item_scores (unit_code VARCHAR, assessed_on DATE, item VARCHAR, score DECIMAL(9, 3), max_score DECIMAL(9, 3))",
		"INSERT INTO unit_item_scores VALUES ('U', DATE '2021-01-05', 'a', 4, 5), ('U', DATE '2021-01-05', 'b', 6, 5)")
	want := "{'kind': citizen, 'id': high, 'bad': '[10.500]'}|{'kind': citizen, 'id': low, 'bad': '[-0.500]'}|{'kind': unit, 'id': U/2021-01-05/b, 'bad': 6.000}"
	if g := strings.Join(got, "|"); g != want {
		t.Errorf("scores_in_range rows:\n%s\nwant\n%s", g, want)
	}
}
