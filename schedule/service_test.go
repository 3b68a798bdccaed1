package schedule

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/hoctap/hoctap"
	"github.com/hoctap/hoctap/config"
)

// TestServiceOverThePilot runs the real scheduler on a fake clock from
// November 2020 to the end of August 2021. The clock moves only when every
// job is waiting for its next instant and the last run has finished, so no
// run can be dropped or overlap by the test's doing: the test proves the
// calendar and the one-at-a-time rule, not the machine's speed. Ingest runs
// daily here instead of every ten minutes, to keep the test short.
func TestServiceOverThePilot(t *testing.T) {
	cfg, err := config.Parse(hoctap.DefaultConfig, "")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Schedule.Ingest.Every = config.Duration{Duration: 24 * time.Hour}
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	start, end := time.Date(2020, 11, 1, 0, 0, 0, 0, loc), time.Date(2021, 9, 1, 0, 0, 0, 0, loc)
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
			if r.Scheduled.Day() != 1 || r.Scheduled.Hour() != 7 || r.Scheduled.Minute() != 0 || r.Scheduled.Location().String() != "Asia/Ho_Chi_Minh" {
				t.Errorf("a report run at %s", r.Scheduled)
			}
			reports[MonthReported(r.Scheduled)]++
		}
	}
	// Ten report runs, one for each month from October 2020 (reported on 1
	// November) to July 2021 (reported on 1 August), each once.
	if len(reports) != 10 || reports["2021-07"] != 1 || reports["2020-10"] != 1 {
		t.Errorf("reports by month: %v", reports)
	}
}
