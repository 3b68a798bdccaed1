package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/hoctap/hoctap"
	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/geo"
)

// loadConfig reads the configuration a command was given.
func loadConfig(path string) (*config.Config, error) {
	cfg, err := config.LoadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, dataf("không tìm thấy %s — %s not found: run in a workspace folder, pass --config, or create one with \"hoctap init D\"", path, path)
	}
	return cfg, err
}

func runCheck(_ context.Context, e *env, cmd *command, args []string) error {
	fs, cfgPath := flags(cmd, e)
	cfg, err := configFor(cmd, fs, cfgPath, args)
	if err != nil {
		return err
	}
	reg, err := loadRegister(cfg)
	if err != nil {
		return dataf("%v", err)
	}
	fmt.Fprintf(e.stdout, "%s: ok\n", *cfgPath)
	describe(e.stdout, cfg)
	if reg != nil {
		describeRegister(e.stdout, cfg, reg, e.now())
	}
	return nil
}

// describeRegister says what the register holds and where each ward is on
// today's map.
func describeRegister(w io.Writer, cfg *config.Config, reg *geo.Register, now time.Time) {
	levels := map[geo.Level]int{}
	for _, u := range reg.Units {
		levels[u.Level()]++
	}
	fmt.Fprintf(w, "  %-12s %d entries (%d provinces, %d districts, %d communes), %d crosswalk lines, version %s\n", "register",
		len(reg.Units), levels[geo.Province], levels[geo.District], levels[geo.Commune], len(reg.Links), reg.Version)
	today := config.DateOf(now.In(cfg.Location))
	for _, wd := range cfg.Wards {
		fmt.Fprintf(w, "  %-12s %s %s (%s): %s\n", "", wd.Kind, wd.Name, wd.OfficialCode, reg.Describe(wd.OfficialCode, cfg.Programme.Start, today))
	}
}

// describe prints a configuration's sections in a few lines.
func describe(w io.Writer, c *config.Config) {
	row := func(k, format string, args ...any) { fmt.Fprintf(w, "  %-12s %s\n", k, fmt.Sprintf(format, args...)) }
	row("city", "%s %s (%s), %s, %s", c.City.Kind, c.City.Name, c.City.Province, c.City.TimeZone, c.City.Language)
	row("programme", "%s → %s (%d months)", c.Programme.Start, c.Programme.End, len(config.Months(c.Programme.Start.Month(), c.Programme.End.Month())))
	wards := make([]string, len(c.Wards))
	for i, wd := range c.Wards {
		wards[i] = fmt.Sprintf("%s %s", wd.Kind, wd.Name)
	}
	row("wards", "%d: %s", len(c.Wards), strings.Join(wards, ", "))
	row("units", "%d", len(c.Units))
	row("groups", "%d target groups, %d survey rounds", len(c.Groups), len(c.Rounds))
	f := c.Citizen
	row("citizen", "%s: %d criteria, %d indicators of 0–%v; title at total ≥ %v with every indicator ≥ %v; score that counts: %s",
		f.Name, len(f.Criteria), len(f.Indicators), f.IndicatorMax, f.PassTotal, f.MinPerIndicator, f.ScoreBasis)
	grades := make([]string, len(c.UnitScheme.Grades))
	for i, g := range c.UnitScheme.Grades {
		grades[i] = fmt.Sprintf("%s ≥ %v", g.Name, g.Min)
	}
	row("unit", "%s (%s): %d items; %s", c.UnitScheme.Name, c.UnitScheme.Source, len(c.UnitScheme.Items), strings.Join(grades, ", "))
	for _, f := range c.Frameworks {
		var vs []string
		for _, v := range f.Versions {
			vs = append(vs, fmt.Sprintf("%s from %s (%d criteria, pass at %v of %v)", v.Source, v.ValidFrom, len(v.Criteria), v.Pass.MinTotal, v.MaxTotal()))
		}
		n := 0
		for _, h := range f.Population {
			n += h.Count
		}
		row(f.Code, "%s, held by a %s, %d in the wards' population; %s", f.Name, f.Holder, n, strings.Join(vs, "; "))
	}
	row("goals", "%d (metrics: %d known)", len(c.Goals), len(config.Metrics))
	row("timeline", "%d phases, %d milestones", len(c.Timeline.Phases), len(c.Timeline.Milestones))
	row("submissions", "%d lines", len(c.Submissions))
	row("database", "%s (threads %d, memory %s)", c.Paths.Database, c.Database.Threads, c.Database.MemoryLimit)
	row("snapshot", "%s", c.Paths.Snapshot)
	row("inbox", "%s", c.Paths.Inbox)
	row("reports", "%s", c.Paths.Reports)
	row("schedule", "ingest every %s; report on day %d at %s; reminder on day %d at %s; backup at %s",
		c.Schedule.Ingest.Every, c.Schedule.Report.Day, c.Schedule.Report.At, c.Schedule.Reminder.Day, c.Schedule.Reminder.At, c.Schedule.Backup.At)
	auth := "no authentication"
	if c.Server.Auth.Enabled() {
		auth = "authentication configured"
	}
	row("server", "%s, %s", c.Server.Listen, auth)
	if d := c.Delivery; d.Enabled() {
		row("delivery", "%d committee, %d ward contacts, %d webhooks; mail through %s:%d (%s), links to %s",
			len(d.Committee), len(d.Wards), len(d.Webhooks), d.SMTP.Host, d.SMTP.Port, d.SMTP.Security, d.PublicURL)
	} else {
		row("delivery", "no one to deliver to")
	}
}

// loadRegister loads the register of administrative units cfg names: from
// the binary for the embedded default configuration, else beside its
// pipeline.yaml.
func loadRegister(cfg *config.Config) (*geo.Register, error) {
	if cfg.File == "" {
		return geo.LoadFrom(cfg, hoctap.Register)
	}
	return geo.Load(cfg)
}

// baseConfig loads the configuration at path, or the embedded default (the Sa
// Đéc pilot) when the default path does not exist.
func baseConfig(path string) (*config.Config, error) {
	cfg, err := config.LoadFile(path)
	if errors.Is(err, fs.ErrNotExist) && path == "pipeline.yaml" {
		return config.Parse(hoctap.DefaultConfig, "")
	}
	return cfg, err
}
