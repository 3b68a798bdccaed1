package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"text/tabwriter"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/deliver"
	"github.com/hoctap/hoctap/reports"
	"github.com/hoctap/hoctap/schedule"
	"github.com/hoctap/hoctap/store"
)

// runDeliver sends the outbox's messages that are due, as serve would: those
// queued, and those deferred whose next attempt has come; --resend-failed
// queues the failed ones again first; --list prints the outbox.
func runDeliver(ctx context.Context, e *env, cmd *command, args []string) error {
	fs, cfgPath := flags(cmd, e)
	resend := fs.Bool("resend-failed", false, "queue the failed messages again (and bring the deferred ones forward), then send")
	list := fs.Bool("list", false, "print the outbox's latest messages and send nothing")
	logFormat := logFlag(fs)
	cfg, err := configFor(cmd, fs, cfgPath, args)
	if err != nil {
		return err
	}
	log, err := e.logger(cmd, cfg, *logFormat)
	if err != nil {
		return err
	}
	p := &pipeline{e: e, cfg: cfg, snap: snapshotOf(cfg), log: log}
	if *list {
		db, err := openPipeline(ctx, cfg)
		if err != nil {
			return err
		}
		defer db.Close()
		rows, err := deliver.List(ctx, db, 50)
		if err != nil {
			return err
		}
		printOutbox(e.stdout, cfg, rows)
		return nil
	}
	if !cfg.Delivery.Enabled() {
		return dataf("chưa có ai để gửi — no one to deliver to: list the recipients in %s's delivery section", cfg.File)
	}
	sum, err := p.deliver(ctx, schedule.Run{Job: schedule.Deliver}, *resend)
	if err != nil {
		return err
	}
	if sum.Failed > 0 {
		return dataf("%d thư không gửi được — %d message(s) failed: see \"hoctap deliver --list\"; \"hoctap deliver --resend-failed\" sends them again", sum.Failed, sum.Failed)
	}
	return nil
}

// deliver sends what the outbox holds due, as the run r (in job_runs), after
// queuing the failed messages again when resend is set; it tells the web
// app what the outbox holds then.
func (p *pipeline) deliver(ctx context.Context, r schedule.Run, resend bool) (deliver.Summary, error) {
	var sum deliver.Summary
	err := p.record(ctx, r, func(ctx context.Context) (int64, error) {
		s, err := deliver.NewSender(p.cfg, p.log, p.e.now)
		if err != nil {
			return 0, dataf("%v", err)
		}
		db, err := openPipeline(ctx, p.cfg)
		if err != nil {
			return 0, err
		}
		defer db.Close()
		if resend {
			n, err := deliver.Requeue(ctx, db, p.e.now())
			if err != nil {
				return 0, err
			}
			fmt.Fprintf(p.e.stdout, "deliver: %d failed message(s) queued again\n", n)
		}
		sum, err = s.Run(ctx, db)
		p.show(ctx, db)
		fmt.Fprintf(p.e.stdout, "deliver: %s\n", sum)
		return int64(sum.Sent), err
	})
	return sum, err
}

// deliverDue sends what is due, when anything is: the scheduler's look at
// the outbox every schedule.deliver.every, recorded as a run only when it
// sends. A database held by another process (a command run by hand) waits
// for the next look.
func (p *pipeline) deliverDue(ctx context.Context, r schedule.Run) error {
	if !p.cfg.Delivery.Enabled() {
		return nil
	}
	resend := p.resend.Swap(false)
	db, err := openPipeline(ctx, p.cfg)
	if errors.Is(err, store.ErrLocked) && !resend {
		return nil
	}
	if err != nil {
		return err
	}
	next, due, err := deliver.NextDue(ctx, db)
	p.show(ctx, db)
	db.Close()
	if err != nil {
		return err
	}
	if !resend && (!due || next.After(p.e.now())) {
		return nil
	}
	_, err = p.deliver(ctx, r, resend)
	return err
}

// show hands the web app the outbox's newest messages and its counts.
func (p *pipeline) show(ctx context.Context, db *store.DB) {
	if p.outbox != nil {
		if rows, err := deliver.List(ctx, db, 200); err == nil {
			p.outbox.Set(rows, p.e.now())
		}
	}
	if p.outboxCounts != nil {
		if n, err := deliver.Counts(ctx, db); err == nil {
			p.outboxCounts(n)
		}
	}
}

