package deliver

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/deliver/smtptest"
	"github.com/hoctap/hoctap/reports"
)

const (
	committee = "thuong-truc@hoikhuyenhoc.example.vn"
	wardTQD   = "ubnd-tan-quy-dong@example.vn"
	english   = "advisor@unesco.example.org"
)

// threeRecipients is the committee, a ward's contact and an English reader.
const threeRecipients = `  committee:
    - {name: Thường trực Hội Khuyến học thành phố, email: ` + committee + `, lang: vi}
    - {name: Learning Cities advisor, email: ` + english + `, lang: en}
  wards:
    - {ward: tan-quy-dong, name: Văn phòng UBND phường Tân Quy Đông, email: ` + wardTQD + `}
`

func sender(t *testing.T, ws *workspace, c *clock, log io.Writer) *Sender {
	t.Helper()
	if log == nil {
		log = io.Discard
	}
	s, err := NewSender(ws.cfg, slog.New(slog.NewTextHandler(log, nil)), c.now)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func run(t *testing.T, s *Sender, ws *workspace) Summary {
	t.Helper()
	sum, err := s.Run(context.Background(), ws.db)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed > 0 {
		for _, r := range ws.outbox(t) {
			if r.Status == Failed {
				t.Logf("failed: %s: %s", r.Recipient, r.LastError)
			}
		}
	}
	return sum
}

// A new version reaches each of its three recipients once, through STARTTLS
// and AUTH with a certificate the configuration trusts: in the recipient's
// language, with the headline figures as the report states them, the PDF
// and XLSX attached, an HTML alternative, a Message-ID of the version and
// the recipient, and headers that stop automatic replies. Queuing the same
// version again queues nothing, and a second run sends nothing.
func TestReportDelivered(t *testing.T) {
	srv := startSMTP(t, smtptest.Options{})
	ws := newWorkspace(t, smtpYAML(srv)+threeRecipients)
	c := newClock()
	res := ws.publish(t, "2021-03", 1, "fp1", smallFiles())
	q, err := EnqueueReport(context.Background(), ws.db, ws.cfg, res, c.now())
	if err != nil || q.Rows != 3 {
		t.Fatalf("enqueue: %+v, %v; want 3 rows", q, err)
	}
	if q, err := EnqueueReport(context.Background(), ws.db, ws.cfg, res, c.now()); err != nil || q.Rows != 0 {
		t.Errorf("enqueue again: %+v, %v; want nothing more", q, err)
	}
	var logs bytes.Buffer
	s := sender(t, ws, c, &logs)
	if sum := run(t, s, ws); sum.Sent != 3 || sum.Deferred+sum.Failed != 0 || !sum.Next.IsZero() {
		t.Fatalf("run: %s", sum)
	}
	if sum := run(t, s, ws); sum.Sent+sum.Deferred+sum.Failed != 0 {
		t.Errorf("a second run sent again: %s", sum)
	}
	if n := len(srv.Messages()); n != 3 {
		t.Fatalf("the server has %d messages, want 3", n)
	}
	figures := map[string][]string{"vi": {"Người đăng ký phấn đấu: 31", "Người đã được công nhận Công dân học tập: 23 (Tăng 14 người so với tháng 02/2021)"},
		"en": {"People registered: 31", "People recognised as learning citizens: 23 (Up 14 on Feb 2021)"}}
	ids := map[string]bool{}
	for _, rcpt := range []string{committee, english, wardTQD} {
		got := srv.To(rcpt)
		if len(got) != 1 {
			t.Fatalf("%s got %d messages, want 1", rcpt, len(got))
		}
		m := parse(t, got[0])
		lang := "vi"
		if rcpt == english {
			lang = "en"
		}
		id := m.header.Get("Message-Id")
		if !regexp.MustCompile(`^<hoctap\.bao-cao\.2021-03\.v1\.[0-9a-f]{16}@hoikhuyenhoc\.example\.vn>$`).MatchString(id) || ids[id] {
			t.Errorf("%s: Message-ID %q: want one of the version and the recipient, unique", rcpt, id)
		}
		ids[id] = true
		wantSubject := "Báo cáo tháng 03/2021: Thí điểm mô hình \"Công dân học tập\", \"Đơn vị học tập\""
		wantFiles := []string{"bao-cao-2021-03.pdf", "bao-cao-2021-03.xlsx"}
		if lang == "en" {
			wantSubject = "Monthly report, Mar 2021: Pilot of the \"learning citizen\" and \"learning unit\" titles"
			wantFiles = []string{"report-2021-03.en.pdf", "report-2021-03.en.xlsx"}
		}
		if m.Subject != wantSubject {
			t.Errorf("%s: subject %q, want %q", rcpt, m.Subject, wantSubject)
		}
		if m.header.Get("Auto-Submitted") != "auto-generated" || m.header.Get("Content-Language") != lang {
			t.Errorf("%s: headers %v", rcpt, m.header)
		}
		for _, w := range figures[lang] {
			if !strings.Contains(m.Text, w) || !strings.Contains(m.HTML, strings.ReplaceAll(w, "'", "&#39;")) {
				t.Errorf("%s: the text or its HTML lacks %q:\n%s\n%s", rcpt, w, m.Text, m.HTML)
			}
		}
		if rcpt == wardTQD {
			// The ward's contact gets its ward's pack, and the city's report linked.
			if len(m.Attachments) != 1 || !bytes.Equal(m.Attachments["tan-quy-dong.vi.pdf"], smallFiles()["pack"]) {
				t.Errorf("%s: attachments %v, want the ward's pack alone", rcpt, keys(m.Attachments))
			}
			for _, f := range wantFiles {
				if !strings.Contains(m.Text, "/reports/2021-03/v1/"+f) {
					t.Errorf("%s: the letter does not link %s:\n%s", rcpt, f, m.Text)
				}
			}
			if !strings.Contains(m.Text, "tan-quy-dong.vi.pdf") || !strings.Contains(m.Text, "báo cáo nhanh của phường Tân Quy Đông") {
				t.Errorf("%s: the letter does not name the pack:\n%s", rcpt, m.Text)
			}
		} else {
			if len(m.Attachments) != len(wantFiles) {
				t.Errorf("%s: attachments %v, want %v", rcpt, keys(m.Attachments), wantFiles)
			}
			for _, f := range wantFiles {
				if !bytes.Equal(m.Attachments[f], smallFiles()[filepath.Ext(f)]) {
					t.Errorf("%s: attachment %s is not the published file (has %v)", rcpt, f, keys(m.Attachments))
				}
			}
		}
		if !norm.NFC.IsNormalString(m.Subject) || !norm.NFC.IsNormalString(m.Text) {
			t.Errorf("%s: the message is not in NFC", rcpt)
		}
	}
	ward := parse(t, srv.To(wardTQD)[0])
	if !strings.HasPrefix(ward.Text, "Kính gửi: Văn phòng UBND phường Tân Quy Đông,\n\nHội Khuyến học thành phố Sa Đéc trân trọng gửi báo cáo tháng 03/2021") ||
		!strings.Contains(ward.Text, "số liệu đến hết ngày 31/03/2021") {
		t.Errorf("the ward's letter:\n%s", ward.Text)
	}
	for _, r := range ws.outbox(t) {
		attached, linked := 2, false
		if r.Recipient == wardTQD {
			attached, linked = 1, true // its pack; the city's report linked
		}
		if r.Status != Sent || r.Attempts != 1 || r.SentAt == nil || !strings.HasPrefix(r.Reply, "250 ") || len(r.Attached()) != attached || (r.Link != "") != linked {
			t.Errorf("outbox row: %+v", r)
		}
		if "<"+r.MessageID+">" != srv.To(r.Recipient)[0].Header.Get("Message-Id") {
			t.Errorf("the row's Message-ID %s is not the message's", r.MessageID)
		}
	}
	// One log line per attempt, with the stable keys.
	for _, rcpt := range []string{committee, english, wardTQD} {
		if !regexp.MustCompile(`msg="delivery attempt" job=deliver event=report_published month=2021-03 channel=email recipient=` + regexp.QuoteMeta(rcpt) + ` attempt=1 status=sent err=""`).MatchString(logs.String()) {
			t.Errorf("no log line for %s:\n%s", rcpt, logs.String())
		}
	}
}

// A 4xx is tried again after the back-off, doubled each time, and the
// message goes through once the server takes it; the outbox shows every
// attempt and the server's reply. Attempts run out into a failure.
func TestTemporaryFailureThenSuccess(t *testing.T) {
	srv := startSMTP(t, smtptest.Options{})
	srv.On(wardTQD, smtptest.Rule{TempFail: 2})
	ws := newWorkspace(t, smtpYAML(srv)+threeRecipients)
	c := newClock()
	if _, err := EnqueueReport(context.Background(), ws.db, ws.cfg, ws.publish(t, "2021-03", 1, "fp1", smallFiles()), c.now()); err != nil {
		t.Fatal(err)
	}
	s := sender(t, ws, c, nil)
	first := c.now()
	if sum := run(t, s, ws); sum.Sent != 2 || sum.Deferred != 1 || !sum.Next.Equal(first.Add(5*time.Minute)) {
		t.Fatalf("first run: %s", sum)
	}
	c.add(4 * time.Minute)
	if sum := run(t, s, ws); sum.Sent+sum.Deferred+sum.Failed != 0 {
		t.Errorf("a run before the back-off: %s", sum)
	}
	c.add(time.Minute)
	if sum := run(t, s, ws); sum.Deferred != 1 || !sum.Next.Equal(c.now().Add(10*time.Minute)) {
		t.Fatalf("second attempt: %s (the back-off doubles)", sum)
	}
	c.add(10 * time.Minute)
	if sum := run(t, s, ws); sum.Sent != 1 {
		t.Fatalf("third attempt: %s", sum)
	}
	if n := len(srv.To(wardTQD)); n != 1 || srv.Attempts(wardTQD) != 3 || len(srv.To(committee)) != 1 {
		t.Errorf("the ward got %d messages in %d attempts, the committee %d: want 1 in 3, and 1", n, srv.Attempts(wardTQD), len(srv.To(committee)))
	}
	for _, r := range ws.outbox(t) {
		if r.Recipient == wardTQD && (r.Status != Sent || r.Attempts != 3 || !strings.Contains(r.LastError, "RCPT TO command: 451 4.3.0 Mailbox busy, try again later") || r.NextAttempt != nil) {
			t.Errorf("the ward's row: %+v", r)
		}
	}

	// A server that keeps answering 4xx: after delivery.retry.attempts (3)
	// the message is marked failed, saying why.
	srv.On(english, smtptest.Rule{TempFail: 100})
	if _, err := EnqueueReport(context.Background(), ws.db, ws.cfg, ws.publish(t, "2021-04", 1, "fp4", smallFiles()), c.now()); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		run(t, s, ws)
		c.add(time.Hour)
	}
	for _, r := range ws.outbox(t) {
		if r.Month == "2021-04" && r.Recipient == english && (r.Status != Failed || r.Attempts != 3 || !strings.Contains(r.LastError, "gave up after 3 attempts")) {
			t.Errorf("the row whose attempts ran out: %+v", r)
		}
	}
}

