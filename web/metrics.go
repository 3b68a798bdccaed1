package web

import (
	"encoding/json"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/hoctap/hoctap/deliver"
)

// Run is one finished run of a job, as the web side hears of it.
type Run struct {
	Job       string
	Scheduled time.Time // zero: started by hand or by a button
	Started   time.Time
	Finished  time.Time
	CatchUp   bool
	Rows      int64
	Err       error
}

// recentRuns is how many runs the process keeps for its pages.
const recentRuns = 200

// Metrics are what the scheduler's runs tell the web side: Prometheus's
// counters, the last run of each job for /healthz, and the runs since the
// process started for the job-runs page (the published snapshot holds the
// history only up to its publication).
type Metrics struct {
	reg       *prometheus.Registry
	runs      *prometheus.CounterVec
	durations *prometheus.HistogramVec
	success   *prometheus.GaugeVec
	files     *prometheus.CounterVec
	outbox    *prometheus.GaugeVec

	mu     sync.Mutex
	last   map[string]Run
	recent []Run // oldest first, at most recentRuns
}

type lastRun struct {
	Status   string    `json:"status"` // ok, failing
	Finished time.Time `json:"finished"`
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
		outbox: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "hoctap_outbox_messages",
			Help: "The outbox's messages by status (queued, sending, sent, deferred, failed), as the last delivery read them."}, []string{"status"}),
		last: map[string]Run{},
	}
	m.reg.MustRegister(m.runs, m.durations, m.success, m.files, m.outbox)
	return m
}

// Record counts one finished run.
func (m *Metrics) Record(r Run) {
	status := "ok"
	if r.Err != nil {
		status = "failed"
	} else {
		m.success.WithLabelValues(r.Job).Set(float64(r.Finished.Unix()))
	}
	m.runs.WithLabelValues(r.Job, status).Inc()
	m.durations.WithLabelValues(r.Job).Observe(r.Finished.Sub(r.Started).Seconds())
	m.mu.Lock()
	defer m.mu.Unlock()
	m.last[r.Job] = r
	m.recent = append(m.recent, r)
	if len(m.recent) > recentRuns {
		m.recent = append(m.recent[:0], m.recent[len(m.recent)-recentRuns:]...)
	}
}

// Recent is the runs since the process started, newest first.
func (m *Metrics) Recent() []Run {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Run, len(m.recent))
	for i, r := range m.recent {
		out[len(out)-1-i] = r
	}
	return out
}

// Last is the last run of each job since the process started, by job name.
func (m *Metrics) Last() []Run {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Run, 0, len(m.last))
	for _, r := range m.last {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Job < out[j].Job })
	return out
}

// Files counts n files of an ingest outcome.
func (m *Metrics) Files(outcome string, n int) { m.files.WithLabelValues(outcome).Add(float64(n)) }

// Outbox sets the outbox's messages by status; a status not in counts has none.
func (m *Metrics) Outbox(counts map[deliver.Status]int) {
	for _, s := range deliver.Statuses {
		m.outbox.WithLabelValues(string(s)).Set(float64(counts[s]))
	}
}

func (m *Metrics) metricsHandler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// health answers /healthz, which asks for no login: "ok" while the last
// run of every job ended well, else "failing" with 503, and each job's
// status. It never says why a job failed — an error can name a ward's file,
// and a file's name a person: the job-runs page, behind the login, does.
func (m *Metrics) health(w http.ResponseWriter, r *http.Request) {
	jobs := map[string]lastRun{}
	status, code := "ok", http.StatusOK
	for _, r := range m.Last() {
		l := lastRun{Status: "ok", Finished: r.Finished}
		if r.Err != nil {
			l.Status, status, code = "failing", "failing", http.StatusServiceUnavailable
		}
		jobs[r.Job] = l
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(struct {
		Status string             `json:"status"`
		Jobs   map[string]lastRun `json:"jobs"`
	}{status, jobs})
}
