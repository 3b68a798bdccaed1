package config

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func month(t *testing.T, s string) Month {
	t.Helper()
	m, err := ParseMonth(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestParseMonth(t *testing.T) {
	for _, ok := range []string{"2021-03", " 2021-12 ", "1999-01"} {
		if m, err := ParseMonth(ok); err != nil || m.String() != strings.TrimSpace(ok) {
			t.Errorf("ParseMonth(%q) = %v, %v", ok, m, err)
		}
	}
	for _, bad := range []string{"", "2021", "2021-13", "2021-00", "2021-3", "03/2021", "2021-03-01", "2021-03x", "21-03", "２０２１-03"} {
		m, err := ParseMonth(bad)
		if err == nil {
			t.Errorf("ParseMonth(%q) = %v, want an error", bad, m)
			continue
		}
		if want := "is not a month: expected YYYY-MM"; !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "\""+bad+"\"") {
			t.Errorf("ParseMonth(%q): %v, want the value quoted and %q", bad, err, want)
		}
	}
}

// TestMonthArithmetic: across year boundaries, in the city's time zone.
func TestMonthArithmetic(t *testing.T) {
	dec, jan := month(t, "2020-12"), month(t, "2021-01")
	if dec.Next() != jan || jan.Prev() != dec {
		t.Errorf("2020-12 → %s, 2021-01 ← %s", dec.Next(), jan.Prev())
	}
	if !dec.Before(jan) || jan.Before(dec) || !jan.After(dec) || dec.After(dec) || dec.Before(dec) {
		t.Error("Before/After across the year")
	}
	if got := month(t, "2024-02").LastDay().String(); got != "2024-02-29" {
		t.Errorf("last day of February 2024 = %s", got)
	}
	if got := month(t, "2021-02").LastDay().String(); got != "2021-02-28" {
		t.Errorf("last day of February 2021 = %s", got)
	}
	if got := dec.LastDay().String(); got != "2020-12-31" {
		t.Errorf("last day of December = %s", got)
	}
	if got := jan.FirstDay().String(); got != "2021-01-01" {
		t.Errorf("first day of January = %s", got)
	}
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	if got := dec.Start(loc).Format(time.RFC3339); got != "2020-12-01T00:00:00+07:00" {
		t.Errorf("start of 2020-12 = %s", got)
	}
	if got := dec.End(loc).Format(time.RFC3339); got != "2021-01-01T00:00:00+07:00" {
		t.Errorf("end of 2020-12 = %s", got)
	}
	// 31 December, 23:30 in Sa Đéc is already 2021 there, still 2020 in UTC.
	at := time.Date(2020, 12, 31, 17, 30, 0, 0, time.UTC)
	if MonthOf(at) != dec || MonthOf(at.In(loc)) != jan {
		t.Errorf("MonthOf: %s in UTC, %s in Sa Đéc", MonthOf(at), MonthOf(at.In(loc)))
	}
	if got := jan.Label(); got != "01/2021" {
		t.Errorf("label = %s", got)
	}
	if ms := Months(month(t, "2020-11"), month(t, "2021-02")); len(ms) != 4 || ms[1] != dec || ms[2] != jan {
		t.Errorf("Months across the year = %v", ms)
	}
	if ms := Months(jan, dec); len(ms) != 0 {
		t.Errorf("Months of a reversed span = %v", ms)
	}
	if (Month{}).String() != "" {
		t.Error("the zero month is written")
	}
}

func TestProgrammeMonths(t *testing.T) {
	p := Programme{Start: Date{time.Date(2020, 11, 15, 0, 0, 0, 0, time.UTC)}, End: Date{time.Date(2021, 7, 31, 0, 0, 0, 0, time.UTC)}}
	if ms := p.Months(); len(ms) != 9 || ms[0].String() != "2020-11" || ms[8].String() != "2021-07" {
		t.Errorf("Months = %v", ms)
	}
	for m, want := range map[string]string{"2019-12": "2020-11", "2020-10": "2020-11", "2020-11": "2020-11", "2021-01": "2021-01", "2021-07": "2021-07", "2021-08": "2021-07", "2030-01": "2021-07"} {
		if got := p.Clamp(month(t, m)).String(); got != want {
			t.Errorf("Clamp(%s) = %s, want %s", m, got, want)
		}
		if got := p.Holds(month(t, m)); got != (m == want) {
			t.Errorf("Holds(%s) = %v", m, got)
		}
	}
}

// TestMonthAsKey: a Month is a map key and a JSON value, written YYYY-MM.
func TestMonthAsKey(t *testing.T) {
	b, err := json.Marshal(map[Month]Month{month(t, "2021-03"): month(t, "2021-04")})
	if err != nil || string(b) != `{"2021-03":"2021-04"}` {
		t.Fatalf("%s, %v", b, err)
	}
	var back map[Month]Month
	if err := json.Unmarshal(b, &back); err != nil || back[month(t, "2021-03")] != month(t, "2021-04") {
		t.Fatalf("%v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"2021-3":"2021-04"}`), &back); err == nil {
		t.Error("a key that is not a month accepted")
	}
}