// A 5xx is permanent: marked failed at once with the server's reply, never
// tried again by itself; queued again by hand (Requeue), it is sent once the
// address is right, and the messages sent are left alone.
func TestPermanentFailure(t *testing.T) {
	srv := startSMTP(t, smtptest.Options{})
	srv.On(english, smtptest.Rule{PermFail: true})
	ws := newWorkspace(t, smtpYAML(srv)+threeRecipients)
	c := newClock()
	if _, err := EnqueueReport(context.Background(), ws.db, ws.cfg, ws.publish(t, "2021-03", 1, "fp1", smallFiles()), c.now()); err != nil {
		t.Fatal(err)
	}
	s := sender(t, ws, c, nil)
	if sum := run(t, s, ws); sum.Sent != 2 || sum.Failed != 1 || !sum.Next.IsZero() {
		t.Fatalf("run: %s", sum)
	}
	c.add(24 * time.Hour)
	if sum := run(t, s, ws); sum.Sent+sum.Deferred+sum.Failed != 0 {
		t.Errorf("a failed message was tried again by itself: %s", sum)
	}
	for _, r := range ws.outbox(t) {
		if r.Recipient == english && (r.Status != Failed || r.Attempts != 1 || !strings.Contains(r.LastError, "550 5.1.1 Mailbox unavailable")) {
			t.Errorf("the failed row: %+v", r)
		}
	}
	srv.On(english, smtptest.Rule{})
	n, err := Requeue(context.Background(), ws.db, c.now())
	if err != nil || n != 1 {
		t.Fatalf("requeue: %d, %v; want the one failed", n, err)
	}
	if sum := run(t, s, ws); sum.Sent != 1 {
		t.Errorf("after requeue: %s", sum)
	}
	if len(srv.To(english)) != 1 || len(srv.To(committee)) != 1 || srv.Attempts(english) != 2 {
		t.Errorf("after requeue: %d to the reader (in %d attempts), %d to the committee; want 1 (2), 1",
			len(srv.To(english)), srv.Attempts(english), len(srv.To(committee)))
	}
	for _, r := range ws.outbox(t) {
		if r.Recipient == english && (r.Status != Sent || r.RequeuedAt == nil || r.Attempts != 1) {
			t.Errorf("the requeued row: %+v", r)
		}
	}
}

