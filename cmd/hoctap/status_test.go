package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
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
		{"2021-08", time.Time{}, "ngoài thời gian thí điểm — expected a month of the programme, 2020-11 to 2021-07"},
		{"2020-10", time.Time{}, "expected a month of the programme"},
		{"2021-13", time.Time{}, `--month "2021-13": tháng không hợp lệ — not a month: expected YYYY-MM`},
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

// TestMonthFlags: a month flag that is not YYYY-MM is a usage error that
// says so in both languages, before anything is opened.
func TestMonthFlags(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "ws")
	if _, err := initWorkspace(ws); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(ws, "pipeline.yaml")
	for _, args := range [][]string{
		{"report", "--config", cfg, "--month", "2021-13"},
		{"report", "--config", cfg, "--month", "03/2021"},
		{"backfill", "--config", cfg, "--from", "2021-3"},
		{"backfill", "--config", cfg, "--to", "2021"},
		{"status", "--config", cfg, "--month", "2021-00"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr, time.Now)
		code := report(err, &stderr)
		if code != exitUsage || !strings.Contains(stderr.String(), "tháng không hợp lệ — not a month: expected YYYY-MM") || !strings.Contains(stderr.String(), strconv.Quote(args[len(args)-1])) {
			t.Errorf("%v: exit %d\n%s", args, code, stderr.String())
		}
	}
	if _, err := os.Stat(filepath.Join(ws, "data", "hoctap.duckdb")); !os.IsNotExist(err) {
		t.Errorf("a refused flag opened the database: %v", err)
	}
}
