package ingest

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hoctap/hoctap/wardfile"
)

// A ward's household assessments load one raw row per criterion; a file with
// a bad cell is refused whole, naming the row, column and value; a decision
// may recognise only a household that was assessed.
func TestFamilyFiles(t *testing.T) {
	cfg, db := workspace(t)
	ctx := context.Background()
	dir := filepath.Join(cfg.Paths.Inbox, "tan-quy-dong")
	os.MkdirAll(dir, 0o755)
	put := func(name, body string) {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		os.Chtimes(p, runAt.Add(-time.Hour), runAt.Add(-time.Hour))
	}
	head := "Mã hộ,Họ tên chủ hộ,Xã/phường,Tổ dân phố,Số nhân khẩu,Ngày đánh giá,TC1,TC2,TC3,TC4\n"
	put("gd_loi.csv", head+
		"TQD-H01,Nguyễn Văn Tâm,Tân Quy Đông,Khóm 1,4,15/06/2021,28,27,18,17\n"+
		"TQD-H02,Lê Thị Mai,Tân Quy Đông,Khóm 2,5,16/06/2021,31,22,12,10\n") // 3: TC1 above its 30
	outs, err := (&Loader{DB: db, Cfg: cfg, Now: runAt}).Inbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 1 || outs[0].Status != StatusRefused {
		t.Fatalf("outcomes %+v", outs)
	}
	var got []string
	for _, p := range outs[0].Result.Problems {
		if p.Severity == wardfile.SevError {
			got = append(got, itoa(p.Row)+" "+p.Column+" "+p.Value)
		}
	}
	if g := strings.Join(got, "; "); g != `3 "TC1" (G) 31` {
		t.Errorf("problems: %s", g)
	}
	if n := count(t, db, "SELECT count(*) FROM raw_family_assessments"); n != 0 {
		t.Errorf("%d rows loaded from a refused file", n)
	}

	put("gd.csv", head+
		"tqd-h01,Nguyễn Văn Tâm,Tân Quy Đông,Khóm 1,4,15/06/2021,28,27,18,17\n"+
		"TQD-H02,Lê Thị Mai,P. Tân Qui Đông,Khóm 2,5,16/06/2021,20,22,12,\n")
	dhead := "Số quyết định,Ngày,Cơ quan ban hành,Danh hiệu,Mã hộ,Họ và tên,Xã/phường\n"
	put("qd_gd.csv", dhead+
		"127/QĐ-UBND,16/07/2021,UBND thành phố Sa Đéc,Gia đình học tập,TQD-H01,Nguyễn Văn Tâm,Tân Quy Đông\n"+
		"127/QĐ-UBND,16/07/2021,UBND thành phố Sa Đéc,Gia đình học tập,TQD-H09,Võ Văn Ba,Tân Quy Đông\n"+ // 3: never assessed
		"127/QĐ-UBND,16/07/2021,UBND thành phố Sa Đéc,Gia đình học tập,,Lê Thị Mai,Tân Quy Đông\n") // 4: no household code
	outs, err = (&Loader{DB: db, Cfg: cfg, Now: runAt}).Inbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Outcome{}
	for _, o := range outs {
		byName[filepath.Base(o.Path)] = o
	}
	if o := byName["gd.csv"]; o.Status != StatusLoaded || !slices.Equal(o.Datasets, []string{"family_assessments"}) || o.Rows != 2 {
		t.Fatalf("gd.csv: %+v", o)
	}
	var raw []string
	if err := db.SelectContext(ctx, &raw, `SELECT household_code || ' ' || criterion || ' ' || coalesce(CAST(result AS VARCHAR), '-') || ' ' || record_key
		FROM raw_family_assessments ORDER BY 1`); err != nil {
		t.Fatal(err)
	}
	want := "TQD-H01 TC1 28.0 TQD-H01/2021-06-15|TQD-H01 TC2 27.0 TQD-H01/2021-06-15|TQD-H01 TC3 18.0 TQD-H01/2021-06-15|TQD-H01 TC4 17.0 TQD-H01/2021-06-15|" +
		"TQD-H02 TC1 20.0 TQD-H02/2021-06-16|TQD-H02 TC2 22.0 TQD-H02/2021-06-16|TQD-H02 TC3 12.0 TQD-H02/2021-06-16|TQD-H02 TC4 - TQD-H02/2021-06-16"
	if g := strings.Join(raw, "|"); g != want {
		t.Errorf("raw rows:\n got %s\nwant %s", g, want)
	}
	o := byName["qd_gd.csv"]
	got = nil
	for _, p := range o.Result.Problems {
		if p.Severity == wardfile.SevError {
			got = append(got, itoa(p.Row)+" "+p.Column+" "+p.Value+" "+p.Code)
		}
	}
	slices.Sort(got)
	if g := strings.Join(got, "; "); o.Status != StatusRefused || g != `3 "Mã hộ" (E) TQD-H09 unregistered_household; 4 "Mã hộ" (E)  missing_subject` {
		t.Errorf("qd_gd.csv: %s, problems %s", o.Status, g)
	}
}
