package ingest

import (
	"testing"
)

func BenchmarkReadOnlyCSV(b *testing.B) {
	n := benchRows()
	cfg, _, file := scaleWorkspace(b, n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rows := 0
		if _, err := Read(cfg, file, Hint{Ward: cfg.Wards[0].Code}, func(*Table, Row) error { rows++; return nil }); err != nil || rows != n {
			b.Fatal(err, rows)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}
