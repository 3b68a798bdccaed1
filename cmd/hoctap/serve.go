package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/deliver"
	"github.com/hoctap/hoctap/ingest"
	"github.com/hoctap/hoctap/pipeline"
	"github.com/hoctap/hoctap/schedule"
	"github.com/hoctap/hoctap/web"
)

// runServe runs the pipeline on its schedule until SIGTERM or Ctrl-C: first
// the reports missed while it was down, then every job at its instants, one
// at a time. A stop lets the running job finish, at most
// schedule.shutdown_grace. Meanwhile it serves the web app (package web) on
// server.listen: on the loopback, or anywhere with authentication configured.
func runServe(ctx context.Context, e *env, cmd *command, args []string) error {
	fs, cfgPath := flags(cmd, e)
	listen := fs.String("listen", "", "the web app's address (default: server.listen; off the loopback only with server.auth)")
	logFormat := logFlag(fs)
	cfg, err := configFor(cmd, fs, cfgPath, args)
	if err != nil {
		return err
	}
	p, err := e.pipeline(cmd, cfg, *logFormat)
	if err != nil {
		return err
	}
	if *listen == "" {
		*listen = cfg.Server.Listen
	}
	if err := checkConfigured(cfg, e.now); err != nil {
		return err
	}
	l, err := web.Listen(*listen, cfg.Server.Auth.Enabled())
	if err != nil {
		return dataf("%v", err)
	}
	defer l.Close()
	sigCtx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, os.Interrupt)
	defer stop()
	// Jobs get their own context: a stop asks the scheduler to wait for the
	// running one, and only a job past the grace period is cancelled.
	jobCtx, cancelJobs := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelJobs()

	fmt.Fprintf(e.stdout, "hoctap serve: %s, times in %s\n", cfg.File, cfg.City.TimeZone)
	for _, j := range schedule.Jobs(cfg) {
		fmt.Fprintf(e.stdout, "  %-9s %s\n", j.Name, j.What)
	}
	sv := p.Scheduler()
	// The web app first: it reads the published snapshot, so it need not
	// wait for the reports due at start, which may take a while.
	webDone, err := startWeb(sigCtx, e, p, sv, l)
	if err != nil {
		return err
	}
	p.CatchUp(jobCtx)
	if err := sv.Start(jobCtx); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "hoctap serve: scheduler started; stop with SIGTERM or Ctrl-C")
	<-sigCtx.Done()
	fmt.Fprintln(e.stdout, "hoctap serve: stopping after the running job")
	p.Log.Info("serve stopping")
	err = sv.Stop()
	cancelJobs()
	if err != nil {
		return fmt.Errorf("serve: stop: %w", err)
	}
	if err := <-webDone; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: web: %w", err)
	}
	fmt.Fprintln(e.stdout, "hoctap serve: stopped")
	p.Log.Info("serve stopped")
	return nil
}

// checkConfigured refuses at start what would make serve fail later: a TLS key
// pair that does not load, a delivery secret missing from the environment.
func checkConfigured(cfg *config.Config, now func() time.Time) error {
	if c := cfg.Server; c.TLSCert != "" {
		if _, err := tls.LoadX509KeyPair(c.TLSCert, c.TLSKey); err != nil {
			return dataf("server.tls_cert, server.tls_key: %v", err)
		}
	}
	if cfg.Delivery.Enabled() {
		if _, err := deliver.NewSender(cfg, nil, now); err != nil {
			return dataf("%v", err)
		}
	}
	return nil
}

// startWeb serves the web app on l until ctx ends, its pages told of p's
// runs, files and outbox, its buttons running sv's jobs, its SQL console
// running each query in a process of its own; the channel gets Serve's end.
func startWeb(ctx context.Context, e *env, p *pipeline.Pipeline, sv *schedule.Service, l net.Listener) (<-chan error, error) {
	cfg := p.Cfg
	metrics := web.NewMetrics()
	outbox := &web.Outbox{}
	p.Runs = func(r pipeline.Ended) {
		metrics.Record(web.Run{Job: r.Job, Scheduled: r.Scheduled, Started: r.Started, Finished: r.Finished, CatchUp: r.CatchUp, Rows: r.Rows, Err: r.Err})
	}
	p.Outbox, p.OutboxCounts = outbox.Set, metrics.Outbox
	p.Outcomes = func(outs []ingest.Outcome) {
		n := map[string]int{}
		for _, o := range outs {
			n[string(o.Status)]++
		}
		for status, k := range n {
			metrics.Files(status, k)
		}
	}
	trigger := func(job string) error {
		if job == "resend" { // the outbox's button: the next delivery queues the failed messages again
			p.Resend()
			job = schedule.Deliver
		}
		return sv.RunNow(job)
	}
	queries, err := queryRunner(cfg)
	if err != nil {
		return nil, err
	}
	app, err := web.New(cfg, web.Options{Snapshot: p.Snap, Queries: queries, Metrics: metrics, Trigger: trigger, Outbox: outbox, Now: e.now,
		Version: programVersion(), Log: p.Log.With("component", "web")})
	if err != nil {
		return nil, err
	}
	done := make(chan error, 1)
	go func() { done <- web.Serve(ctx, l, app.Handler(), cfg.Server, 5*time.Second) }()
	scheme := "http"
	if cfg.Server.TLSCert != "" {
		scheme = "https"
	}
	fmt.Fprintf(e.stdout, "hoctap serve: the web app is at %s://%s/ (and /healthz, /metrics)\n", scheme, l.Addr())
	p.Log.Info("serve started", "config", cfg.File, "listen", l.Addr().String(), "version", programVersion())
	return done, nil
}
