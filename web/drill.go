package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/reports"
	"github.com/hoctap/hoctap/store"
)

// The drill-down: the city's wards (/wards), a ward (/wards/{ward}), a unit
// (/units/{unit}) and a person (/people/{id}), each at the end of the month
// picked, with the figures the report counts (progress_monthly,
// unit_status_monthly, citizen_status_monthly), filtered by target group.
// A ward login reads its wards' snapshot, so that it can reach nothing of
// another ward here either; asking for another ward's page is a 404, as for
// a ward that does not exist.

// figures is a row of progress: the city's (Ward "") or a ward's.
type figures struct {
	Ward            string   `db:"ward"`
	Registered      int64    `db:"registered"`
	Assessed        int64    `db:"assessed"`
	Recognised      int64    `db:"recognised"`
	NotYet          int64    `db:"not_yet"`
	Rate            *float64 `db:"rate_of_registered"`
	Adults          *int64   `db:"population_adults"`
	RateOfAdults    *float64 `db:"rate_of_population"`
	Units           int64    `db:"units"`
	UnitsRecognised int64    `db:"units_recognised"`
}

// person is a registrant's standing at the end of a month.
type person struct {
	ID         string     `db:"citizen_id"`
	Name       string     `db:"full_name"`
	Ward       string     `db:"ward"`
	Group      int        `db:"group_id"`
	Unit       string     `db:"unit_code"`
	Status     string     `db:"status"`
	Round      string     `db:"round"`
	AssessedOn *time.Time `db:"assessed_on"`
	Total      string     `db:"total"`
	Reviewed   bool       `db:"reviewed"`
	FirstMonth string     `db:"first_recognised_month"`
	Below      texts      `db:"below"`
	ShortBy    string     `db:"short_by"`
	Close      bool       `db:"close"`
}

// unitRow is a unit's standing at the end of a month.
type unitRow struct {
	Code         string     `db:"unit_code"`
	Name         string     `db:"name"`
	Type         string     `db:"unit_type"`
	Ward         string     `db:"ward"`
	Members      int64      `db:"members"`
	AssessedOn   *time.Time `db:"assessed_on"`
	Total        *string    `db:"total"`
	Grade        string     `db:"grade"`
	GradeName    string     `db:"grade_name"`
	GradeNameEN  string     `db:"grade_name_en"`
	Recognised   bool       `db:"recognised"`
	Registrants  int64      `db:"registrants"`
	TitleHolders int64      `db:"title_holders"`
	TitleShare   *float64   `db:"title_share"`
	MemberShare  bool       `db:"meets_member_share"`
}

// drillView is what the drill-down pages share: the month and group picked.
type drillView struct {
	Month  string
	Months []string
	Group  int
	Action string // the page the pick form submits to
	Err    string
	City   *figures  // the city's row (the committee's /wards)
	Wards  []figures // the wards' rows
	Ward   string
	Units  []unitRow
	People []person
	Close  []person
	// Submissions are the ward's submissions due by the month's end.
	Submissions []submissionRow
	Quarant     []quarantined
	Missing     []reports.Submission // on a ward login's home page
	Home        bool
	// WardPick shows the ward filter: picking a ward goes to its page.
	WardPick bool
}

type submissionRow struct {
	Dataset  string     `db:"dataset"`
	Round    string     `db:"round"`
	Period   string     `db:"period"`
	Due      time.Time  `db:"due"`
	Status   string     `db:"status"`
	Accepted *time.Time `db:"first_accepted_at"`
	Files    int64      `db:"files"`
	Refused  int64      `db:"refused_files"`
}

// pick reads the month and group of a drill-down page.
func (a *App) pick(r *http.Request, action string) *drillView {
	ms, _ := reports.Manifests(a.cfg.Paths.Reports)
	v := &drillView{Months: a.months(), Month: a.month(r, ms), Action: action}
	if g, err := strconv.Atoi(r.URL.Query().Get("group")); err == nil {
		for _, tg := range a.cfg.Groups {
			if tg.ID == g {
				v.Group = g
			}
		}
	}
	return v
}

// wardsOf reads the figures of the month and group: the city's row (on the
// full snapshot) and each ward's.
func (a *App) wardsOf(ctx context.Context, db *store.DB, v *drillView) error {
	var rows []figures
	if err := a.sel(ctx, db, &rows, "wards", v.Month, v.Group); err != nil {
		return err
	}
	for i := range rows {
		if rows[i].Ward == "" {
			v.City = &rows[i]
			continue
		}
		v.Wards = append(v.Wards, rows[i])
	}
	return nil
}

