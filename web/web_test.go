package web

import (
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestListenLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.168.1.10:8080", ":8080", "example.org:80"} {
		if _, err := Listen(addr); !errors.Is(err, ErrNotLoopback) {
			t.Errorf("Listen(%q): %v, want ErrNotLoopback", addr, err)
		}
	}
	l, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
}

func TestMetricsAndHealth(t *testing.T) {
	m := NewMetrics()
	at := time.Date(2021, 4, 1, 0, 0, 0, 0, time.UTC)
	m.Run("report", 2*time.Second, at, nil)
	m.Run("ingest", time.Second, at, errors.New("the database is in use"))
	m.Files("loaded", 3)
	m.Files("refused", 1)
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	get := func(path string) string {
		resp, err := srv.Client().Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	metrics := get("/metrics")
	for _, want := range []string{
		`hoctap_job_runs_total{job="report",status="ok"} 1`,
		`hoctap_job_runs_total{job="ingest",status="failed"} 1`,
		`hoctap_job_last_success_timestamp_seconds{job="report"} 1.6172352e+09`,
		`hoctap_files_total{outcome="refused"} 1`,
		`hoctap_job_duration_seconds_count{job="report"} 1`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s:\n%s", want, metrics)
		}
	}
	if strings.Contains(metrics, `hoctap_job_last_success_timestamp_seconds{job="ingest"}`) {
		t.Error("a failed ingest counts as a success")
	}
	if h := get("/healthz"); !strings.Contains(h, `"ingest":{"status":"failed"`) || !strings.Contains(h, `"error":"the database is in use"`) {
		t.Errorf("/healthz: %s", h)
	}
}