// enqueueReport queues the messages of a report version just rendered, and
// says so.
func enqueueReport(ctx context.Context, e *env, log *slog.Logger, cfg *config.Config, db *store.DB, res *reports.Result) (int, error) {
	q, err := deliver.EnqueueReport(ctx, db, cfg, res, e.now())
	if err != nil {
		return 0, err
	}
	switch {
	case q.Rows > 0:
		fmt.Fprintf(e.stdout, "delivery: %d message(s) queued for report %s version %d\n", q.Rows, res.Month, res.Version)
		log.InfoContext(ctx, "messages queued", "job", schedule.Report, "month", res.Month, "version", res.Version, "rows", q.Rows)
	case q.Skipped != "":
		fmt.Fprintf(e.stdout, "delivery: nothing queued for report %s: %s\n", res.Month, q.Skipped)
	}
	return q.Rows, nil
}

// reminder tells each ward what it still owes this month: the submissions
// due by the month's end with no accepted file, from the published snapshot
// (the run's rows), printed, and queued in the outbox for the ward's
// contacts and the webhooks, then sent.
func (p *pipeline) reminder(ctx context.Context, r schedule.Run) error {
	queued := 0
	err := p.record(ctx, r, func(ctx context.Context) (int64, error) {
		snap, err := openFresh(ctx, p.snap)
		if err != nil {
			return 0, err
		}
		defer snap.Close()
		at := r.Scheduled
		if at.IsZero() {
			at = p.e.now()
		}
		at = at.In(p.cfg.Location)
		month := config.MonthOf(at)
		missing, err := reports.Missing(ctx, snap.DB, month.String(), month.LastDay().Time)
		if err != nil {
			return 0, err
		}
		for _, m := range missing {
			fmt.Fprintf(p.e.stdout, "reminder: %s has not sent %s, due %s\n", m.Ward, m.Dataset, m.Due.Format("02/01/2006"))
			p.log.InfoContext(ctx, "submission missing", "job", schedule.Reminder, "ward", m.Ward, "dataset", m.Dataset, "month", month.String(), "due", m.Due.Format(time.DateOnly))
		}
		if !p.cfg.Delivery.Enabled() || len(missing) == 0 {
			return int64(len(missing)), nil
		}
		report := nextReport(p.cfg, at)
		db, err := openPipeline(ctx, p.cfg)
		if err != nil {
			return 0, err
		}
		defer db.Close()
		q, err := deliver.EnqueueReminder(ctx, db, p.cfg, deliver.Reminder{At: at, Missing: missing, Report: report,
			ReportMonth: schedule.MonthReported(report)}, p.e.now())
		if err != nil {
			return 0, err
		}
		queued = q.Rows
		fmt.Fprintf(p.e.stdout, "reminder: %d message(s) queued%s\n", q.Rows, map[bool]string{true: " (" + q.Skipped + ")"}[q.Skipped != ""])
		p.log.InfoContext(ctx, "messages queued", "job", schedule.Reminder, "month", month.String(), "rows", q.Rows)
		return int64(len(missing)), nil
	})
	if err == nil && queued > 0 {
		_, err = p.deliver(ctx, schedule.Run{Job: schedule.Deliver, Scheduled: r.Scheduled}, false)
	}
	return err
}

// nextReport is the first instant of the monthly report at or after at, in
// the city's time zone.
func nextReport(cfg *config.Config, at time.Time) time.Time {
	rep := cfg.Schedule.Report
	t := time.Date(at.Year(), at.Month(), rep.Day, rep.At.Hour, rep.At.Minute, 0, 0, at.Location())
	if t.Before(at) {
		t = t.AddDate(0, 1, 0)
	}
	return t
}

// printOutbox prints the outbox's rows, newest first.
func printOutbox(w io.Writer, cfg *config.Config, rows []deliver.Row) {
	if len(rows) == 0 {
		fmt.Fprintln(w, "the outbox is empty")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "id\tqueued\tmessage\trecipient\tstatus\tattempts\tnext attempt\tlast error")
	for _, r := range rows {
		what := fmt.Sprintf("report %s v%d", r.Month, r.Version)
		if r.Event == config.EventReminderDue {
			what = "reminder " + r.Ward
		}
		next := ""
		if r.Status == deliver.Deferred && r.NextAttempt != nil {
			next = r.NextAttempt.In(cfg.Location).Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", r.ID, r.CreatedAt.In(cfg.Location).Format("2006-01-02 15:04"), what,
			r.Recipient, r.Status, r.Attempts, next, r.LastError)
	}
	tw.Flush()
}
