package schedule

import (
	"time"

	"github.com/hoctap/hoctap/config"
)

// ReportDue is a monthly report that should exist: the month it reports on and
// the instant the schedule makes it due (the report day of the next month, in
// the city's time zone).
type ReportDue struct {
	Month   string // YYYY-MM
	Due     time.Time
	CatchUp bool // its instant passed before the latest one: it was missed
}

// ReportsDue lists the programme's months whose report is due by now and not
// in rendered (months, YYYY-MM, that have a report), oldest first; all but
// the latest instant's are catch-ups, as Airflow's and Dagster's are.
func ReportsDue(cfg *config.Config, now time.Time, rendered map[string]bool) []ReportDue {
	loc, err := time.LoadLocation(cfg.City.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	now = now.In(loc)
	day, at := cfg.Schedule.Report.Day, cfg.Schedule.Report.At
	if day <= 0 {
		day = 1
	}
	var out []ReportDue
	var latest time.Time
	start, end := cfg.Programme.Start.Month().Time, cfg.Programme.End.Month().Time
	for m := start; !m.After(end); m = m.AddDate(0, 1, 0) {
		next := m.AddDate(0, 1, 0)
		due := time.Date(next.Year(), next.Month(), day, at.Hour, at.Minute, 0, 0, loc)
		if due.After(now) {
			break
		}
		latest = due
		if !rendered[m.Format("2006-01")] {
			out = append(out, ReportDue{Month: m.Format("2006-01"), Due: due})
		}
	}
	for i := range out {
		out[i].CatchUp = out[i].Due.Before(latest)
	}
	return out
}
