package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/deliver"
	"github.com/hoctap/hoctap/reports"
	"github.com/hoctap/hoctap/schedule"
	"github.com/hoctap/hoctap/store"
)

// Deliver sends what the outbox holds due, as the run r (in job_runs), after
// queuing the failed messages again when resend is set; it tells the web
// app what the outbox holds then.
func (p *Pipeline) Deliver(ctx context.Context, r schedule.Run, resend bool) (deliver.Summary, error) {
	var sum deliver.Summary
	err := p.record(ctx, r, func(ctx context.Context) (int64, error) {
		s, err := deliver.NewSender(p.Cfg, p.Log, p.Now)
		if err != nil {
			return 0, errorf("%v", err)
		}
		db, err := Open(ctx, p.Cfg)
		if err != nil {
			return 0, err
		}
		defer db.Close()
		if resend {
			n, err := deliver.Requeue(ctx, db, p.Now())
			if err != nil {
				return 0, err
			}
			fmt.Fprintf(p.Out, "deliver: %d failed message(s) queued again\n", n)
		}
		sum, err = s.Run(ctx, db)
		p.show(ctx, db)
		fmt.Fprintf(p.Out, "deliver: %s\n", sum)
		return int64(sum.Sent), err
	})
	return sum, err
}

// DeliverDue sends what is due, when anything is: the scheduler's look at
// the outbox every schedule.deliver.every, recorded as a run only when it
// sends. A database held by another process (a command run by hand) waits
// for the next look.
func (p *Pipeline) DeliverDue(ctx context.Context, r schedule.Run) error {
	if !p.Cfg.Delivery.Enabled() {
		return nil
	}
	resend := p.resend.Swap(false)
	db, err := Open(ctx, p.Cfg)
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
	if !resend && (!due || next.After(p.Now())) {
		return nil
	}
	_, err = p.Deliver(ctx, r, resend)
	return err
}

// show hands the web app the outbox's newest messages and its counts.
func (p *Pipeline) show(ctx context.Context, db *store.DB) {
	if p.Outbox != nil {
		if rows, err := deliver.List(ctx, db, 200); err == nil {
			p.Outbox(rows, p.Now())
		}
	}
	if p.OutboxCounts != nil {
		if n, err := deliver.Counts(ctx, db); err == nil {
			p.OutboxCounts(n)
		}
	}
}

// enqueueReport queues the messages of a report version just rendered, and
// says so.
func (p *Pipeline) enqueueReport(ctx context.Context, db *store.DB, res *reports.Result) (int, error) {
	q, err := deliver.EnqueueReport(ctx, db, p.Cfg, res, p.Now())
	if err != nil {
		return 0, err
	}
	switch {
	case q.Rows > 0:
		fmt.Fprintf(p.Out, "delivery: %d message(s) queued for report %s version %d\n", q.Rows, res.Month, res.Version)
		p.Log.InfoContext(ctx, "messages queued", "job", schedule.Report, "month", res.Month, "version", res.Version, "rows", q.Rows)
	case q.Skipped != "":
		fmt.Fprintf(p.Out, "delivery: nothing queued for report %s: %s\n", res.Month, q.Skipped)
	}
	return q.Rows, nil
}

// Reminder tells each ward what it still owes this month: the submissions
// due by the month's end with no accepted file, from the published snapshot
// (the run's rows), printed, and queued in the outbox for the ward's
// contacts and the webhooks, then sent.
func (p *Pipeline) Reminder(ctx context.Context, r schedule.Run) error {
	queued := 0
	err := p.record(ctx, r, func(ctx context.Context) (int64, error) {
		snap, err := Fresh(ctx, p.Snap)
		if err != nil {
			return 0, err
		}
		defer snap.Close()
		at := r.Scheduled
		if at.IsZero() {
			at = p.Now()
		}
		at = at.In(p.Cfg.Location)
		month := config.MonthOf(at)
		missing, err := reports.Missing(ctx, snap, month.String(), month.LastDay().Time)
		if err != nil {
			return 0, err
		}
		for _, m := range missing {
			fmt.Fprintf(p.Out, "reminder: %s has not sent %s, due %s\n", m.Ward, m.Dataset, m.Due.Format("02/01/2006"))
			p.Log.InfoContext(ctx, "submission missing", "job", schedule.Reminder, "ward", m.Ward, "dataset", m.Dataset, "month", month.String(), "due", m.Due.Format(time.DateOnly))
		}
		if !p.Cfg.Delivery.Enabled() || len(missing) == 0 {
			return int64(len(missing)), nil
		}
		report := nextReport(p.Cfg, at)
		db, err := Open(ctx, p.Cfg)
		if err != nil {
			return 0, err
		}
		defer db.Close()
		q, err := deliver.EnqueueReminder(ctx, db, p.Cfg, deliver.Reminder{At: at, Missing: missing, Report: report,
			ReportMonth: schedule.MonthReported(report)}, p.Now())
		if err != nil {
			return 0, err
		}
		queued = q.Rows
		fmt.Fprintf(p.Out, "reminder: %d message(s) queued%s\n", q.Rows, map[bool]string{true: " (" + q.Skipped + ")"}[q.Skipped != ""])
		p.Log.InfoContext(ctx, "messages queued", "job", schedule.Reminder, "month", month.String(), "rows", q.Rows)
		return int64(len(missing)), nil
	})
	if err == nil && queued > 0 {
		_, err = p.Deliver(ctx, schedule.Run{Job: schedule.Deliver, Scheduled: r.Scheduled}, false)
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

// ListOutbox prints the outbox's latest messages, newest first, sending
// nothing.
func (p *Pipeline) ListOutbox(ctx context.Context) error {
	db, err := Open(ctx, p.Cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := deliver.List(ctx, db, 50)
	if err != nil {
		return err
	}
	printOutbox(p.Out, p.Cfg, rows)
	return nil
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
