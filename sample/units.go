package sample

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/hoctap/hoctap/config"
)

// unitTotals are the totals (of 100) each pilot unit gives itself at the
// baseline (December 2020) and at the end (June 2021): the grades span Tốt
// (≥ 85), Khá (≥ 70) and Trung bình (≥ 50), and four units start below 70.
// A unit not listed here scores 72 and then 80.
var unitTotals = map[string][2]float64{
	"TPD-TH": {86, 91}, "TPD-MN": {74, 80.5}, "TPD-UB": {79, 86},
	"TQT-TH": {72.5, 78}, "TQT-MN": {61, 71}, "TQT-UB": {66.5, 74},
	"TQD-TH": {87.5, 92}, "TQD-YT": {55, 64.5}, "TQD-UB": {68, 85},
}

// unitItems spreads a total over a scheme's items: each item near its share of
// its maximum, in half points, adding up to the total exactly.
func unitItems(r *rand.Rand, items []config.UnitItem, totalPoints float64) []float64 {
	most := 0.0
	for _, it := range items {
		most += it.Max
	}
	t := math.Min(most, math.Round(totalPoints*most/100*2)/2)
	x := make([]float64, len(items))
	for i, it := range items {
		v := it.Max*t/most + r.NormFloat64()*0.6
		x[i] = math.Min(it.Max, math.Max(0, math.Round(v*2)/2))
	}
	for guard := 0; total(x) != t && guard < 10000; guard++ {
		i := r.IntN(len(x))
		switch {
		case total(x) < t && x[i] < items[i].Max:
			x[i] += 0.5
		case total(x) > t && x[i] > 0:
			x[i] -= 0.5
		}
	}
	return x
}

// unitAssessments: each ward sends its units' self-assessments twice, in late
// December 2020 and late June 2021, with a "Tổng điểm" (total) column that the
// dataset does not have.
func (p *pilot) unitAssessments() error {
	r := newRand(p.seed, streamUnits)
	items := p.cfg.UnitScheme.Items
	for k, when := range []struct {
		round string
		d     time.Time
		name  string
		title string
	}{
		{"baseline", day(2020, 12, 18), "Tu_danh_gia_DVHT_12-2020.xlsx", "Kết quả tự đánh giá Đơn vị học tập (khảo sát thực trạng)"},
		{"final", day(2021, 6, 18), "Tu_danh_gia_DVHT_06-2021.xlsx", "Kết quả tự đánh giá Đơn vị học tập năm 2021"},
	} {
		for _, w := range p.wards {
			head := []string{"STT", "Mã đơn vị", "Ngày đánh giá"}
			ds, _ := p.cfg.Dataset(config.DatasetUnitAssessments)
			for _, c := range ds.Columns[2:] {
				head = append(head, c.Header) // the item codes: TC1.1 … TC3.3
			}
			head = append(head, "Tổng điểm", "Ghi chú")
			sh := sheet{Name: "Tự đánh giá", Titles: titles(w, when.title), Header: head}
			units := p.unitsOf(w.Code)
			for i, u := range units {
				t, ok := unitTotals[u.Code]
				if !ok {
					t = [2]float64{72, 80}
				}
				row := []any{i + 1, u.Code, date(when.d.AddDate(0, 0, r.IntN(5)))}
				x := unitItems(r, items, t[k])
				if when.round == "final" {
					p.unitFinal[u.Code] = total(x)
				}
				for _, v := range x {
					row = append(row, v)
				}
				sh.Rows = append(sh.Rows, append(row, total(x), nil))
			}
			sent := p.sendTime(when.d.AddDate(0, 0, 8+p.send.IntN(4)))
			b, err := workbook([]sheet{sh}, "Thủ trưởng đơn vị", sent)
			if err != nil {
				return err
			}
			if err := p.add(File{Path: w.Code + "/" + when.name, Ward: w.Code, Dataset: config.DatasetUnitAssessments, Period: when.round, SentAt: sent, Kind: KindNormal,
				Note: fmt.Sprintf("%d units' self-assessments, item codes as headers, and a \"Tổng điểm\" (total) column the dataset does not have", len(units))}, b); err != nil {
				return err
			}
		}
	}
	return nil
}
