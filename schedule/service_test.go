package schedule

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/hoctap/hoctap"
	"github.com/hoctap/hoctap/config"
)

// TestServiceOverThePilot runs the real scheduler on a fake clock from
// November 2020 to the end of August 2021: every run at its simulated
// instant, in order, one report per month at 07:00 city time on day 8.
func TestServiceOverThePilot(t *testing.T) {
	cfg := dailyIngest(t)
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	start, end := time.Date(2020, 11, 1, 0, 0, 0, 0, loc), time.Date(2021, 9, 1, 0, 0, 0, 0, loc)
	runs, fires := runService(t, cfg, start, end)
	t.Logf("%d runs", len(runs))
	if len(runs) != len(fires) {
		t.Fatalf("%d runs, want %d", len(runs), len(fires))
	}
	reports := map[string]int{}
	for i, r := range runs {
		if r.Job != fires[i].Job || !r.Scheduled.Equal(fires[i].At) {
			t.Errorf("run %d: %s at %s, want %s at %s", i, r.Job, r.Scheduled, fires[i].Job, fires[i].At)
		}
		if r.Job == Report {
			if r.Scheduled.Day() != 8 || r.Scheduled.Hour() != 7 || r.Scheduled.Minute() != 0 || r.Scheduled.Location().String() != "Asia/Ho_Chi_Minh" {
				t.Errorf("a report run at %s", r.Scheduled)
			}
			reports[MonthReported(r.Scheduled).String()]++
		}
	}
	// Ten report runs, one for each month from October 2020 (reported on 8
	// November) to July 2021 (reported on 8 August), each once.
	if len(reports) != 10 || reports["2021-07"] != 1 || reports["2020-10"] != 1 {
		t.Errorf("reports by month: %v", reports)
	}
}

// TestServiceStoppedTwoMonths: the service runs from 1 November 2020, stops
// on 15 January 2021 and starts again on 15 March. On start, January's and
// February's reports, missed on 8 February and 8 March, are due at their
// instants: January's as a catch-up, February's as the latest instant's run
// (as Airflow runs the latest interval; see ReportsDue). Then March's comes
// on 8 April at 07:00 and April's on 8 May, as scheduled. Every month of the
// pilot so far is reported once.
func TestServiceStoppedTwoMonths(t *testing.T) {
	cfg := dailyIngest(t)
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, loc) }
	reported := map[string][]Run{}
	rendered := map[config.Month]bool{}
	record := func(runs []Run) {
		for _, r := range runs {
			if r.Job == Report {
				m := MonthReported(r.Scheduled)
				reported[m.String()] = append(reported[m.String()], r)
				rendered[m] = true
			}
		}
	}
	before, _ := runService(t, cfg, at(2020, 11, 1, 0), at(2021, 1, 15, 0))
	record(before)

	restart := at(2021, 3, 15, 10)
	var catchUps []Run
	for _, d := range ReportsDue(cfg, restart, rendered) {
		catchUps = append(catchUps, Run{Job: Report, Scheduled: d.Due, CatchUp: d.CatchUp})
	}
	record(catchUps)
	after, _ := runService(t, cfg, restart, at(2021, 5, 9, 0))
	record(after)

	want := map[string]time.Time{"2020-11": at(2020, 12, 8, 7), "2020-12": at(2021, 1, 8, 7), "2021-01": at(2021, 2, 8, 7),
		"2021-02": at(2021, 3, 8, 7), "2021-03": at(2021, 4, 8, 7), "2021-04": at(2021, 5, 8, 7)}
	for month, due := range want {
		runs := reported[month]
		if len(runs) != 1 || !runs[0].Scheduled.Equal(due) {
			t.Errorf("%s: reported %v, want once, due %s", month, runs, due)
			continue
		}
		if catchUp := month == "2021-01"; runs[0].CatchUp != catchUp {
			t.Errorf("%s: catch-up %v, want %v", month, runs[0].CatchUp, catchUp)
		}
	}
	for _, r := range after {
		if r.Job == Report && r.Scheduled.Before(restart) {
			t.Errorf("the restarted service ran a report due before its start: %v", r)
		}
	}
}

// dailyIngest is the pilot's schedule with ingest daily instead of every ten
// minutes, to keep the tests short.
func dailyIngest(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Parse(hoctap.DefaultConfig, "")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Schedule.Ingest.Every = config.Duration{Duration: 24 * time.Hour}
	return cfg
}

