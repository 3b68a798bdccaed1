// Package schedule owns when the pipeline's jobs run and what they did: their
// definitions from the schedule section of pipeline.yaml, in the city's time
// zone, as gocron jobs; a simulation of that calendar on a fake clock, which
// operators use to check a schedule and tests use to prove it; and the run
// history in the job_runs table.
package schedule

import (
	"fmt"
	"sort"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jonboulle/clockwork"

	"github.com/hoctap/hoctap/config"
)

// Job names.
const (
	Ingest    = "ingest"
	Transform = "transform"
	Report    = "report"
	Reminder  = "reminder"
	Backup    = "backup"
	// Deliver sends the outbox's messages that are due: it looks every
	// schedule.deliver.every, when delivery is configured, and runs after
	// each report and reminder.
	Deliver = "deliver"
)

// Job is one timed job of the pipeline. Transform is not one: it runs after
// an ingest that loaded something.
type Job struct {
	Name string
	What string // when it runs, in words
	Def  gocron.JobDefinition
}

func enabled(b *bool) bool { return b == nil || *b }

// Jobs are the timed jobs cfg enables, in a fixed order.
func Jobs(cfg *config.Config) []Job {
	s := cfg.Schedule
	var jobs []Job
	if enabled(s.Ingest.Enabled) && s.Ingest.Every.Duration > 0 {
		jobs = append(jobs, Job{Ingest, fmt.Sprintf("every %s", s.Ingest.Every.Duration), gocron.DurationJob(s.Ingest.Every.Duration)})
	}
	monthly := func(name string, m config.MonthlyJob, what string) {
		if enabled(m.Enabled) && m.Day > 0 {
			jobs = append(jobs, Job{name, fmt.Sprintf("day %d of each month at %s: %s", m.Day, m.At, what),
				gocron.MonthlyJob(1, gocron.NewDaysOfTheMonth(m.Day), gocron.NewAtTimes(gocron.NewAtTime(uint(m.At.Hour), uint(m.At.Minute), 0)))})
		}
	}
	monthly(Report, s.Report, "the report of the month just ended")
	monthly(Reminder, s.Reminder, "the wards that have not sent this month's data")
	if enabled(s.Backup.Enabled) && !s.Backup.At.IsZero() {
		jobs = append(jobs, Job{Backup, fmt.Sprintf("daily at %s, keeping %d", s.Backup.At, s.Backup.Keep),
			gocron.DailyJob(1, gocron.NewAtTimes(gocron.NewAtTime(uint(s.Backup.At.Hour), uint(s.Backup.At.Minute), 0)))})
	}
	if enabled(s.Deliver.Enabled) && s.Deliver.Every.Duration > 0 && cfg.Delivery.Enabled() {
		jobs = append(jobs, Job{Deliver, fmt.Sprintf("every %s, the messages of the outbox that are due", s.Deliver.Every.Duration), gocron.DurationJob(s.Deliver.Every.Duration)})
	}
	return jobs
}

// Frequent reports whether job runs every few minutes: such runs are
// counted, not listed, in a simulated calendar, and one due while the last
// still runs is skipped.
func Frequent(job string) bool { return job == Ingest || job == Deliver }

// Fire is one instant a job would start.
type Fire struct {
	Job string
	At  time.Time // in the city's time zone
}

// Simulate lists every instant in [from, to) at which the jobs would fire,
// in order, computed by gocron itself on a fake clock set at from, in the
// city's time zone.
func Simulate(cfg *config.Config, from, to time.Time) ([]Fire, error) {
	loc, err := time.LoadLocation(cfg.City.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("schedule: %w", err)
	}
	if !from.Before(to) {
		return nil, fmt.Errorf("schedule: simulate %s..%s: the end must be after the start", from.Format(time.DateTime), to.Format(time.DateTime))
	}
	s, err := gocron.NewScheduler(gocron.WithLocation(loc), gocron.WithClock(clockwork.NewFakeClockAt(from.In(loc))))
	if err != nil {
		return nil, fmt.Errorf("schedule: %w", err)
	}
	defer s.Shutdown()
	jobs := Jobs(cfg)
	handles := make([]gocron.Job, len(jobs))
	for i, j := range jobs {
		if handles[i], err = s.NewJob(j.Def, gocron.NewTask(func() {}), gocron.WithName(j.Name)); err != nil {
			return nil, fmt.Errorf("schedule: job %s: %w", j.Name, err)
		}
	}
	s.Start()
	var fires []Fire
	for i, h := range handles {
		// NextRuns computes each run from the one before: ask for more until
		// the last is past the end.
		for n := 64; ; n *= 2 {
			runs, err := h.NextRuns(n)
			if err != nil {
				return nil, fmt.Errorf("schedule: job %s: %w", jobs[i].Name, err)
			}
			if len(runs) < n || !runs[len(runs)-1].Before(to) {
				for _, r := range runs {
					if !r.Before(from) && r.Before(to) {
						fires = append(fires, Fire{jobs[i].Name, r.In(loc)})
					}
				}
				break
			}
		}
	}
	sort.SliceStable(fires, func(a, b int) bool { return fires[a].At.Before(fires[b].At) })
	return fires, nil
}
