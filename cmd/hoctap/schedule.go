package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/schedule"
)

func runSchedule(_ context.Context, e *env, cmd *command, args []string) error {
	fs, cfgPath := flags(cmd, e)
	simulate := fs.String("simulate", "", "FROM..TO: days (YYYY-MM-DD) or months (YYYY-MM), in city time; TO is included")
	only := fs.String("job", "", "list only this job's instants (ingest, report, reminder, backup, deliver)")
	pos, err := parse(fs, cmd, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef(cmd, "unexpected argument %q", pos[0])
	}
	if *simulate == "" {
		return usagef(cmd, "--simulate FROM..TO is required (the scheduler itself is \"hoctap serve\")")
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(cfg.City.TimeZone)
	if err != nil {
		return err
	}
	a, b, ok := strings.Cut(*simulate, "..")
	from, err1 := parseInstant(a, loc, false)
	to, err2 := parseInstant(b, loc, true)
	if !ok || err1 != nil || err2 != nil || !from.Before(to) {
		return usagef(cmd, "--simulate %q: expected FROM..TO, each YYYY-MM-DD or YYYY-MM, FROM first", *simulate)
	}
	jobs := schedule.Jobs(cfg)
	known := false
	for _, j := range jobs {
		fmt.Fprintf(e.stdout, "%-9s %s\n", j.Name, j.What)
		known = known || j.Name == *only
	}
	if *only != "" && !known {
		return usagef(cmd, "--job %q: expected one of the enabled jobs above", *only)
	}
	fires, err := schedule.Simulate(cfg, from, to)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\n%s – %s (%s):\n", from.Format("2006-01-02 15:04"), to.Format("2006-01-02 15:04"), cfg.City.TimeZone)
	counts := map[string]int{}
	for _, f := range fires {
		counts[f.Job]++
		// Ingest and delivery fire every few minutes: listed only when asked for.
		if (*only == "" && !schedule.Frequent(f.Job)) || f.Job == *only {
			fmt.Fprintf(e.stdout, "%s  %s\n", f.At.Format("2006-01-02 15:04 Mon -07:00"), f.Job)
		}
	}
	fmt.Fprintln(e.stdout)
	for _, j := range jobs {
		fmt.Fprintf(e.stdout, "%-9s %d runs\n", j.Name, counts[j.Name])
	}
	return nil
}

// parseInstant reads YYYY-MM-DD or YYYY-MM in loc; an end is the instant
// after the day or month it names.
func parseInstant(s string, loc *time.Location, end bool) (time.Time, error) {
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	m, err := config.ParseMonth(s)
	if err != nil {
		return time.Time{}, err
	}
	if end {
		return m.End(loc), nil
	}
	return m.Start(loc), nil
}
