package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/deliver/smtptest"
	"github.com/hoctap/hoctap/pipeline"
	"github.com/hoctap/hoctap/schedule"
	"github.com/hoctap/hoctap/store"
)

// checkDelivery runs the real hoctap serve with a mail server of the test's
// own (STARTTLS with its own certificate, AUTH): it publishes May's report
// at start (forgotten, so a catch-up) and delivers it to three recipients.
// The second recipient's mailbox is busy twice (451); the third's exchange
// is under way when serve is killed. Restarted, serve sends the third's
// message and, on its retry schedule, the second's; nothing is sent twice,
// each recipient gets the report in their language with its real PDF and
// XLSX, and the outbox rows show every attempt.
func checkDelivery(t *testing.T, ws string) {
	t.Helper()
	const (
		user, password = "bao-cao@hoikhuyenhoc.example.vn", "mật khẩu máy chủ thư"
		committee      = "thuong-truc@hoikhuyenhoc.example.vn"
		reader         = "advisor@unesco.example.org"
		ward           = "ubnd-tan-quy-tay@example.vn"
	)
	srv := smtptest.Start(t, smtptest.Options{TLS: true, User: user, Password: password})
	srv.On(reader, smtptest.Rule{TempFail: 2})
	srv.On(ward, smtptest.Rule{HoldRcpt: 1})
	t.Setenv("HOCTAP_SMTP_PASSWORD", password)

	base, err := os.ReadFile(filepath.Join(ws, "pipeline.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := string(base[:bytes.Index(base, []byte("\ndelivery:"))])
	cfg = strings.Replace(cfg, "  deliver: {every: 1m}", "  deliver: {every: 1s}", 1)
	cfg += `
delivery:
  smtp: {host: 127.0.0.1, port: ` + strconv.Itoa(srv.Port) + `, security: starttls, ca_file: ` + srv.CAFile + `,
         username: ` + user + `, password_env: HOCTAP_SMTP_PASSWORD, timeout: 10s}
  from: {email: ` + user + `, name: Hội Khuyến học thành phố Sa Đéc}
  public_url: https://hoctap.example.vn
  retry: {attempts: 5, backoff: 1s, max_backoff: 4s}
  committee:
    - {name: Thường trực Hội Khuyến học thành phố, email: ` + committee + `, lang: vi}
    - {name: Learning Cities advisor, email: ` + reader + `, lang: en}
  wards:
    - {ward: tan-quy-tay, name: Văn phòng UBND xã Tân Quy Tây, email: ` + ward + `}
`
	if !strings.Contains(cfg, "deliver: {every: 1s}") {
		t.Fatal("pipeline.yaml has no schedule.deliver line to replace")
	}
	if err := os.WriteFile(filepath.Join(ws, "delivery.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(filepath.Join(ws, "delivery.yaml"))
	if r := runHoctap(t, ws, "check", "--config", "delivery.yaml"); r.code != exitOK || !strings.Contains(r.stdout, "2 committee, 1 ward contacts, 0 webhooks; mail through 127.0.0.1") {
		t.Fatalf("check: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	dbPath := filepath.Join(ws, "data/hoctap.duckdb")
	db, err := store.Open(context.Background(), dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`DELETE FROM reports WHERE month = '2021-05'`)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	// The first serve: May is published at start and its three messages
	// sent in turn; it is killed while the mail server holds the third.
	first := exec.Command(binary, "serve", "--config", "delivery.yaml", "--listen", "127.0.0.1:0")
	first.Dir = ws
	out := &syncBuffer{}
	first.Stdout, first.Stderr = out, out
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { first.Process.Kill() })
	select {
	case <-srv.Held():
	case <-time.After(3 * time.Minute):
		t.Fatalf("serve never reached the third recipient:\n%s", out.String())
	}
	first.Process.Kill()
	first.Wait()
	srv.Release()
	if !strings.Contains(out.String(), "delivery: 3 message(s) queued for report 2021-05 version 2") {
		t.Errorf("serve did not queue May's messages:\n%s", out.String())
	}
	if len(srv.To(committee)) != 1 || len(srv.To(reader)) != 0 || len(srv.To(ward)) != 0 {
		t.Fatalf("before the kill: %d, %d, %d messages; want the committee's only", len(srv.To(committee)), len(srv.To(reader)), len(srv.To(ward)))
	}
	if got := statuses(t, dbPath); got != "sent:1 deferred:1 sending:1" {
		t.Errorf("the outbox after the kill: %s", got)
	}

	// Restarted, serve sends the third's message at start and the second's
	// on its retry schedule (1s, then 2s); the first's is not sent again.
	s := startServe(t, ws, "--config", "delivery.yaml", "--listen", "127.0.0.1:0")
	// The page shows the outbox as the last delivery read it.
	// (At start serve first catches up on its jobs: on a busy machine the
	// retries come minutes later.)
	var outbox string
	for deadline := time.Now().Add(4 * time.Minute); ; time.Sleep(200 * time.Millisecond) {
		if _, outbox = s.get(t, "/outbox"); strings.Count(outbox, "đã gửi<br>") == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("4 minutes after the restart, the outbox has not sent its 3 messages:\n%s\n%s", outbox, s.out.String())
		}
	}
	s.want(t, "/outbox", 200, "Thư gửi đi", "Báo cáo tháng 05/2021, phiên bản 2", "Văn phòng UBND xã Tân Quy Tây", "advisor@unesco.example.org", "451 4.3.0 Mailbox busy")
	if strings.Contains(outbox, "Gửi lại các thư chưa gửi được") {
		t.Errorf("the outbox page offers to send again with nothing unsent")
	}
	if m := s.want(t, "/metrics", 200, `hoctap_outbox_messages{status="sent"} 3`, `hoctap_outbox_messages{status="failed"} 0`); !strings.Contains(m, `hoctap_outbox_messages{status="sent"} 3`) {
		t.Logf("the outbox's metrics: %q", regexp.MustCompile(`hoctap_outbox_messages\{[^\n]*`).FindAllString(m, -1))
	}
	req, _ := http.NewRequest(http.MethodPost, s.base+"/jobs/resend", nil)
	req.Header.Set("Origin", "http://evil.example")
	if code, _, _ := do(t, req); code != http.StatusForbidden {
		t.Errorf("the re-send button from another site: %d, want 403", code)
	}
	req.Header.Set("Origin", s.base)
	if code, h, _ := do(t, req); code != http.StatusSeeOther || h.Get("Location") != "/outbox?started=resend" {
		t.Errorf("the re-send button: %d %s", code, h.Get("Location"))
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && !strings.Contains(s.out.String(), "deliver: 0 failed message(s) queued again"); time.Sleep(100 * time.Millisecond) {
	}
	got := s.stop(t)
	for _, w := range []string{"deliver: 0 failed message(s) queued again", `msg="delivery attempt" job=deliver event=report_published month=2021-05 channel=email recipient=` + reader + ` attempt=3 status=sent`} {
		if !strings.Contains(got, w) {
			t.Errorf("the restarted serve's output lacks %q:\n%s", w, got)
		}
	}

	ids := map[string]bool{}
	for _, tc := range []struct{ rcpt, lang, pdf string }{
		{committee, "vi", "bao-cao-2021-05.pdf"}, {reader, "en", "report-2021-05.en.pdf"}, {ward, "vi", "bao-cao-2021-05.pdf"},
	} {
		msgs := srv.To(tc.rcpt)
		if len(msgs) != 1 {
			t.Errorf("%s got %d messages, want 1", tc.rcpt, len(msgs))
			continue
		}
		ids[msgs[0].Header.Get("Message-Id")] = true
		raw := string(msgs[0].Data)
		onDisk, err := os.ReadFile(filepath.Join(ws, "out/reports/2021-05/v2", tc.pdf))
		if err != nil {
			t.Fatal(err)
		}
		if tc.rcpt == ward {
			// The ward's contact: its ward's pack attached, the city's report linked.
			pack, err := os.ReadFile(filepath.Join(ws, "out/reports/2021-05/v2/wards/tan-quy-tay.vi.pdf"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(raw, `filename="tan-quy-tay.vi.pdf"`) || strings.Contains(raw, `filename="`+tc.pdf+`"`) || len(pack) < 10000 {
				t.Errorf("%s: the message does not attach the ward's pack alone (not %s)", tc.rcpt, tc.pdf)
			}
		} else if !strings.Contains(raw, `filename="`+tc.pdf+`"`) || !strings.Contains(raw, `filename="`+strings.TrimSuffix(tc.pdf, ".pdf")+`.xlsx"`) || len(onDisk) < 10000 {
			t.Errorf("%s: the message does not attach %s and its XLSX", tc.rcpt, tc.pdf)
		}
		subject := msgs[0].Header.Get("Subject")
		if tc.lang == "en" && !strings.Contains(subject, "Monthly report") {
			t.Errorf("%s: subject %q, want English", tc.rcpt, subject)
		}
	}
	if len(ids) != 3 {
		t.Errorf("Message-IDs: %v, want three", ids)
	}
	if got := statuses(t, dbPath); got != "sent:3" {
		t.Errorf("the outbox at the end: %s", got)
	}
	r := runHoctap(t, ws, "deliver", "--config", "delivery.yaml", "--list")
	if r.code != exitOK || strings.Count(r.stdout, "report 2021-05 v2") != 3 || strings.Count(r.stdout, " sent ") != 3 {
		t.Errorf("deliver --list: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	db, err = store.Open(context.Background(), dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		Recipient string `db:"recipient"`
		Attempts  int    `db:"attempts"`
		LastError string `db:"last_error"`
		Reply     string `db:"reply"`
		Files     string `db:"attachments"`
		Link      string `db:"link"`
	}
	if err := db.Select(&rows, `SELECT recipient, attempts, coalesce(last_error, '') AS last_error, reply, attachments, coalesce(link, '') AS link FROM outbox WHERE month = '2021-05' ORDER BY outbox_id`); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		rcpt     string
		attempts int
		err      string
	}{{committee, 1, ""}, {reader, 3, "451 4.3.0 Mailbox busy"}, {ward, 2, ""}} // the kill left no error: the attempt was cut short
	for i, w := range want {
		r := rows[i]
		if r.Recipient != w.rcpt || r.Attempts != w.attempts || !strings.Contains(strings.ToLower(r.LastError), strings.ToLower(w.err)) ||
			!strings.HasPrefix(r.Reply, "250 ") || !regexp.MustCompile(`"name":"(bao-cao-2021-05|report-2021-05\.en|tan-quy-tay\.vi)\.pdf"`).MatchString(r.Files) {
			t.Errorf("outbox row %d: %+v, want %s after %d attempts, last error %q", i, r, w.rcpt, w.attempts, w.err)
		}
		// The ward's letter links the city's report; the others attach it.
		if linked := strings.Contains(r.Link, "/reports/2021-05/v2/bao-cao-2021-05.pdf"); linked != (w.rcpt == ward) {
			t.Errorf("outbox row %d (%s) links %q", i, r.Recipient, r.Link)
		}
	}
	var runs []string
	if err := db.Select(&runs, `SELECT status || coalesce(': ' || error, '') FROM job_runs WHERE job = 'deliver' ORDER BY run_id`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if len(runs) < 3 || !strings.Contains(runs[0], "interrupted: process") {
		t.Errorf("the delivery runs: %q; want the killed one closed as interrupted, then the restarted ones", runs)
	}
	checkReminder(t, ws, srv, ward)
}

// checkReminder runs serve's reminder job on the demo's snapshot as of 30
// March 2021, 08:00: Tân Quy Tây's mid-term survey, due on the 31st, was
// refused on the 29th, so its contact gets a reminder in Vietnamese saying
// so, with the file's receipt attached and the day to send by; the other
// wards owe nothing that month. The same reminder run again sends nothing.
func checkReminder(t *testing.T, ws string, srv *smtptest.Server, ward string) {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.LoadFile(filepath.Join(ws, "delivery.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2021, 3, 30, 8, 0, 0, 0, cfg.Location)
	var out syncBuffer
	p := pipeline.New(cfg, &out, slog.New(slog.DiscardHandler), func() time.Time { return at }, "test")
	for i := 0; i < 2; i++ {
		if err := p.Reminder(ctx, schedule.Run{Job: schedule.Reminder, Scheduled: at}); err != nil {
			t.Fatalf("reminder: %v\n%s", err, out.String())
		}
	}
	if !strings.Contains(out.String(), "reminder: 1 message(s) queued") || !strings.Contains(out.String(), "reminder: 0 message(s) queued") ||
		strings.Count(out.String(), "has not sent") != 2 || strings.Count(out.String(), "reminder: tan-quy-tay has not sent citizen_assessments, due 31/03/2021") != 2 {
		t.Errorf("the reminder's output:\n%s", out.String())
	}
	var letters []smtptest.Letter
	for _, m := range srv.To(ward) {
		l, err := m.Read()
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(l.Subject, "Nhắc gửi số liệu") {
			letters = append(letters, l)
		}
	}
	if len(letters) != 1 {
		t.Fatalf("%d reminders to Tân Quy Tây, want 1", len(letters))
	}
	l := letters[0]
	receipt, err := os.ReadFile(filepath.Join(cfg.Paths.Quarantine, "tan-quy-tay/Danh_gia_giua_ky_03-2021.xlsx.receipt.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		"Nhắc gửi số liệu: xã Tân Quy Tây còn 1 mục chưa nhận được",
		"Đến 08:00 ngày 30/03/2021, Hội Khuyến học thành phố Sa Đéc chưa nhận được các số liệu sau của xã Tân Quy Tây:",
		"1. Phiếu đánh giá Công dân học tập, đợt Giữa kỳ — hạn gửi 31/03/2021:",
		`tệp "Danh_gia_giua_ky_03-2021.xlsx" gửi ngày 29/03/2021 chưa được nhận vì có`,
		"Để số liệu kịp đưa vào báo cáo tháng 03/2021, xin gửi trước 07:00 ngày 08/04/2021.",
	} {
		if !strings.Contains(l.Subject+"\n"+l.Text, w) {
			t.Errorf("the reminder lacks %q:\n%s", w, l.Text)
		}
	}
	if !bytes.Equal(l.Attachments["Danh_gia_giua_ky_03-2021.xlsx.receipt.txt"], receipt) {
		t.Errorf("the receipt is not attached as it is in quarantine: %v", l.Attachments)
	}

	// The next publication copies the outbox into the snapshot, described,
	// for the SQL console and hoctap query, as job_runs.
	if r := runHoctap(t, ws, "transform", "--quiet"); r.code != exitOK {
		t.Fatalf("transform: %s", r.stderr)
	}
	r := runHoctap(t, ws, "query", "--format", "csv", `SELECT event, status, count(*) AS n,
		(SELECT comment FROM duckdb_columns() WHERE table_name = 'outbox' AND column_name = 'message_id') LIKE 'The email''s Message-ID%' AS described
		FROM outbox GROUP BY ALL ORDER BY event`)
	if want := "event,status,n,described\nreminder_due,sent,1,true\nreport_published,sent,3,true\n"; r.code != exitOK || r.stdout != want {
		t.Errorf("the outbox in the snapshot: exit %d\n%s%s\nwant:\n%s", r.code, r.stdout, r.stderr, want)
	}
}

// statuses counts the outbox's rows by status: "sent:1 deferred:1".
func statuses(t *testing.T, dbPath string) string {
	t.Helper()
	db, err := store.Open(context.Background(), dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var s []string
	if err := db.Select(&s, `SELECT status || ':' || count(*) FROM outbox GROUP BY status ORDER BY CASE status WHEN 'sent' THEN 0 WHEN 'deferred' THEN 1 ELSE 2 END`); err != nil {
		t.Fatal(err)
	}
	return strings.Join(s, " ")
}