// Files that would make the message larger than delivery.max_message_size,
// or than the server's announced SIZE, go as links to the web app; a server
// that refuses a message as too large without announcing a limit (552
// 5.3.4) gets it again at once with links.
func TestOversizeGoesAsLink(t *testing.T) {
	big := map[string][]byte{".pdf": make([]byte, 300_000), ".xlsx": []byte("PK small")}
	rand.Read(big[".pdf"])
	cases := []struct {
		name  string
		opt   smtptest.Options
		limit string
	}{
		{"our limit", smtptest.Options{}, "  max_message_size: 256KiB\n"},
		{"the server's SIZE", smtptest.Options{MaxBytes: 200_000}, ""},
		{"a silent server limit", smtptest.Options{RefuseAbove: 200_000}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := startSMTP(t, tc.opt)
			ws := newWorkspace(t, smtpYAML(srv)+tc.limit+"  committee: [{name: Thường trực, email: "+committee+"}]\n")
			c := newClock()
			if _, err := EnqueueReport(context.Background(), ws.db, ws.cfg, ws.publish(t, "2021-03", 2, "fp2", big), c.now()); err != nil {
				t.Fatal(err)
			}
			if sum := run(t, sender(t, ws, c, nil), ws); sum.Sent != 1 {
				t.Fatalf("run: %s", sum)
			}
			got := srv.To(committee)
			if len(got) != 1 {
				t.Fatalf("%d messages", len(got))
			}
			m := parse(t, got[0])
			pdf := "https://hoctap.example.vn/reports/2021-03/v2/bao-cao-2021-03.pdf"
			if len(m.Attachments) != 0 || !strings.Contains(m.Text, "Các tệp báo cáo quá lớn để gửi kèm thư (300 KB)") ||
				!strings.Contains(m.Text, pdf) || !strings.Contains(m.HTML, `<a href="`+pdf+`">`) {
				t.Errorf("the message attaches %v; its text:\n%s", keys(m.Attachments), m.Text)
			}
			r := ws.outbox(t)[0]
			if r.Attempts != 1 || !strings.Contains(r.Link, pdf) || r.Attachments != "" {
				t.Errorf("row: %+v", r)
			}
		})
	}
}