// wardsPage is the city level: each ward's figures, the city's on top.
func (a *App) wardsPage(w http.ResponseWriter, r *http.Request) {
	v := a.pick(r, "/wards")
	if ward := r.URL.Query().Get("ward"); ward != "" {
		// The ward filter: that ward's page, for the same month and group.
		if _, ok := a.cfg.Ward(ward); ok && a.scopeOf(r.Context()).has(ward) {
			http.Redirect(w, r, "/wards/"+url.PathEscape(ward)+"?"+url.Values{"month": {v.Month}, "group": {strconv.Itoa(v.Group)}}.Encode(), http.StatusSeeOther)
			return
		}
		a.fail(w, r, http.StatusNotFound, errNotFound)
		return
	}
	v.WardPick = true
	p := a.newPage(w, r, "wards", "Xã, phường", "Wards", v)
	var err error
	v.Err, err = a.read(r.Context(), func(db *store.DB) error { return a.wardsOf(r.Context(), db, v) })
	if err != nil {
		a.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	a.render(w, http.StatusOK, "wards", p)
}

// wardHome is a ward login's home page: its wards' figures and the
// submissions still missing, as the committee's home shows the city's.
func (a *App) wardHome(w http.ResponseWriter, r *http.Request) {
	v := a.pick(r, "/")
	v.Home = true
	p := a.newPage(w, r, "home", "Tổng quan", "Overview", v)
	ctx := r.Context()
	var err error
	v.Err, err = a.read(ctx, func(db *store.DB) error {
		if err := a.wardsOf(ctx, db, v); err != nil {
			return err
		}
		v.Missing, err = reports.Missing(ctx, db, v.Month, a.missingBy(v.Month))
		return err
	})
	if err != nil {
		a.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	a.render(w, http.StatusOK, "wards", p)
}

// missingBy is the day up to which a month's missing submissions are
// counted: its last day, or today within it.
func (a *App) missingBy(month string) time.Time {
	m, _ := config.ParseMonth(month) // a month of the programme (App.month)
	by := m.LastDay()
	if today := config.DateOf(a.opt.Now().In(a.loc)); today.Before(by.Time) {
		by = today
	}
	return by.Time
}

// wardPage is a ward: its figures, units, people (those close to the title
// first), submissions and refused files' receipts.
func (a *App) wardPage(w http.ResponseWriter, r *http.Request) {
	ward := r.PathValue("ward")
	if _, ok := a.cfg.Ward(ward); !ok || !a.scopeOf(r.Context()).has(ward) {
		a.fail(w, r, http.StatusNotFound, errNotFound)
		return
	}
	v := a.pick(r, "/wards")
	v.Ward, v.WardPick = ward, true
	p := a.newPage(w, r, "wards", "", "", v)
	p.Title = p.Ward(ward)
	ctx := r.Context()
	var err error
	v.Err, err = a.read(ctx, func(db *store.DB) error {
		if err := a.wardsOf(ctx, db, v); err != nil {
			return err
		}
		v.City = nil
		v.Wards = slices.DeleteFunc(v.Wards, func(f figures) bool { return f.Ward != ward })
		if v.Group == 0 {
			if err := a.sel(ctx, db, &v.Units, "ward_units", v.Month, ward); err != nil {
				return err
			}
		}
		if err := a.people(ctx, db, v, ward, ""); err != nil {
			return err
		}
		if err := a.sel(ctx, db, &v.Submissions, "ward_submissions", v.Month, ward); err != nil {
			return err
		}
		q, err := a.quarantine(ctx, db)
		v.Quarant = slices.DeleteFunc(q, func(f quarantined) bool { return f.Ward != ward })
		return err
	})
	if err != nil {
		a.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	a.render(w, http.StatusOK, "ward", p)
}

// people reads the people of a ward or a unit, sorted by name as the
// report's annex sorts them, and picks those close to the title.
func (a *App) people(ctx context.Context, db *store.DB, v *drillView, ward, unit string) error {
	if err := a.sel(ctx, db, &v.People, "people", v.Month, ward, unit, v.Group, "", a.cfg.Report.CloseWithin); err != nil {
		return err
	}
	for _, p := range v.People {
		if p.Close {
			v.Close = append(v.Close, p)
		}
	}
	return nil
}

// unitView is a unit's page.
type unitView struct {
	*drillView
	Unit  unitRow
	Items []unitItem
}

type unitItem struct {
	Item      string `db:"item"`
	Name      string `db:"name"`
	NameEN    string `db:"name_en"`
	Criterion string `db:"criterion"`
	Score     string `db:"score"`
	Max       string `db:"max_score"`
}

// unitPage is a unit: its score and grade, its items, its registrants.
func (a *App) unitPage(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("unit")
	v := &unitView{drillView: a.pick(r, "/units/"+code)}
	p := a.newPage(w, r, "wards", "", "", v)
	ctx := r.Context()
	found := false
	var err error
	v.Err, err = a.read(ctx, func(db *store.DB) error {
		var rows []unitRow
		if err := a.sel(ctx, db, &rows, "unit", code, v.Month); err != nil || len(rows) == 0 {
			return err
		}
		v.Unit, found = rows[0], a.scopeOf(ctx).has(rows[0].Ward)
		if !found {
			return nil
		}
		if v.Unit.AssessedOn != nil {
			if err := a.sel(ctx, db, &v.Items, "unit_items", code, v.Unit.AssessedOn.Format(time.DateOnly)); err != nil {
				return err
			}
		}
		return a.people(ctx, db, v.drillView, "", code)
	})
	switch {
	case err != nil:
		a.fail(w, r, http.StatusInternalServerError, err)
		return
	case v.Err == "" && !found:
		a.fail(w, r, http.StatusNotFound, errNotFound)
		return
	}
	p.Title = v.Unit.Name
	if p.Title == "" {
		p.Title = code
	}
	a.render(w, http.StatusOK, "unit", p)
}

// personView is a person's page.
type personView struct {
	*drillView
	Person      personRow
	Assessments []assessmentRow
	History     []monthRow
	Indicators  []indicatorName
	// Lacks says what stands between the person and the title, from the
	// assessment that counts at the month's end; Rounds the rounds they
	// have no assessment of by then.
	Lacks  *person
	Rounds []string
}

type personRow struct {
	ID           string    `db:"citizen_id"`
	Name         string    `db:"full_name"`
	Gender       string    `db:"gender"`
	BirthYear    *int      `db:"birth_year"`
	Group        int       `db:"group_id"`
	Ward         string    `db:"ward"`
	Hamlet       string    `db:"hamlet"`
	Unit         string    `db:"unit_code"`
	RegisteredOn time.Time `db:"registered_on"`
	Status       string    `db:"status"`
	FirstMonth   string    `db:"first_recognised_month"`
}

type assessmentRow struct {
	ID          string    `db:"assessment_id"`
	Round       string    `db:"round"`
	RoundName   string    `db:"round_name"`
	RoundNameEN string    `db:"round_name_en"`
	On          time.Time `db:"assessed_on"`
	Reviewer    string    `db:"reviewer"`
	Reviewed    bool      `db:"reviewed"`
	Self        texts     `db:"self_scores"`
	Review      texts     `db:"reviewed_scores"`
	Scores      texts     `db:"scores"`
	Total       string    `db:"total"`
	Complete    bool      `db:"complete"`
	Meets       bool      `db:"meets_title"`
	BelowMin    int       `db:"indicators_below_min"`
}

type monthRow struct {
	Month  string `db:"month"`
	Status string `db:"status"`
	Round  string `db:"round"`
	Total  string `db:"total"`
}

type indicatorName struct {
	Number int    `db:"indicator"`
	Name   string `db:"name"`
	NameEN string `db:"name_en"`
	// Wording is the indicator as the person's group words it.
	Wording string `db:"wording"`
}

// personPage is a person: their standing month by month, every
// assessment's self, reviewed and counting scores per indicator, and what
// they still lack.
func (a *App) personPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	v := &personView{drillView: a.pick(r, "/people/"+id)}
	p := a.newPage(w, r, "wards", "", "", v)
	ctx := r.Context()
	found := false
	var err error
	v.Err, err = a.read(ctx, func(db *store.DB) error {
		var rows []personRow
		if err := a.sel(ctx, db, &rows, "person", id, v.Month); err != nil || len(rows) == 0 {
			return err
		}
		v.Person, found = rows[0], a.scopeOf(ctx).has(rows[0].Ward)
		if !found {
			return nil
		}
		m, _ := config.ParseMonth(v.Month)
		end := m.LastDay().String()
		if err := a.sel(ctx, db, &v.Assessments, "person_assessments", id, end); err != nil {
			return err
		}
		if err := a.sel(ctx, db, &v.History, "person_months", id, v.Month); err != nil {
			return err
		}
		if err := a.sel(ctx, db, &v.Indicators, "indicators", v.Person.Group); err != nil {
			return err
		}
		var standing []person
		if err := a.sel(ctx, db, &standing, "people", v.Month, "", "", 0, id, a.cfg.Report.CloseWithin); err != nil {
			return err
		}
		for i := range standing {
			if standing[i].ID == id {
				v.Lacks = &standing[i]
			}
		}
		done := map[string]bool{}
		for _, as := range v.Assessments {
			done[as.Round] = true
		}
		for _, rd := range a.cfg.Rounds {
			if !done[rd.Code] {
				v.Rounds = append(v.Rounds, p.T(rd.Name, cmp.Or(rd.NameEN, rd.Name)))
			}
		}
		return nil
	})
	switch {
	case err != nil:
		a.fail(w, r, http.StatusInternalServerError, err)
		return
	case v.Err == "" && !found:
		a.fail(w, r, http.StatusNotFound, errNotFound)
		return
	}
	p.Title = v.Person.Name
	a.render(w, http.StatusOK, "person", p)
}

var errNotFound = errors.New("không có trang này, hoặc tài khoản này không được xem — no such page, or not one this login may see")

// texts is a LIST of VARCHAR as DuckDB's driver hands it over (a NULL
// element is "").
type texts []string

func (t *texts) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*t = nil
		return nil
	case []any:
		out := make(texts, len(v))
		for i, x := range v {
			switch e := x.(type) {
			case nil:
			case string:
				out[i] = e
			default:
				return fmt.Errorf("web: a list of texts holds %T", x)
			}
		}
		*t = out
		return nil
	}
	return fmt.Errorf("web: %T is not a list of texts", src)
}