// runService runs the real scheduler on a fake clock from start to end and
// returns its runs and the simulated calendar. The clock moves only when
// every job is waiting for its next instant and the last run has finished,
// so no run can be dropped or overlap by the test's doing: the test proves
// the calendar and the one-at-a-time rule, not the machine's speed.
func runService(t *testing.T, cfg *config.Config, start, end time.Time) ([]Run, []Fire) {
	t.Helper()
	clock := clockwork.NewFakeClockAt(start)
	var mu sync.Mutex
	var runs []Run
	var running atomic.Int32
	done := make(chan struct{}, 1)
	sv := &Service{Cfg: cfg, Clock: clock, Task: func(ctx context.Context, r Run) error {
		if running.Add(1) != 1 {
			t.Errorf("%s at %s overlaps another run", r.Job, r.Scheduled)
		}
		mu.Lock()
		runs = append(runs, r)
		mu.Unlock()
		running.Add(-1)
		done <- struct{}{}
		return nil
	}}
	if err := sv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer sv.Stop()

	jobs := len(Jobs(cfg))
	fires, err := Simulate(cfg, start, end)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, f := range fires {
		// Every job has armed its timer: the clock may move.
		if err := clock.BlockUntilContext(ctx, jobs); err != nil {
			t.Fatalf("waiting for the jobs' timers before %s %s: %v", f.Job, f.At, err)
		}
		clock.Advance(f.At.Sub(clock.Now()))
		select {
		case <-done:
		case <-ctx.Done():
			t.Fatalf("%s due at %s did not run", f.Job, f.At)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	return runs, fires
}

// TestServiceRetries: a report that fails twice with a transient error runs a
// third time, 30 s and then 60 s later (schedule.retry: 3 attempts, 30 s
// back-off); an error that is not transient is not tried again.
func TestServiceRetries(t *testing.T) {
	cfg, err := config.Parse(hoctap.DefaultConfig, "")
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	start := time.Date(2021, 4, 7, 23, 59, 0, 0, loc)
	clock := clockwork.NewFakeClockAt(start)
	busy := errors.New("the database is in use")
	var mu sync.Mutex
	var tries []time.Time
	var failures []error
	done := make(chan struct{}, 8)
	sv := &Service{Cfg: cfg, Clock: clock,
		Transient: func(err error) bool { return errors.Is(err, busy) },
		Errors: func(r Run, err error) {
			mu.Lock()
			failures = append(failures, err)
			mu.Unlock()
		},
		Task: func(ctx context.Context, r Run) error {
			if r.Job != Report {
				return errors.New("not transient")
			}
			mu.Lock()
			tries = append(tries, clock.Now())
			n := len(tries)
			mu.Unlock()
			done <- struct{}{}
			if n < 3 {
				return busy
			}
			return nil
		}}
	if err := sv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer sv.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	jobs := len(Jobs(cfg))
	if err := clock.BlockUntilContext(ctx, jobs); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Date(2021, 4, 8, 7, 0, 0, 0, loc).Sub(clock.Now()))
	for _, wait := range []time.Duration{30 * time.Second, 60 * time.Second} {
		<-done
		// The report's next timer and the back-off are both waiting.
		if err := clock.BlockUntilContext(ctx, jobs+1); err != nil {
			t.Fatal(err)
		}
		clock.Advance(wait)
	}
	<-done
	mu.Lock()
	defer mu.Unlock()
	want := []time.Time{time.Date(2021, 4, 8, 7, 0, 0, 0, loc), time.Date(2021, 4, 8, 7, 0, 30, 0, loc), time.Date(2021, 4, 8, 7, 1, 30, 0, loc)}
	if len(tries) != 3 {
		t.Fatalf("%d tries, want 3: %v", len(tries), tries)
	}
	for i := range want {
		if !tries[i].Equal(want[i]) {
			t.Errorf("try %d at %s, want %s", i+1, tries[i], want[i])
		}
	}
	// The other jobs fired on the way to 07:00 and failed for good: once
	// each, never again.
	var retried []string
	for _, f := range failures {
		switch {
		case strings.Contains(f.Error(), "attempt"):
			retried = append(retried, f.Error())
		case f.Error() != "not transient":
			t.Errorf("failure %v", f)
		}
	}
	if len(retried) != 2 || retried[0] != "attempt 1 of 3, again in 30s: the database is in use" || retried[1] != "attempt 2 of 3, again in 1m0s: the database is in use" {
		t.Errorf("retries reported: %q", retried)
	}
}