// A stop in the middle of a delivery sends nothing twice and loses nothing.
// Here the run stops while the mail server holds the second recipient's
// RCPT (the run cannot record the attempt: its database is closed under it,
// as a kill would leave it); the next run sends the second and third
// recipients once each, and not the first again.
//
// The one repeat a stop can cause is shown too: when the server accepted the
// message and the stop came before the row was marked, the next run sends it
// again, under the same Message-ID.
func TestStopInTheMiddle(t *testing.T) {
	for _, tc := range []struct {
		name     string
		rule     smtptest.Rule
		wantWard int
	}{
		{"before the server accepted", smtptest.Rule{HoldRcpt: 1}, 1},
		{"after the server accepted", smtptest.Rule{HoldAccepted: 1}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startSMTP(t, smtptest.Options{})
			srv.On(english, tc.rule)
			ws := newWorkspace(t, smtpYAML(srv)+threeRecipients)
			c := newClock()
			if _, err := EnqueueReport(context.Background(), ws.db, ws.cfg, ws.publish(t, "2021-03", 1, "fp1", smallFiles()), c.now()); err != nil {
				t.Fatal(err)
			}
			s := sender(t, ws, c, nil)
			done := make(chan error, 1)
			go func() { _, err := s.Run(context.Background(), ws.db); done <- err }()
			select {
			case <-srv.Held():
			case <-time.After(30 * time.Second):
				t.Fatal("the server never held the second message")
			}
			ws.db.Close() // the stop: nothing more is recorded
			srv.Release()
			if err := <-done; err == nil {
				t.Fatal("the run went on with its database closed")
			}
			ws.open(t)
			rows := ws.outbox(t)
			if rows[0].Status != Sent || rows[1].Status != Sending || rows[2].Status != Queued {
				t.Fatalf("after the stop: %s %s %s, want sent, sending, queued", rows[0].Status, rows[1].Status, rows[2].Status)
			}
			if sum := run(t, s, ws); sum.Sent != 2 {
				t.Fatalf("the run after the stop: %s", sum)
			}
			if n := len(srv.To(committee)); n != 1 {
				t.Errorf("the first recipient got %d messages, want 1", n)
			}
			if n := len(srv.To(wardTQD)); n != 1 {
				t.Errorf("the third recipient got %d messages, want 1", n)
			}
			got := srv.To(english)
			if len(got) != tc.wantWard {
				t.Fatalf("the second recipient got %d messages, want %d", len(got), tc.wantWard)
			}
			if len(got) == 2 && got[0].Header.Get("Message-Id") != got[1].Header.Get("Message-Id") {
				t.Errorf("the repeat has another Message-ID: %s, %s", got[0].Header.Get("Message-Id"), got[1].Header.Get("Message-Id"))
			}
			for _, r := range ws.outbox(t) {
				if r.Status != Sent {
					t.Errorf("row %d: %s", r.ID, r.Status)
				}
			}
		})
	}
}

