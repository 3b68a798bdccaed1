// Package web is hoctap serve's HTTP side. So far it serves /healthz (is the
// scheduler alive, how did each job last end) and /metrics (job runs,
// durations, failures, files ingested and refused, the last success of each
// job, in Prometheus's format); the pages of issue #6 are not built yet. It
// listens on the loopback by default and refuses any other address, since
// authentication is not built yet either.
package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are what the scheduler's runs tell the web side.
type Metrics struct {
	reg       *prometheus.Registry
	runs      *prometheus.CounterVec
	durations *prometheus.HistogramVec
	success   *prometheus.GaugeVec
	files     *prometheus.CounterVec

	mu   sync.Mutex
	last map[string]lastRun
}

type lastRun struct {
	Status   string    `json:"status"`
	Finished time.Time `json:"finished"`
	Error    string    `json:"error,omitempty"`
}

// NewMetrics registers the pipeline's metrics on a registry of its own.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hoctap_job_runs_total",
			Help: "Job runs by job and status (ok or failed)."}, []string{"job", "status"}),
		durations: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "hoctap_job_duration_seconds",
			Help: "How long job runs took.", Buckets: prometheus.ExponentialBuckets(0.1, 4, 8)}, []string{"job"}),
		success: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "hoctap_job_last_success_timestamp_seconds",
			Help: "When each job last finished without error (Unix time)."}, []string{"job"}),
		files: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hoctap_files_total",
			Help: "Files ingest took in, by outcome (loaded, refused, duplicate)."}, []string{"outcome"}),
		last: map[string]lastRun{},
	}
	m.reg.MustRegister(m.runs, m.durations, m.success, m.files)
	return m
}

// Run records one finished run of job.
func (m *Metrics) Run(job string, took time.Duration, finished time.Time, err error) {
	status, msg := "ok", ""
	if err != nil {
		status, msg = "failed", err.Error()
	} else {
		m.success.WithLabelValues(job).Set(float64(finished.Unix()))
	}
	m.runs.WithLabelValues(job, status).Inc()
	m.durations.WithLabelValues(job).Observe(took.Seconds())
	m.mu.Lock()
	m.last[job] = lastRun{status, finished, msg}
	m.mu.Unlock()
}

// Files counts n files of an ingest outcome.
func (m *Metrics) Files(outcome string, n int) { m.files.WithLabelValues(outcome).Add(float64(n)) }

// Handler serves /healthz and /metrics.
func (m *Metrics) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		m.mu.Lock()
		defer m.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(struct {
			Status string             `json:"status"`
			Jobs   map[string]lastRun `json:"jobs"`
		}{"ok", m.last})
	})
	return mux
}

// ErrNotLoopback refuses an address off the loopback: nothing there would ask
// who is asking.
var ErrNotLoopback = errors.New("web: authentication is not built yet, so hoctap serve listens only on the loopback (127.0.0.1 or ::1)")

// Listen opens addr, which must be on the loopback.
func Listen(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("web: listen %q: %w", addr, err)
	}
	ip := net.ParseIP(host)
	if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("%w: got %s", ErrNotLoopback, addr)
	}
	return net.Listen("tcp", addr)
}

// Serve serves h on l until ctx ends, then shuts down within grace.
func Serve(ctx context.Context, l net.Listener, h http.Handler, grace time.Duration) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	return srv.Shutdown(sctx)
}
