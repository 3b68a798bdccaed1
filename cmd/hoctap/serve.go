package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	iofs "io/fs"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"syscall"
	"time"

	"github.com/google/renameio/v2"

	"github.com/hoctap/hoctap/deliver"
	"github.com/hoctap/hoctap/ingest"
	"github.com/hoctap/hoctap/schedule"
	"github.com/hoctap/hoctap/store"
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
	log, err := e.logger(cmd, cfg, *logFormat)
	if err != nil {
		return err
	}
	if *listen == "" {
		*listen = cfg.Server.Listen
	}
	if c := cfg.Server; c.TLSCert != "" {
		if _, err := tls.LoadX509KeyPair(c.TLSCert, c.TLSKey); err != nil {
			return dataf("server.tls_cert, server.tls_key: %v", err)
		}
	}
	if cfg.Delivery.Enabled() { // a secret missing from the environment stops serve now, not every delivery
		if _, err := deliver.NewSender(cfg, nil, e.now); err != nil {
			return dataf("%v", err)
		}
	}
	l, err := web.Listen(*listen, cfg.Server.Auth.Enabled())
	if err != nil {
		return dataf("%v", err)
	}
	defer l.Close()
	metrics := web.NewMetrics()
	p := &pipeline{e: e, cfg: cfg, log: log, snap: snapshotOf(cfg), runs: metrics.Record, outbox: &web.Outbox{}, outboxCounts: metrics.Outbox, outcomes: func(outs []ingest.Outcome) {
		n := map[string]int{}
		for _, o := range outs {
			n[string(o.Status)]++
		}
		for status, k := range n {
			metrics.Files(status, k)
		}
	}}
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
	task := func(ctx context.Context, r schedule.Run) error {
		fmt.Fprintf(e.stdout, "%s %s\n", r.Scheduled.Format("2006-01-02 15:04"), r.Job)
		switch r.Job {
		case schedule.Ingest:
			_, err := p.ingest(ctx, r)
			return err
		case schedule.Report:
			month := schedule.MonthReported(r.Scheduled)
			if month < cfg.Programme.Start.Format("2006-01") || month > cfg.Programme.End.Format("2006-01") {
				fmt.Fprintf(e.stdout, "report: %s is outside the programme, nothing to render\n", month)
				return nil
			}
			if err := p.report(ctx, r, month); err != nil {
				return err
			}
			return p.deliverDue(ctx, schedule.Run{Job: schedule.Deliver, Scheduled: r.Scheduled})
		case schedule.Reminder:
			return p.reminder(ctx, r)
		case schedule.Backup:
			return p.backup(ctx, r)
		case schedule.Deliver:
			return p.deliverDue(ctx, r)
		}
		return fmt.Errorf("unknown job %s", r.Job)
	}
	sv := &schedule.Service{Cfg: cfg, Task: task, Transient: func(err error) bool {
		// Someone ran a command that holds the database: try again later.
		return errors.Is(err, store.ErrLocked)
	}, Errors: func(r schedule.Run, err error) {
		// The run's own line has its error; this is the scheduler's word
		// on it (it tries a held database again). slog quotes (text) or
		// escapes (JSON) a file's name in it: it cannot forge a line.
		log.Warn("scheduled run failed", "job", r.Job, "scheduled", r.Scheduled, "err", err)
	}}
	// The web app first: it reads the published snapshot, so it need not
	// wait for the reports due at start, which may take a while. Its SQL
	// console runs each query in a process of its own.
	trigger := func(job string) error {
		if job == "resend" { // the outbox's button: the next delivery queues the failed messages again
			p.resend.Store(true)
			job = schedule.Deliver
		}
		return sv.RunNow(job)
	}
	queries, err := queryRunner(cfg)
	if err != nil {
		return err
	}
	app, err := web.New(cfg, web.Options{Snapshot: p.snap, Queries: queries, Metrics: metrics, Trigger: trigger, Outbox: p.outbox, Now: e.now,
		Version: programVersion(), Log: log.With("component", "web")})
	if err != nil {
		return err
	}
	webDone := make(chan error, 1)
	go func() { webDone <- web.Serve(sigCtx, l, app.Handler(), cfg.Server, 5*time.Second) }()
	scheme := "http"
	if cfg.Server.TLSCert != "" {
		scheme = "https"
	}
	fmt.Fprintf(e.stdout, "hoctap serve: the web app is at %s://%s/ (and /healthz, /metrics)\n", scheme, l.Addr())
	log.Info("serve started", "config", cfg.File, "listen", l.Addr().String(), "version", programVersion())
	if err := p.reportsDue(jobCtx); err != nil {
		log.Error("reports due at start", "job", schedule.Report, "err", err)
	}
	if err := p.deliverDue(jobCtx, schedule.Run{Job: schedule.Deliver}); err != nil {
		log.Error("delivery at start", "job", schedule.Deliver, "err", err)
	}
	if err := sv.Start(jobCtx); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "hoctap serve: scheduler started; stop with SIGTERM or Ctrl-C")
	<-sigCtx.Done()
	fmt.Fprintln(e.stdout, "hoctap serve: stopping after the running job")
	log.Info("serve stopping")
	err = sv.Stop()
	cancelJobs()
	if err != nil {
		return fmt.Errorf("serve: stop: %w", err)
	}
	if err := <-webDone; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: web: %w", err)
	}
	fmt.Fprintln(e.stdout, "hoctap serve: stopped")
	log.Info("serve stopped")
	return nil
}

