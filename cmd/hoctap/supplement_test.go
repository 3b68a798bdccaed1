package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hoctap/hoctap/store"
)

// A ward's later files, on the real binary: a supplement adds to what it sent
// before, a file declared a correction replaces the file it names, and a file
// that would silently remove most of a ward's rows is refused as suspicious
// until its sender declares it a replacement. hoctap validate, in the
// workspace, says which a file would be, and finds the people nobody
// registered.
func TestSupplementsAndCorrections(t *testing.T) {
	dir := t.TempDir()
	if r := runHoctap(t, dir, "init", "ws"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	ws := filepath.Join(dir, "ws")
	ward := filepath.Join(ws, "data", "inbox", "tan-quy-dong")
	sent := time.Date(2021, 6, 1, 9, 0, 0, 0, time.UTC)
	send := func(name, body string) {
		t.Helper()
		p := filepath.Join(ward, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		sent = sent.Add(time.Hour)
		os.Chtimes(p, sent, sent)
	}
	const reg = "Mã công dân,Họ và tên,Nhóm đối tượng,Ngày đăng ký\n"
	const survey = "Mã công dân,Đợt,Ngày đánh giá,Chỉ số 1,Chỉ số 2,Chỉ số 3,Chỉ số 4,Chỉ số 5,Chỉ số 6,Chỉ số 7,Chỉ số 8,Chỉ số 9,Chỉ số 10\n"
	row := func(code, score string) string {
		return code + ",Cuối kỳ,15/06/2021" + strings.Repeat(","+score, 10) + "\n"
	}
	ingest := func(wantCode int) string {
		t.Helper()
		r := runHoctap(t, ws, "ingest")
		if r.code != wantCode {
			t.Fatalf("ingest: exit %d, want %d\n%s\n%s", r.code, wantCode, r.stdout, r.stderr)
		}
		return r.stdout
	}
	ctx := context.Background()
	query := func(q string) int {
		t.Helper()
		db, err := store.Open(ctx, filepath.Join(ws, "data", "hoctap.duckdb"), store.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var n int
		if err := db.GetContext(ctx, &n, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	// What counts: the latest row per record_key among the loaded tables.
	const counting = `SELECT count(DISTINCT a.record_key) FROM raw_citizen_assessments a
		SEMI JOIN ingest_file_tables t ON t.file_id = a.file_id AND t.dataset = 'citizen_assessments' AND t.status = 'loaded'`
	const registered = `SELECT count(DISTINCT c.citizen_id) FROM raw_citizens c
		SEMI JOIN ingest_file_tables t ON t.file_id = c.file_id AND t.dataset = 'citizens' AND t.ward = c.ward AND t.status = 'loaded'`

	send("dk.csv", reg+"Q-1,An,1,01/12/2020\nQ-2,Bình,2,01/12/2020\nQ-3,Chi,3,01/12/2020\n")
	send("khao sat cuoi ky.csv", survey+row("Q-1", "8")+row("Q-2", "8")+row("Q-3", "8"))
	ingest(exitOK)
	if n := query(counting); n != 3 {
		t.Fatalf("%d assessments count, want 3", n)
	}

	// A supplement: one more person, registered and surveyed in later files.
	send("dk bo sung.csv", reg+"Q-4,Dũng,1,02/12/2020\n")
	send("khao sat bo sung.csv", survey+row("Q-4", "9"))
	out := ingest(exitOK)
	if n, r := query(counting), query(registered); n != 4 || r != 4 || !strings.Contains(out, "citizen_assessments tan-quy-dong supplement +1 ~0 -0") {
		t.Fatalf("after the supplements: %d assessments, %d registered, want 4 and 4\n%s", n, r, out)
	}
	receipt := filepath.Join(ws, "data", "archive")
	var text string
	filepath.Walk(receipt, func(p string, _ os.FileInfo, _ error) error {
		if strings.HasSuffix(p, "khao sat bo sung.csv.receipt.txt") {
			b, _ := os.ReadFile(p)
			text = string(b)
		}
		return nil
	})
	if !strings.Contains(text, "DANH SÁCH BỔ SUNG: 1 dòng mới, 0 dòng thay dòng đã gửi trước") {
		t.Errorf("the supplement's receipt:\n%s", text)
	}

	// hoctap validate in the workspace: what a file would be taken as, and
	// the people nobody registered, against what is loaded.
	probe := filepath.Join(dir, "probe.csv")
	os.WriteFile(probe, []byte(survey+row("Q-1", "7")+row("Q-9", "7")), 0o644)
	r := runHoctap(t, ws, "validate", "--ward", "tan-quy-dong", probe)
	if r.code != exitData || !strings.Contains(r.stdout, `"Q-9" chưa đăng ký`) || strings.Contains(r.stdout, `"Q-1" chưa đăng ký`) ||
		!strings.Contains(r.stdout, "Checked against what the pipeline has loaded") {
		t.Errorf("validate: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	os.WriteFile(filepath.Join(dir, "dk2.csv"), []byte(reg+"Q-9,Giang,1,03/12/2020\n"), 0o644)
	if r := runHoctap(t, ws, "validate", "--ward", "tan-quy-dong", filepath.Join(dir, "dk2.csv"), probe); r.code != exitOK || !strings.Contains(r.stdout, "would be taken as a supplement") {
		t.Errorf("validate with the registration named too: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}

	// A correction of a named file: it replaces that file whole (Q-2's
	// corrected score counts; the supplement's Q-4 stays).
	send("khao sat cuoi ky - ban sua.csv", survey+row("Q-1", "8")+row("Q-2", "9.5")+row("Q-3", "8"))
	out = ingest(exitOK)
	if n := query(counting); n != 4 || !strings.Contains(out, "replacement +0 ~3 -0") {
		t.Fatalf("after the correction: %d assessments count, want 4\n%s", n, out)
	}
	if n := query(`SELECT count(*) FROM ingest_file_tables t JOIN ingest_files f USING (file_id)
		WHERE f.original_name = 'khao sat cuoi ky.csv' AND t.status = 'superseded'`); n != 1 {
		t.Errorf("the corrected file is not superseded")
	}

	// The first registration list sent again under its name, with one new
	// person only: it would remove three of the ward's four people. Refused
	// as suspicious; declared a replacement ("thay thế"), it is taken.
	send("dk.csv", reg+"Q-5,Hà,1,04/12/2020\n")
	out = ingest(exitData)
	if !strings.Contains(out, "REFUSED") || query(registered) != 4 {
		t.Fatalf("a silent shrink was not refused\n%s", out)
	}
	var refused string
	filepath.Walk(filepath.Join(ws, "data", "quarantine"), func(p string, _ os.FileInfo, _ error) error {
		if strings.HasSuffix(p, ".receipt.txt") {
			b, _ := os.ReadFile(p)
			refused += string(b)
		}
		return nil
	})
	if !strings.Contains(refused, "TỆP BỊ TRẢ LẠI") || !strings.Contains(refused, "làm mất 3 trong 4 dòng") {
		t.Errorf("the refusal's receipt:\n%s", refused)
	}
	send("dk thay the.csv", reg+"Q-5,Hà,1,04/12/2020\n")
	out = ingest(exitOK)
	if n := query(registered); n != 2 { // of the supplementary list, which the replacement did not name
		t.Errorf("after the declared replacement: %d registered, want 2\n%s", n, out)
	}
}
