package transform

import (
	"context"
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/store"
)

//go:embed config_tables.sql
var configDDL string

// insertBatch is the most rows one INSERT of loadConfig carries.
const insertBatch = 500

// loadConfig remakes the cfg_* tables from cfg, in one transaction.
func loadConfig(ctx context.Context, tx *store.Tx, cfg *config.Config) error {
	for _, stmt := range store.Statements(configDDL) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("config tables: %w", err)
		}
	}
	// Rows go in batches of one INSERT each: a statement per row took 1.2 s
	// for a province's thousands of expected submissions.
	ins := func(table string, rows ...[]any) error {
		if len(rows) == 0 {
			return nil
		}
		tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(rows[0])), ", ") + ")"
		for len(rows) > 0 {
			n := min(len(rows), insertBatch)
			q := fmt.Sprintf("INSERT INTO %s VALUES %s", table, strings.TrimSuffix(strings.Repeat(tuple+", ", n), ", "))
			args := make([]any, 0, n*len(rows[0]))
			for _, r := range rows[:n] {
				args = append(args, r...)
			}
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("config tables: %s: %w", table, err)
			}
			rows = rows[n:]
		}
		return nil
	}
	date := func(d config.Date) any {
		if d.IsZero() {
			return nil
		}
		return d.Time
	}
	p := cfg.Programme
	var rows [][]any
	add := func(r ...any) { rows = append(rows, r) }
	flush := func(table string) error {
		err := ins(table, rows...)
		rows = rows[:0]
		return err
	}

	add(cfg.City.Name, cfg.City.Province, cfg.City.Organisation, p.Name, date(p.Start), date(p.End), cfg.City.TimeZone)
	if err := flush("cfg_programme"); err != nil {
		return err
	}
	for i, m := range config.Months(p.Start.Month(), p.End.Month()) {
		add(m.String(), m.Time, m.LastDay().Time, i+1)
	}
	if err := flush("cfg_months"); err != nil {
		return err
	}
	for i, w := range cfg.Wards {
		pop := w.Population
		add(w.Code, w.Name, w.Kind, w.NameEN, pop.Total, pop.Adults, pop.Year, pop.Source, i+1)
	}
	if err := flush("cfg_wards"); err != nil {
		return err
	}
	for _, u := range cfg.Units {
		add(u.Code, u.Name, u.Type, u.Ward, u.Members)
	}
	if err := flush("cfg_units"); err != nil {
		return err
	}
	for _, g := range cfg.Groups {
		add(g.ID, g.Code, g.Name, g.NameEN)
	}
	if err := flush("cfg_target_groups"); err != nil {
		return err
	}
	for i, r := range cfg.Rounds {
		add(r.Code, r.Name, r.NameEN, i+1)
	}
	if err := flush("cfg_rounds"); err != nil {
		return err
	}
	f := cfg.Citizen
	add(f.Name, f.Source, f.IndicatorMax, f.PassTotal, f.MinPerIndicator, f.ScoreStep, f.ScoreBasis, f.DigitalIndicator, f.DigitalMin, len(f.Indicators))
	if err := flush("cfg_framework"); err != nil {
		return err
	}
	for i, c := range f.Criteria {
		add(c.Code, c.Name, c.NameEN, i+1)
	}
	if err := flush("cfg_criteria"); err != nil {
		return err
	}
	for _, ind := range f.Indicators {
		add(ind.Number, ind.Criterion, ind.Name, ind.NameEN)
	}
	if err := flush("cfg_indicators"); err != nil {
		return err
	}
	for _, ind := range f.Indicators {
		ids := make([]int, 0, len(ind.Wording))
		for id := range ind.Wording {
			ids = append(ids, id)
		}
		sort.Ints(ids)
		for _, id := range ids {
			add(ind.Number, id, ind.Wording[id])
		}
	}
	if err := flush("cfg_indicator_wording"); err != nil {
		return err
	}
	s := cfg.UnitScheme
	recognisedMin, maxTotal := 0.0, 0.0
	for _, g := range s.Grades {
		if g.Code == s.RecognisedFrom {
			recognisedMin = g.Min
		}
	}
	for _, c := range s.Criteria {
		maxTotal += c.Max
	}
	var assessedFrom any
	if d := cfg.Recognition.UnitAssessedFrom; !d.IsZero() {
		assessedFrom = d.Time
	}
	add(s.Scheme, s.Name, s.Source, s.RecognisedFrom, recognisedMin, s.MemberTitleShare, s.MemberTitleShareSource, maxTotal, assessedFrom)
	if err := flush("cfg_unit_scheme"); err != nil {
		return err
	}
	for i, c := range s.Criteria {
		add(c.Code, c.Name, c.NameEN, c.Max, i+1)
	}
	if err := flush("cfg_unit_criteria"); err != nil {
		return err
	}
	for i, it := range s.Items {
		add(it.Code, it.Criterion, it.Name, it.NameEN, it.Max, i+1)
	}
	if err := flush("cfg_unit_items"); err != nil {
		return err
	}
	for i, g := range s.Grades {
		add(g.Code, g.Name, g.NameEN, g.Min, i+1)
	}
	if err := flush("cfg_unit_grades"); err != nil {
		return err
	}
	for _, m := range config.Metrics {
		add(m.Name, listLiteral(m.Denominators), m.Description)
	}
	if err := flush("cfg_metrics"); err != nil {
		return err
	}
	for i, g := range cfg.Goals {
		rule := cfg.GoalStatus
		if g.Status != nil {
			rule = *g.Status
			if rule.TrendMonths == 0 {
				rule.TrendMonths = cfg.GoalStatus.TrendMonths
			}
		}
		add(g.ID, g.Name, g.NameEN, g.Metric, g.Denominator, g.Target, g.Deadline.String(), g.Path, g.Baseline,
			g.Source, g.Uncertain, rule.AtRiskMargin, rule.TrendMonths, listLiteral(g.UNESCO), i+1, sourceDate(g.SourceDate), g.Scope, g.ScopeEN)
	}
	if err := flush("cfg_goals"); err != nil {
		return err
	}
	for _, g := range cfg.Goals {
		months := make([]config.Month, 0, len(g.Points))
		for m := range g.Points {
			months = append(months, m)
		}
		sort.Slice(months, func(i, j int) bool { return months[i].Before(months[j]) })
		for _, m := range months {
			add(g.ID, m.String(), g.Points[m])
		}
	}
	if err := flush("cfg_goal_points"); err != nil {
		return err
	}
	areas := make([]string, 0, len(config.UNESCOAreas))
	for a := range config.UNESCOAreas {
		areas = append(areas, a)
	}
	sort.Strings(areas)
	for _, a := range areas {
		add(a, config.UNESCOAreas[a])
	}
	if err := flush("cfg_unesco_areas"); err != nil {
		return err
	}
	for i, ph := range cfg.Timeline.Phases {
		add(ph.ID, ph.Name, ph.NameEN, date(ph.Start), date(ph.End), i+1)
	}
	if err := flush("cfg_phases"); err != nil {
		return err
	}
	for i, m := range cfg.Timeline.Milestones {
		d := m.DoneWhen
		add(m.ID, m.Name, m.NameEN, m.Phase, date(m.Due), d.Kind, d.Round, config.NFC(d.Activity), d.Count, d.Share, i+1)
	}
	if err := flush("cfg_milestones"); err != nil {
		return err
	}
	for _, sub := range cfg.Submissions {
		wards := sub.Wards
		if len(wards) == 0 {
			for _, w := range cfg.Wards {
				wards = append(wards, w.Code)
			}
		}
		for _, w := range wards {
			if sub.Monthly {
				for _, m := range config.Months(sub.From, sub.To) {
					n := m.Next()
					add(w, sub.Dataset, nil, m.String(), time.Date(n.Year(), n.Month(), sub.DueDay, 0, 0, 0, 0, time.UTC), true)
				}
				continue
			}
			var round any
			if sub.Round != "" {
				round = sub.Round
			}
			add(w, sub.Dataset, round, round, date(sub.Due), false)
		}
	}
	return flush("cfg_submissions")
}

// listLiteral passes a list of strings as a DuckDB list value.
func listLiteral(xs []string) any {
	if xs == nil {
		return []string{}
	}
	return xs
}

// sourceDate is a goal's source date for its table: NULL when not given.
func sourceDate(d config.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.Time
}
