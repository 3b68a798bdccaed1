package reports

import (
	"context"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/store"
)

// Beside renders more files of a version from the data its report shows, in
// one language, by path relative to the version's folder ("wards/…"): the
// ward packs (package reports/wardpack). Render writes them with the
// report's files, in the same hidden folder, and lists them in the same
// manifest: a version's packs are whole with it or not there at all. A path
// ends ".LANG.EXT", which tells the language it is recorded under.
type Beside func(ctx context.Context, snap *store.DB, d *Data, lang string, version int) (map[string][]byte, error)

// Words formats numbers, dates and names the way the report in one language
// does, for the documents made beside it.
type Words struct{ l *locale }

// NewWords is the report's wording in lang ("vi" or "en").
func NewWords(lang string) (*Words, error) {
	l, err := newLocale(lang)
	if err != nil {
		return nil, err
	}
	return &Words{l}, nil
}

// Lang is the language: vi or en.
func (w *Words) Lang() string { return w.l.lang }

// Vi picks the text of the language; a name with no English stays Vietnamese.
func (w *Words) Vi(vi, en string) string { return w.l.vi(vi, en) }

// T is Vi with fmt.Sprintf arguments.
func (w *Words) T(vi, en string, args ...any) string { return w.l.t(vi, en, args...) }

// Int formats a count: 1.234 or 1,234.
func (w *Words) Int(n int64) string { return w.l.int(n) }

// Num formats v with at most dec decimals.
func (w *Words) Num(v float64, dec int) string { return w.l.num(v, dec) }

// Fixed formats v with exactly dec decimals.
func (w *Words) Fixed(v float64, dec int) string { return w.l.fixed(v, dec) }

// Pct formats a share 0–1 as a percentage: 80,6%; "–" for none (NaN).
func (w *Words) Pct(share float64) string { return w.l.pct(share) }

// Date formats a day: 01/04/2021 or 1 Apr 2021.
func (w *Words) Date(t time.Time) string { return w.l.date(t) }

// Month formats YYYY-MM: 03/2021 or Mar 2021.
func (w *Words) Month(m string) string { return w.l.month(m) }

// Indicator is the name of indicator n of cfg's learning-citizen framework,
// as the report names it; its number when it has none.
func (w *Words) Indicator(cfg *config.Config, n int) string { return indicatorName(w.l, cfg, n) }

// MonthLong formats YYYY-MM in running text: tháng 3 năm 2021, March 2021.
func (w *Words) MonthLong(m string) string { return w.l.monthLong(m) }

// PlaceDate is the official place-and-date line.
func (w *Words) PlaceDate(place string, t time.Time) string { return w.l.placeDate(place, t) }

// And joins items as running text does: "a, b và c".
func (w *Words) And(items []string) string { return w.l.and(items) }

// Change says how a count of unit moved since the month prev.
func (w *Words) Change(delta int64, prev string, unit [2]string) string {
	return w.l.change(delta, prev, unit)
}

// Status names a milestone's or a goal's status.
func (w *Words) Status(s string) string { return w.l.status(s) }

// WardFull names a ward as the month's report does: "phường Tân Quy Đông",
// or "xã Tân Quy Tây (cũ), nay thuộc phường Sa Đéc" once its unit changed.
func (w *Words) WardFull(d *Data, code string) string { return w.l.wardFull(d, code) }

// WardName is a ward's name alone: "Tân Quy Đông".
func (w *Words) WardName(d *Data, code string) string { return w.l.wardName(d, code) }

// Lacking says what a person close to the title lacks, as the report's
// annex of them does: "chỉ số 6 – Sử dụng ngoại ngữ (4,5 điểm); tổng điểm
// còn thiếu 2,5 điểm".
func (w *Words) Lacking(cfg *config.Config, n Near) string {
	c := &composer{cfg: cfg, l: w.l}
	return c.lacking(n)
}

// Issued is the day the month's report is dated.
func (d *Data) Issued(loc *time.Location) time.Time { return d.issued(loc) }

// ReceivedBy is the last day of the files the data holds.
func (d *Data) ReceivedBy(loc *time.Location) time.Time { return d.receivedBy(loc) }

// Ward finds a ward of the data by its code.
func (d *Data) Ward(code string) (Ward, bool) { return d.ward(code) }

// Progress is a row of progress_monthly of the data: level "city" (ward
// "") or "ward", month the report's or the one before.
func (d *Data) ProgressOf(month, level, ward string) (Progress, bool) {
	return d.progress(month, level, ward, 0)
}

// CloseWithin is how many points short of the pass total a person with no
// indicator below the minimum is still close to the title, as the report
// counts them.
func CloseWithin(cfg *config.Config, d *Data) float64 {
	if w := cfg.Report.CloseWithin; w > 0 {
		return w
	}
	return d.Programme.IndicatorMax
}

// CloseIn is the first limit people of ward close to the title at month's
// end (all of them when limit is 0), by the rule and in the order of the
// report's annex of them (close.sql), and how many there are in all.
func CloseIn(ctx context.Context, db *store.DB, month, ward string, limit int, within float64) ([]Near, int64, error) {
	var ns []Near
	if err := sel(ctx, db, &ns, "close", month, limitArg(limit), within, ward); err != nil {
		return nil, 0, err
	}
	n, err := CloseCount(ctx, db, month, ward, within)
	return ns, n, err
}

// CloseCount is how many people of ward CloseIn lists in all.
func CloseCount(ctx context.Context, db *store.DB, month, ward string, within float64) (int64, error) {
	var n int64
	err := get(ctx, db, &n, "close_count", month, within, ward)
	return n, err
}

// FirstEligible is the first limit (0: all) of the people of ward in the annex
// of those eligible (the first of d.Annex) when d holds them: d's are the
// first of the whole annex, and the annex sorts people by ward first, then
// as a ward's list does. ok is false when d may not hold them all: a ward
// after the first rows, or a list the report cuts shorter than limit.
func (d *Data) FirstEligible(ward string, limit int) (hs []Holder, ok bool) {
	return firstOf(d.Annex, d.AnnexCount, func(h Holder) string { return h.Ward }, ward, limit)
}

// FirstClose is FirstEligible for the people close to the title: the first
// of what CloseIn lists, when d holds them.
func (d *Data) FirstClose(ward string, limit int) (ns []Near, ok bool) {
	return firstOf(d.Close, d.CloseCount, func(n Near) string { return n.Ward }, ward, limit)
}

func firstOf[T any](rows []T, all int64, wardOf func(T) string, ward string, limit int) ([]T, bool) {
	var out []T
	for _, r := range rows {
		if wardOf(r) != ward {
			continue
		}
		if limit > 0 && len(out) == limit {
			return out, true
		}
		out = append(out, r)
	}
	if int64(len(rows)) >= all || limit > 0 && len(out) == limit {
		return out, true
	}
	return nil, false
}
