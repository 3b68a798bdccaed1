package schedule

import (
	"testing"
	"time"

	"github.com/hoctap/hoctap"
	"github.com/hoctap/hoctap/config"
)

// TestSimulatePilot runs the default calendar from November 2020 to the end of
// August 2021 in Sa Đéc's time: one report on day 8 of each month at 07:00 (the day after the data's
// deadline, day 7),
// one reminder on day 3 at 08:00, a backup every day at 02:00, an ingest every
// ten minutes.
func TestSimulatePilot(t *testing.T) {
	cfg, err := config.Parse(hoctap.DefaultConfig, "")
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	from, to := time.Date(2020, 11, 1, 0, 0, 0, 0, loc), time.Date(2021, 9, 1, 0, 0, 0, 0, loc)
	fires, err := Simulate(cfg, from, to)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	reports := map[string]int{}
	for i, f := range fires {
		count[f.Job]++
		if i > 0 && f.At.Before(fires[i-1].At) {
			t.Fatalf("fires out of order at %d", i)
		}
		if f.At.Location().String() != "Asia/Ho_Chi_Minh" {
			t.Errorf("%s at %s: not in city time", f.Job, f.At)
		}
		switch f.Job {
		case Report:
			if f.At.Day() != 8 || f.At.Hour() != 7 || f.At.Minute() != 0 {
				t.Errorf("a report at %s, want day 8 at 07:00", f.At)
			}
			reports[f.At.Format("2006-01")]++
		case Reminder:
			if f.At.Day() != 3 || f.At.Hour() != 8 {
				t.Errorf("a reminder at %s, want day 3 at 08:00", f.At)
			}
		case Backup:
			if f.At.Hour() != 2 || f.At.Minute() != 0 {
				t.Errorf("a backup at %s, want 02:00", f.At)
			}
		}
	}
	// November 2020 to August 2021: ten months, 304 days.
	if len(reports) != 10 || count[Report] != 10 {
		t.Errorf("reports: %d in %d months, want one in each of 10: %v", count[Report], len(reports), reports)
	}
	if count[Reminder] != 10 || count[Backup] != 304 {
		t.Errorf("%d reminders (want 10), %d backups (want 304)", count[Reminder], count[Backup])
	}
	if want := 304*24*6 - 1; count[Ingest] != want { // every 10 minutes after the start, the start itself excluded
		t.Errorf("%d ingests, want %d", count[Ingest], want)
	}
}

// TestReportsDue: the service was down from 20 January to 10 April 2021; on
// its return the reports of January and February are catch-ups (their
// instants passed while it was down) and March's is the one due now. At
// 06:59 on 8 April, March's was not due yet.
func TestReportsDue(t *testing.T) {
	cfg, err := config.Parse(hoctap.DefaultConfig, "")
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	month := func(s string) config.Month {
		m, err := config.ParseMonth(s)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	rendered := map[config.Month]bool{month("2020-11"): true, month("2020-12"): true}
	got := ReportsDue(cfg, time.Date(2021, 4, 10, 9, 0, 0, 0, loc), rendered)
	want := []ReportDue{
		{month("2021-01"), time.Date(2021, 2, 8, 7, 0, 0, 0, loc), true},
		{month("2021-02"), time.Date(2021, 3, 8, 7, 0, 0, 0, loc), true},
		{month("2021-03"), time.Date(2021, 4, 8, 7, 0, 0, 0, loc), false},
	}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i].Month != want[i].Month || !got[i].Due.Equal(want[i].Due) || got[i].CatchUp != want[i].CatchUp {
			t.Errorf("%d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	if got := ReportsDue(cfg, time.Date(2021, 4, 8, 6, 59, 0, 0, loc), map[config.Month]bool{month("2020-11"): true, month("2020-12"): true, month("2021-01"): true, month("2021-02"): true}); len(got) != 0 {
		t.Errorf("at 06:59 on 8 April: %v due, want none", got)
	}
	// Long after the programme: its last month, July 2021, is the last due.
	all := ReportsDue(cfg, time.Date(2026, 11, 29, 0, 0, 0, 0, loc), nil)
	if len(all) != 9 || all[8].Month != month("2021-07") || all[8].CatchUp || !all[7].CatchUp {
		t.Errorf("in 2026: %+v", all)
	}
}

// TestDeliveryJob: with someone to deliver to, the scheduler looks at the
// outbox every schedule.deliver.every (1m by default), by gocron's own
// calendar on a fake clock; without anyone to deliver to there is no such
// job. (The serve test on the real binary sees the looks send a deferred
// message again.)
func TestDeliveryJob(t *testing.T) {
	cfg, err := config.Parse(hoctap.DefaultConfig, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range Jobs(cfg) {
		if j.Name == Deliver {
			t.Error("a delivery job with no one to deliver to")
		}
	}
	cfg.Delivery.Webhooks = []config.Webhook{{URL: "https://example.vn/hook", SecretEnv: "HOCTAP_HOOK"}}
	jobs := Jobs(cfg)
	if j := jobs[len(jobs)-1]; j.Name != Deliver || j.What != "every 1m0s, the messages of the outbox that are due" || !Frequent(j.Name) {
		t.Fatalf("jobs: %+v", jobs)
	}
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	start := time.Date(2021, 4, 1, 6, 0, 0, 0, loc)
	fires, err := Simulate(cfg, start, start.Add(3*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var delivers []time.Time
	for _, f := range fires {
		if f.Job == Deliver {
			delivers = append(delivers, f.At)
		}
	}
	if len(delivers) != 3*60-1 {
		t.Fatalf("%d looks at the outbox in 3 hours, want one a minute after the start: %d", len(delivers), 3*60-1)
	}
	for i, at := range delivers {
		if !at.Equal(start.Add(time.Duration(i+1) * time.Minute)) {
			t.Errorf("look %d at %s", i, at)
		}
	}
}
