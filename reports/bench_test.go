package reports

import (
	"fmt"
	"testing"

	"github.com/hoctap/hoctap/reports/doc"
)

// cityData is march() grown to a city of n registrants in 10 wards: the annex
// lists every one of them and the histogram counts them all.
func cityData(n int) *Data {
	d := march()
	for i := 3; i <= 10; i++ {
		d.Wards = append(d.Wards, Ward{Code: fmt.Sprintf("w%d", i), Name: fmt.Sprintf("Phường %d", i), Kind: "phường"})
	}
	d.Totals = make([]float64, n)
	d.Annex = make([]Holder, n)
	for i := range n {
		d.Totals[i] = float64(50 + i%51)
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