// Names and file names from the configuration or from what wards send go
// into headers: a line break in them starts no header of its own, and the
// message goes to its one recipient only.
func TestHeaderInjection(t *testing.T) {
	srv := startSMTP(t, smtptest.Options{})
	ws := newWorkspace(t, smtpYAML(srv)+"  wards: [{ward: tan-quy-tay, name: UBND xã, email: "+wardTQD+"}]\n")
	// The configuration refuses such names (TestBadConfigs): they are put
	// here past it, to test the second lock.
	ws.cfg.Delivery.Wards[0].Name = "UBND\r\nBcc: ke-gian@evil.example"
	ws.cfg.Delivery.From.Name = "Hội\nX-Injected: yes"
	ws.cfg.City.Organisation = "HỘI\r\nBcc: ke-gian@evil.example"
	evil := "Danh_sach\r\nBcc: ke-gian@evil.example\r\n.xlsx"
	receipt := filepath.Join(ws.cfg.Paths.Quarantine, "tan-quy-tay", "x.receipt.txt")
	os.MkdirAll(filepath.Dir(receipt), 0o755)
	os.WriteFile(receipt, []byte("BIÊN NHẬN"), 0o644)
	// The receipt's name as the ward's file name made it.
	named := filepath.Join(filepath.Dir(receipt), evil+".receipt.txt")
	if err := os.Rename(receipt, named); err != nil {
		t.Fatal(err)
	}
	c := newClock()
	rem := Reminder{At: c.now(), Report: c.now().AddDate(0, 1, 0), ReportMonth: month(t, "2021-04"), Missing: []reports.Submission{{
		Ward: "tan-quy-tay", Dataset: "citizens", Due: c.now().AddDate(0, 0, -3), Status: "refused",
		Refused: []reports.RefusedFile{{Name: evil, SentOn: c.now(), Problems: 2, Receipt: filepath.Join("tan-quy-tay", evil+".receipt.txt")}},
	}}}
	if q, err := EnqueueReminder(context.Background(), ws.db, ws.cfg, rem, c.now()); err != nil || q.Rows != 1 {
		t.Fatalf("enqueue: %+v %v", q, err)
	}
	if sum := run(t, sender(t, ws, c, nil), ws); sum.Sent != 1 {
		t.Fatalf("run: %s", sum)
	}
	got := srv.Messages()
	if len(got) != 1 || len(got[0].To) != 1 || got[0].To[0] != wardTQD {
		t.Fatalf("the message went to %v", got)
	}
	head, _, _ := strings.Cut(string(got[0].Data), "\r\n\r\n")
	for _, l := range strings.Split(head, "\r\n") {
		if strings.HasPrefix(strings.ToLower(l), "bcc:") || strings.HasPrefix(strings.ToLower(l), "x-injected:") {
			t.Errorf("an injected header: %q\n%s", l, head)
		}
	}
	if strings.Contains(string(got[0].Data), "\r\nBcc: ke-gian") {
		t.Errorf("an injected header in a part:\n%s", got[0].Data)
	}
	m := parse(t, got[0])
	if len(m.Attachments) != 1 {
		t.Errorf("attachments: %v", keys(m.Attachments))
	}
}