// backup copies the pipeline's database, checkpointed and held so that no
// one writes it meanwhile, to backups/hoctap-YYYY-MM-DD.duckdb, and keeps the
// newest schedule.backup.keep copies; then it brings backups/archive/ up to
// date with the archive of received files. Those are kept by checksum and
// never change, so one copy of each is enough: only new ones are copied.
func (p *pipeline) backup(ctx context.Context, r schedule.Run) error {
	cfg := p.cfg
	return p.record(ctx, r, func(ctx context.Context) (int64, error) {
		db, err := openPipeline(ctx, cfg)
		if err != nil {
			return 0, err
		}
		defer db.Close()
		if _, err := db.ExecContext(ctx, "CHECKPOINT"); err != nil {
			return 0, err
		}
		if err := os.MkdirAll(cfg.Paths.Backups, 0o700); err != nil {
			return 0, err
		}
		dst := filepath.Join(cfg.Paths.Backups, "hoctap-"+r.Scheduled.Format("2006-01-02")+".duckdb")
		src, err := os.Open(cfg.Paths.Database)
		if err != nil {
			return 0, err
		}
		defer src.Close()
		out, err := renameio.NewPendingFile(dst, renameio.WithStaticPermissions(0o600))
		if err != nil {
			return 0, err
		}
		defer out.Cleanup()
		n, err := out.ReadFrom(src)
		if err != nil {
			return 0, err
		}
		if err := out.CloseAtomicallyReplace(); err != nil {
			return 0, err
		}
		keep := max(cfg.Schedule.Backup.Keep, 1)
		old, _ := filepath.Glob(filepath.Join(cfg.Paths.Backups, "hoctap-*.duckdb"))
		sort.Strings(old)
		for ; len(old) > keep; old = old[1:] {
			os.Remove(old[0])
		}
		copied, err := mirror(cfg.Paths.Archive, filepath.Join(cfg.Paths.Backups, "archive"))
		if err != nil {
			return n, fmt.Errorf("backup of the archive: %w", err)
		}
		fmt.Fprintf(p.e.stdout, "backup: %s (%d MB); %d new archived file(s) copied\n", dst, n>>20, copied)
		p.log.InfoContext(ctx, "backup written", "job", schedule.Backup, "file", dst, "bytes", n, "archived_copied", copied)
		return n, nil
	})
}

// mirror copies every file under src that dst lacks (or holds at another
// size), each written whole or not at all, and says how many it copied.
func mirror(src, dst string) (int, error) {
	copied := 0
	err := filepath.WalkDir(src, func(path string, d iofs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, iofs.ErrNotExist) && path == src {
				return filepath.SkipDir // nothing archived yet
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if have, err := os.Stat(to); err == nil && have.Size() == info.Size() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
			return err
		}
		if err := renameio.WriteFile(to, b, 0o600); err != nil {
			return err
		}
		copied++
		return nil
	})
	return copied, err
}
