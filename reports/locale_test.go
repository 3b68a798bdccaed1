package reports

import (
	"math"
	"testing"

	"golang.org/x/text/number"
)

// TestIntAsThePrinter formats counts as the report does and as its
// language's printer does: the same text, both languages, whatever the
// sign and the number of digits.
func TestIntAsThePrinter(t *testing.T) {
	for _, lang := range []string{"vi", "en"} {
		l, err := newLocale(lang)
		if err != nil {
			t.Fatal(err)
		}
		if l.group == 0 {
			t.Fatalf("%s: no separator of thousands found", lang)
		}
		ns := []int64{math.MaxInt64, math.MinInt64, math.MinInt64 + 1, 1e18, -1e18}
		for n := int64(-1_100_000); n <= 1_100_000; n += 37 {
			ns = append(ns, n)
		}
		for p := int64(1); p < 1e18; p *= 10 {
			ns = append(ns, p-1, p, p+1, -p, -p+1)
		}
		for _, n := range ns {
			if got, want := l.int(n), l.p.Sprint(number.Decimal(n)); got != want {
				t.Fatalf("%s: %d is %q, the printer says %q", lang, n, got, want)
			}
		}
	}
}