// A ward that owes data gets a reminder in Vietnamese: what is missing, by
// when, which file was refused with its receipt attached, and by when to
// send to be in the next report. The webhook gets the same event, signed.
// A restart that runs the same reminder again queues nothing more.
func TestReminder(t *testing.T) {
	srv := startSMTP(t, smtptest.Options{})
	var hooks []*http.Request
	var bodies [][]byte
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		hooks, bodies = append(hooks, r), append(bodies, b)
	}))
	defer hook.Close()
	t.Setenv("HOCTAP_TEST_HOOK", "khoá bí mật")
	ws := newWorkspace(t, smtpYAML(srv)+
		"  wards:\n    - {ward: tan-quy-tay, name: Văn phòng UBND xã Tân Quy Tây, email: ubnd-tqt@example.vn}\n"+
		"  webhooks: [{url: "+hook.URL+"/zalo, secret_env: HOCTAP_TEST_HOOK, events: [reminder_due]}]\n")
	loc := ws.cfg.Location
	at := time.Date(2021, 3, 3, 8, 0, 0, 0, loc)
	receipt := filepath.Join("tan-quy-tay", "Danh_gia_giua_ky_03-2021.xlsx.receipt.txt")
	os.MkdirAll(filepath.Join(ws.cfg.Paths.Quarantine, "tan-quy-tay"), 0o755)
	body := []byte("BIÊN NHẬN TỆP — Danh_gia_giua_ky_03-2021.xlsx\nTrang tính \"Đánh giá\", dòng 7, cột Chỉ số 3: 11 — cần từ 0 đến 10\n")
	os.WriteFile(filepath.Join(ws.cfg.Paths.Quarantine, receipt), body, 0o644)
	rem := Reminder{At: at, Report: time.Date(2021, 4, 1, 7, 0, 0, 0, loc), ReportMonth: month(t, "2021-03"), Missing: []reports.Submission{
		{Ward: "tan-quy-tay", Dataset: "citizen_assessments", Round: "baseline", Due: time.Date(2020, 12, 31, 0, 0, 0, 0, time.UTC), Status: "refused",
			Refused: []reports.RefusedFile{{Name: "Danh_gia_giua_ky_03-2021.xlsx", SentOn: time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC), Problems: 3, Receipt: receipt}}},
		{Ward: "tan-quy-tay", Dataset: "activities", Period: "2021-02", Due: time.Date(2021, 3, 5, 0, 0, 0, 0, time.UTC), Status: "missing"},
		{Ward: "tan-phu-dong", Dataset: "activities", Period: "2021-02", Due: time.Date(2021, 3, 5, 0, 0, 0, 0, time.UTC), Status: "missing"},
	}}
	c := &clock{t: at}
	q, err := EnqueueReminder(context.Background(), ws.db, ws.cfg, rem, c.now())
	// Tân Quy Tây: its contact and the webhook; Tân Phú Đông: the webhook (no contact).
	if err != nil || q.Rows != 3 {
		t.Fatalf("enqueue: %+v, %v; want 3 rows", q, err)
	}
	if q, _ := EnqueueReminder(context.Background(), ws.db, ws.cfg, rem, c.now()); q.Rows != 0 {
		t.Errorf("the same reminder again queued %d rows", q.Rows)
	}
	if sum := run(t, sender(t, ws, c, nil), ws); sum.Sent != 3 {
		t.Fatalf("run: %s", sum)
	}
	got := srv.To("ubnd-tqt@example.vn")
	if len(got) != 1 {
		t.Fatalf("%d reminders", len(got))
	}
	m := parse(t, got[0])
	if m.Subject != "Nhắc gửi số liệu: xã Tân Quy Tây còn 2 mục chưa nhận được" {
		t.Errorf("subject %q", m.Subject)
	}
	for _, w := range []string{
		"Kính gửi: Văn phòng UBND xã Tân Quy Tây,",
		"Đến 08:00 ngày 03/03/2021, Hội Khuyến học thành phố Sa Đéc chưa nhận được các số liệu sau của xã Tân Quy Tây:",
		"1. Phiếu đánh giá Công dân học tập, đợt Khảo sát thực trạng — hạn gửi 31/12/2020 (đã quá hạn):",
		`tệp "Danh_gia_giua_ky_03-2021.xlsx" gửi ngày 01/03/2021 chưa được nhận vì có 3 lỗi; biên nhận đính kèm (Danh_gia_giua_ky_03-2021.xlsx.receipt.txt) ghi rõ từng lỗi theo trang tính, dòng và cột.`,
		"Xin sửa các lỗi rồi gửi lại tệp.",
		"2. Hoạt động học tập, tuyên truyền tháng 02/2021 — hạn gửi 05/03/2021: chưa nhận được tệp nào.",
		"Để số liệu kịp đưa vào báo cáo tháng 03/2021, xin gửi trước 07:00 ngày 01/04/2021.",
	} {
		if !strings.Contains(m.Text, w) {
			t.Errorf("the reminder lacks %q:\n%s", w, m.Text)
		}
	}
	if !bytes.Equal(m.Attachments["Danh_gia_giua_ky_03-2021.xlsx.receipt.txt"], body) {
		t.Errorf("the receipt is not attached: %v", keys(m.Attachments))
	}
	if !norm.NFC.IsNormalString(m.Text) {
		t.Error("the reminder is not in NFC")
	}
	if len(hooks) != 2 {
		t.Fatalf("%d webhook calls, want 2", len(hooks))
	}
	for i, r := range hooks {
		sig := r.Header.Get(HeaderSignature)
		ts := regexp.MustCompile(`^t=(\d+),v1=[0-9a-f]{64}$`).FindStringSubmatch(sig)
		if ts == nil || sig != Sign([]byte("khoá bí mật"), c.now(), bodies[i]) || r.Header.Get(HeaderEvent) != "reminder_due" || r.Header.Get(HeaderDelivery) == "" {
			t.Errorf("webhook %d: headers %v", i, r.Header)
		}
		var b struct {
			Event string
			Ward  struct{ Code, Name string }
			Items []struct{ Dataset, Status string }
			Text  map[string]string
		}
		if err := json.Unmarshal(bodies[i], &b); err != nil || b.Event != "reminder_due" || len(b.Items) == 0 || !strings.Contains(b.Text["vi"], "chưa nhận được") {
			t.Errorf("webhook %d body: %v %s", i, err, bodies[i])
		}
		if b.Ward.Code == "tan-quy-tay" && (b.Ward.Name != "xã Tân Quy Tây" || len(b.Items) != 2) {
			t.Errorf("webhook body: %+v", b)
		}
	}
}

