package schedule

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jonboulle/clockwork"

	"github.com/hoctap/hoctap/config"
)

// Service runs the timed jobs of a configuration with gocron, in the city's
// time zone: one job at a time across all jobs (the pipeline's database has
// one writer) and a job never twice at once. A run whose instant comes while
// another job runs waits for it; an ingest whose instant comes while the last
// ingest still runs is skipped.
type Service struct {
	Cfg *config.Config
	// Clock is the scheduler's clock; nil is the real one. Tests pass a
	// clockwork fake clock.
	Clock clockwork.Clock
	// Task runs one run of a job and returns when it is done. Its error is
	// the run's; it does not stop the service.
	Task func(ctx context.Context, r Run) error
	// Errors receives each failed run's error, when set.
	Errors func(r Run, err error)
	// Transient tells the errors worth another try (the database held by
	// another process, say): such a run is tried again up to
	// schedule.retry.attempts times in all, after schedule.retry.backoff,
	// then twice that, and so on. Nil: no error is.
	Transient func(error) bool

	mu sync.Mutex // guards s, which RunNow reads from other goroutines
	s  gocron.Scheduler
}

// Start schedules the jobs and starts the clock running them. ctx is the
// context every task gets: cancel it to ask a running task to stop early.
func (sv *Service) Start(ctx context.Context) error {
	loc, err := time.LoadLocation(sv.Cfg.City.TimeZone)
	if err != nil {
		return fmt.Errorf("schedule: %w", err)
	}
	clock := sv.Clock
	if clock == nil {
		clock = clockwork.NewRealClock()
	}
	grace := sv.Cfg.Schedule.ShutdownGrace.Duration
	if grace <= 0 {
		grace = 2 * time.Minute
	}
	s, err := gocron.NewScheduler(gocron.WithLocation(loc), gocron.WithClock(clock),
		gocron.WithLimitConcurrentJobs(1, gocron.LimitModeWait), gocron.WithStopTimeout(grace))
	if err != nil {
		return fmt.Errorf("schedule: %w", err)
	}
	for _, j := range Jobs(sv.Cfg) {
		name := j.Name
		task := func() {
			r := Run{Job: name, Scheduled: clock.Now().In(loc).Truncate(time.Minute)}
			if err := sv.try(ctx, clock, r); err != nil && sv.Errors != nil {
				sv.Errors(r, err)
			}
		}
		// An ingest due while the last still runs is skipped: the next one
		// reads the same inbox (and a delivery, the same outbox). Any other
		// run waits its turn, never dropped.
		var mode gocron.LimitMode = gocron.LimitModeWait
		if Frequent(name) {
			mode = gocron.LimitModeReschedule
		}
		if _, err := s.NewJob(j.Def, gocron.NewTask(task), gocron.WithName(name), gocron.WithSingletonMode(mode)); err != nil {
			s.Shutdown()
			return fmt.Errorf("schedule: job %s: %w", name, err)
		}
	}
	sv.mu.Lock()
	sv.s = s
	sv.mu.Unlock()
	s.Start()
	return nil
}

// try runs r, again after a back-off while it fails with a transient error
// and attempts remain.
func (sv *Service) try(ctx context.Context, clock clockwork.Clock, r Run) error {
	attempts, wait := max(sv.Cfg.Schedule.Retry.Attempts, 1), sv.Cfg.Schedule.Retry.Backoff.Duration
	for i := 1; ; i++ {
		err := sv.Task(ctx, r)
		if err == nil || i >= attempts || sv.Transient == nil || !sv.Transient(err) {
			return err
		}
		if sv.Errors != nil {
			sv.Errors(r, fmt.Errorf("attempt %d of %d, again in %s: %w", i, attempts, wait, err))
		}
		select {
		case <-clock.After(wait):
		case <-ctx.Done():
			return err
		}
		wait *= 2
	}
}

// ErrNotStarted is a run asked for before the schedule runs.
var ErrNotStarted = errors.New("bộ lập lịch chưa chạy, xin thử lại sau ít phút — the scheduler has not started yet (the reports due at start come first): try again in a few minutes")

// RunNow runs job once now, besides its schedule and in turn with the
// others (an ingest asked for while one runs is dropped: that one reads the
// same inbox).
func (sv *Service) RunNow(job string) error {
	sv.mu.Lock()
	s := sv.s
	sv.mu.Unlock()
	if s == nil {
		return ErrNotStarted
	}
	for _, j := range s.Jobs() {
		if j.Name() == job {
			return j.RunNow()
		}
	}
	return fmt.Errorf("schedule: no job %q", job)
}

// Stop waits for the running job, at most schedule.shutdown_grace, and stops.
func (sv *Service) Stop() error {
	sv.mu.Lock()
	s := sv.s
	sv.mu.Unlock()
	if s == nil {
		return nil
	}
	return s.Shutdown()
}

// MonthReported is the month a report run at instant at reports on: the month
// before at's, in at's time zone.
func MonthReported(at time.Time) config.Month { return config.MonthOf(at).Prev() }
