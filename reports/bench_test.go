package reports

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hoctap/hoctap/reports/doc"
)

// cityData is march() grown to a city of n registrants in 10 wards: the annex
// lists every one of them and the histogram counts them all.
func cityData(n int) *Data {
	d := march()
	for i := 3; i <= 10; i++ {
		d.Wards = append(d.Wards, Ward{Code: fmt.Sprintf("w%d", i), Name: fmt.Sprintf("Phường %d", i), Kind: "phường"})
	}
	d.Totals = nil
	for t := range 51 {
		d.Totals = append(d.Totals, TotalCount{Total: float64(50 + t), People: int64(n / 51)})
	}
	d.Annex = make([]Holder, n)
	d.AnnexCount = int64(n)
	for i := range n {
		d.Annex[i] = Holder{Ward: d.Wards[i%len(d.Wards)].Code, ID: fmt.Sprintf("W-%06d", i), Name: "Nguyễn Thị Ánh", Gender: "Nữ", Group: 1, Total: 85, Min: 6,
			AssessedOn: day("2021-03-15"), FirstMonth: "2021-03"}
	}
	return d
}

// BenchmarkRenderCity composes one month's report of a city of 100,000
// registrants in one language and writes HTML, PDF (annex capped at
// report.annex_limit), XLSX (every row) and the PNG charts. The SQL that reads
// the month from the snapshot is not in it.
func BenchmarkRenderCity(b *testing.B) {
	cfg := testConfig(&testing.T{})
	d := cityData(100_000)
	b.ResetTimer()
	for b.Loop() {
		document, err := Compose(cfg, d, "vi")
		if err != nil {
			b.Fatal(err)
		}
		html, pdf, xlsx, err := writeFormats(document, doc.Info{Generated: reportDate(d.Month)})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(html)+len(pdf)+len(xlsx))/1e6, "MB-out")
	}
}

// BenchmarkReportMonth renders one month's report in one language from a
// published snapshot, with the SQL that reads the month (Render with Force:
// Load, the fingerprint, Compose, HTML, PDF, XLSX, PNG, the files and the
// record), for a ward of 30 registrants and one of 1,000,000 (minutes to set
// up: the real models over sample.Scale's exports):
//
//	go test -run '^$' -bench ReportMonth -benchtime 3x -timeout 30m ./reports
//
// ns/op is the whole Render; load-ms is Load alone, timed apart (every query
// of the report). The XLSX streams the annex, so memory does not grow with it.
func BenchmarkReportMonth(b *testing.B) {
	for _, n := range []int{30, 1_000_000} {
		b.Run(fmt.Sprintf("registrants=%d", n), func(b *testing.B) {
			cfg, db, snap := scaleSnapshot(b, n)
			ctx := context.Background()
			const month = "2021-06"
			var load time.Duration
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				b.StopTimer() // Load alone, once more: what its queries cost
				t0 := time.Now()
				if _, err := Load(ctx, snap, month, cfg.Report.AnnexLimit); err != nil {
					b.Fatal(err)
				}
				load += time.Since(t0)
				b.StartTimer()
				res, err := Render(ctx, cfg, db, snap, Request{Month: testMonth(month), Langs: []string{"vi"}, Now: time.Now(), Force: true})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(res.Data.AnnexCount), "annex-rows")
			}
			b.ReportMetric(float64(load.Milliseconds())/float64(b.N), "load-ms")
		})
	}
}
