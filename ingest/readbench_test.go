package ingest

import (
	"testing"

	"github.com/hoctap/hoctap/wardfile"
)

// BenchmarkReadOnlyCSV reads the benchmark's scale export with no database:
// what reading costs of a load.
func BenchmarkReadOnlyCSV(b *testing.B) {
	n := benchRows()
	cfg, _, file := scaleWorkspace(b, n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rows := 0
		if _, err := wardfile.Read(cfg, file, wardfile.Hint{Ward: cfg.Wards[0].Code}, func(*wardfile.Table, wardfile.Row) error { rows++; return nil }); err != nil || rows != n {
			b.Fatal(err, rows)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}