// A webhook that answers 503 is tried again; one that answers 400 fails;
// the secret that signs it must be there before anything is sent.
func TestWebhookFailures(t *testing.T) {
	answers := []int{503, 200}
	var calls int
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code := 400
		if strings.HasSuffix(r.URL.Path, "/retry") {
			code = answers[min(calls, len(answers)-1)]
			calls++
		}
		w.WriteHeader(code)
		io.WriteString(w, "trả lời "+http.StatusText(code))
	}))
	defer hook.Close()
	t.Setenv("HOCTAP_TEST_HOOK", "k")
	ws := newWorkspace(t, "  public_url: https://hoctap.example.vn\n  retry: {attempts: 3, backoff: 1m}\n  webhooks:\n"+
		"    - {url: "+hook.URL+"/retry, secret_env: HOCTAP_TEST_HOOK}\n    - {url: "+hook.URL+"/bad, secret_env: HOCTAP_TEST_HOOK}\n")
	c := newClock()
	if q, err := EnqueueReport(context.Background(), ws.db, ws.cfg, ws.publish(t, "2021-03", 1, "fp", smallFiles()), c.now()); err != nil || q.Rows != 2 {
		t.Fatalf("enqueue: %+v %v", q, err)
	}
	s := sender(t, ws, c, nil)
	if sum := run(t, s, ws); sum.Deferred != 1 || sum.Failed != 1 {
		t.Fatalf("first run: %s", sum)
	}
	c.add(time.Minute)
	if sum := run(t, s, ws); sum.Sent != 1 {
		t.Fatalf("second run: %s", sum)
	}
	for _, r := range ws.outbox(t) {
		if strings.Contains(r.Recipient, "/retry") || strings.Contains(r.Recipient, "/bad") {
			t.Errorf("the outbox keeps a webhook's path, where a key may be: %s", r.Recipient)
		}
		switch {
		case r.Recipient == WebhookName(hook.URL+"/retry") && (r.Status != Sent || r.Attempts != 2 || !strings.Contains(r.LastError, "503")):
			t.Errorf("retried webhook: %+v", r)
		case r.Recipient == WebhookName(hook.URL+"/bad") && (r.Status != Failed || !strings.Contains(r.LastError, "400 Bad Request trả lời Bad Request")):
			t.Errorf("refused webhook: %+v", r)
		}
	}
	os.Unsetenv("HOCTAP_TEST_HOOK")
	if _, err := NewSender(ws.cfg, nil, c.now); err == nil || !strings.Contains(err.Error(), "HOCTAP_TEST_HOOK is not set") {
		t.Errorf("a missing secret: %v", err)
	}
}

