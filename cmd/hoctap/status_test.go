package main

import (
	"strings"
	"testing"
	"time"

	"github.com/hoctap/hoctap"
	"github.com/hoctap/hoctap/config"
)

// TestStatusMonth: --month is a month of the programme; without it, this
// month in the city's time zone, kept within the programme.
func TestStatusMonth(t *testing.T) {
	cfg, err := config.Parse(hoctap.DefaultConfig, "") // 2020-11 → 2021-07, UTC+7
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		flag string
		now  time.Time
		want string // or the error's words
	}{
		{"2021-03", time.Time{}, "2021-03"},
		{"2020-11", time.Time{}, "2020-11"},
		{"2021-08", time.Time{}, "expected a month of the programme, 2020-11 to 2021-07"},
		{"2020-10", time.Time{}, "expected a month of the programme"},
		{"2021-13", time.Time{}, `"2021-13" is not a month: expected YYYY-MM`},
		{"", time.Date(2021, 2, 10, 0, 0, 0, 0, time.UTC), "2021-02"},
		{"", time.Date(2021, 2, 28, 17, 30, 0, 0, time.UTC), "2021-03"}, // 00:30 on 1 March in Sa Đéc
		{"", time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC), "2020-11"},
		{"", time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC), "2021-07"},
	} {
		m, err := statusMonth(cfg, c.flag, c.now)
		got := m.String()
		if err != nil {
			got = err.Error()
		}
		if !strings.Contains(got, c.want) {
			t.Errorf("statusMonth(%q, %s) = %s, want %s", c.flag, c.now, got, c.want)
		}
	}
}