// A mail server out of reach: the first message's attempt fails to connect
// and is deferred; the others wait with it, not tried, their attempts
// unchanged, rather than each waiting for the connection's timeout.
func TestServerOutOfReach(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close() // nothing listens there now
	t.Setenv("HOCTAP_TEST_SMTP_PASSWORD", "x")
	ws := newWorkspace(t, fmt.Sprintf("  smtp: {host: 127.0.0.1, port: %d, security: none, timeout: 2s}\n", port)+
		"  from: {email: bao-cao@hoikhuyenhoc.example.vn}\n  public_url: https://hoctap.example.vn\n  retry: {attempts: 3, backoff: 5m}\n"+threeRecipients)
	c := newClock()
	if _, err := EnqueueReport(context.Background(), ws.db, ws.cfg, ws.publish(t, "2021-03", 1, "fp1", smallFiles()), c.now()); err != nil {
		t.Fatal(err)
	}
	if sum := run(t, sender(t, ws, c, nil), ws); sum.Deferred != 3 || !sum.Next.Equal(c.now().Add(5*time.Minute)) {
		t.Fatalf("run: %s", sum)
	}
	for i, r := range ws.outbox(t) {
		if r.Status != Deferred || !r.NextAttempt.Equal(c.now().Add(5*time.Minute)) || !strings.Contains(r.LastError, "connecting to 127.0.0.1") ||
			(i == 0) != (r.Attempts == 1) || (i > 0) != strings.HasPrefix(r.LastError, "not tried: ") {
			t.Errorf("row %d: %s, %d attempts, next %v: %s", i, r.Status, r.Attempts, r.NextAttempt, r.LastError)
		}
	}
}

// The SMTP password from a file: one readable by anyone is refused.
func TestPasswordFile(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "smtp-password")
	os.WriteFile(f, []byte("bí mật\n"), 0o644)
	if _, err := secret("delivery.smtp.password", "", f); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a world-readable file: %v", err)
	}
	os.Chmod(f, 0o600)
	if p, err := secret("delivery.smtp.password", "", f); err != nil || p != "bí mật" {
		t.Errorf("the file's password: %q, %v", p, err)
	}
	if _, err := secret("delivery.smtp.password", "", filepath.Join(dir, "none")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
}

// A version that shows the numbers of the one before (made with --force)
// is not sent again; one with new numbers is, and says what it replaces.
func TestNewVersion(t *testing.T) {
	srv := startSMTP(t, smtptest.Options{})
	ws := newWorkspace(t, smtpYAML(srv)+"  committee: [{name: Thường trực, email: "+committee+"}]\n")
	c := newClock()
	ctx := context.Background()
	if _, err := EnqueueReport(ctx, ws.db, ws.cfg, ws.publish(t, "2021-03", 1, "fp1", smallFiles()), c.now()); err != nil {
		t.Fatal(err)
	}
	if q, err := EnqueueReport(ctx, ws.db, ws.cfg, ws.publish(t, "2021-03", 2, "fp1", smallFiles()), c.now()); err != nil || q.Rows != 0 || !strings.Contains(q.Skipped, "version 2 shows the numbers of version 1") {
		t.Errorf("a forced version: %+v %v", q, err)
	}
	if q, err := EnqueueReport(ctx, ws.db, ws.cfg, ws.publish(t, "2021-03", 3, "fp3", smallFiles()), c.now()); err != nil || q.Rows != 1 {
		t.Errorf("a version of new numbers: %+v %v", q, err)
	}
	run(t, sender(t, ws, c, nil), ws)
	got := srv.To(committee)
	if len(got) != 2 {
		t.Fatalf("%d messages, want versions 1 and 3", len(got))
	}
	m := parse(t, got[1])
	if !strings.HasSuffix(m.Subject, "(phiên bản 3, thay phiên bản 1)") || !strings.Contains(m.Text, "Đây là phiên bản 3 của báo cáo, lập lại vì số liệu đã thay đổi") {
		t.Errorf("version 3: %q\n%s", m.Subject, m.Text)
	}
}

func keys(m map[string][]byte) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func month(t *testing.T, s string) config.Month {
	t.Helper()
	m, err := config.ParseMonth(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
