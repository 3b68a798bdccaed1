package wardfile

import (
	"strings"
	"testing"

	"github.com/hoctap/hoctap/config"
)

// Every way people write a category, class by class, on the pilot's lists and
// on lists the corpus does not have (a fourth group, other unit types): the
// mechanism is general, never a table of the corpus's spellings.
func TestCategorySpellings(t *testing.T) {
	cfg := pilotCfg(t)
	cfg.Groups = append(cfg.Groups, config.TargetGroup{ID: 4, Code: "hoc-vien", Name: "Học viên các trung tâm học tập cộng đồng", NameEN: "Community learning centre learners"})
	cfg.Groups[2].Aliases = []string{"cán bộ"} // initials are read without an alias
	cfg.Groups[1].Code = "g2"
	ls := newCatLists(cfg)
	for _, tc := range []struct {
		class string
		t     config.ColumnType
		in    string
		want  any // nil: refused
		how   how
		cands int // refused: how many candidates it names
	}{
		{"name", config.TypeGroup, "Nông dân và lao động nông thôn", int64(1), readExact, 0},
		{"name, other case", config.TypeGroup, "NÔNG DÂN VÀ LAO ĐỘNG NÔNG THÔN", int64(1), readExact, 0},
		{"name without diacritics", config.TypeGroup, "nong dan va lao dong nong thon", int64(1), readSpelling, 0},
		{"number", config.TypeGroup, "2", int64(2), readNumber, 0},
		{"word and number", config.TypeGroup, "Nhóm 2", int64(2), readNumber, 0},
		{"word and number", config.TypeGroup, "nhóm số 3", int64(3), readNumber, 0},
		{"code", config.TypeGroup, "can-bo", int64(3), readExact, 0},
		{"alias", config.TypeGroup, "Công nhân", int64(2), readAlias, 0},
		{"initials", config.TypeGroup, "CBCCVC", int64(3), readAbbreviation, 0},
		{"initials", config.TypeGroup, "ND", int64(1), readAbbreviation, 0},
		{"initials of another list's name", config.TypeGroup, "HVCTT", int64(4), readAbbreviation, 0},
		{"prefix of the name", config.TypeGroup, "Cán bộ, công chức, viên chức", int64(3), readParts, 0},
		{"prefix of the name", config.TypeGroup, "Cán bộ công chức", int64(3), readAbbreviation, 0},
		{"prefix of the name", config.TypeGroup, "Học viên các trung tâm", int64(4), readAbbreviation, 0},
		{"initials and words", config.TypeGroup, "LĐ tiểu thủ công", int64(2), readAbbreviation, 0},
		{"part of the name", config.TypeGroup, "Thợ sửa chữa", int64(2), readAlias, 0},
		{"composite", config.TypeGroup, "Nông dân, lao động nông thôn", int64(1), readParts, 0},
		{"composite of initials", config.TypeGroup, "CB, CC, VC", int64(3), readParts, 0},
		{"composite with và", config.TypeGroup, "Công nhân và thợ sửa chữa", int64(2), readParts, 0},
		{"composite of two groups", config.TypeGroup, "Nông dân, công nhân", nil, 0, 2},
		{"ambiguous word", config.TypeGroup, "Lao động", nil, 0, 2},
		{"ambiguous initials", config.TypeGroup, "LĐ", nil, 0, 2},
		{"unknown", config.TypeGroup, "Học sinh", nil, 0, 0},
		{"unknown number", config.TypeGroup, "5", nil, 0, 0},
		{"one word is not an abbreviation", config.TypeGroup, "Cán", nil, 0, 0},
		{"round: number and name", config.TypeRound, "Đợt 1 - Khảo sát thực trạng", "baseline", readParts, 0},
		{"round: number and another name", config.TypeRound, "Đợt 1 - Cuối kỳ", nil, 0, 2},
		{"round: Kobo choice name", config.TypeRound, "khao_sat_thuc_trang", "baseline", readSpelling, 0},
		{"round: Kobo choice name", config.TypeRound, "cuoi_ky", "final", readSpelling, 0},
		{"round: code", config.TypeRound, "mid", "mid", readExact, 0},
		{"ward: kind and variant", config.TypeWard, "P. Tân Qui Đông", "tan-quy-dong", readAlias, 0},
		{"ward: upper case, no diacritics", config.TypeWard, "TAN QUY DONG", "tan-quy-dong", readSpelling, 0},
		{"ward: never shortened", config.TypeWard, "Tân Phú", nil, 0, 0},
		{"ward: two wards", config.TypeWard, "Tân Quy", nil, 0, 0},
		{"gender", config.TypeGender, "NỮ", "Nữ", readExact, 0},
		{"gender alias", config.TypeGender, "nữ giới", "Nữ", readAlias, 0},
		{"unit type", config.TypeUnitType, "Trường Tiểu học", "trường tiểu học", readExact, 0},
		{"unit type alias", config.TypeUnitType, "UBND phường", "UBND xã/phường", readAlias, 0},
		{"unit type part of the name", config.TypeUnitType, "UBND xã", "UBND xã/phường", readAlias, 0},
		{"unit type initials", config.TypeUnitType, "THCS", "trường trung học cơ sở", readAlias, 0},
		{"activity kind abbreviation", config.TypeActivityKind, "SH câu lạc bộ", "sinh hoạt câu lạc bộ", readAbbreviation, 0},
		{"activity kind", config.TypeActivityKind, "Hội nghị tổng kết", "hội nghị", readAlias, 0},
		{"review status: Kobo label", config.TypeReviewStatus, "Approved", config.ReviewApproved, readExact, 0},
		{"review status: Kobo name", config.TypeReviewStatus, "validation_status_not_approved", config.ReviewNotApproved, readExact, 0},
	} {
		l := ls[tc.t]
		e, h, cands := l.match(tc.in)
		switch {
		case tc.want == nil && e >= 0:
			t.Errorf("%s: %q read as %v, want refused", tc.class, tc.in, l.entries[e].value)
		case tc.want == nil && len(cands) != tc.cands:
			t.Errorf("%s: %q refused naming %d candidates, want %d", tc.class, tc.in, len(cands), tc.cands)
		case tc.want != nil && e < 0:
			t.Errorf("%s: %q refused (candidates %v), want %v", tc.class, tc.in, cands, tc.want)
		case tc.want != nil && (l.entries[e].value != tc.want || h != tc.how):
			t.Errorf("%s: %q read as %v (how %d), want %v (how %d)", tc.class, tc.in, l.entries[e].value, h, tc.want, tc.how)
		}
	}
}

// A file: every reading that is not the exact name is said once per distinct
// value, with its rows; an ambiguous value is refused naming its candidates.
func TestCategoryNotes(t *testing.T) {
	cfg := pilotCfg(t)
	head := "Mã công dân,Họ và tên,Nhóm đối tượng,Xã/phường,Ngày đăng ký\n"
	body := "A1,An,CBCCVC,Tân Phú Đông,08/12/2020\nA2,Bình,Nông dân và lao động nông thôn,Tân Phú Đông,08/12/2020\n" +
		"A3,Chi,CBCCVC,Tân Phú Đông,08/12/2020\nA4,Dũng,CBCCVC,Tân Phú Đông,08/12/2020\n"
	g := readData(t, cfg, "c.csv", []byte(head+body), Hint{})
	checkMessages(t, g.res.Problems)
	if g.res.Errors() != 0 || len(g.rows) != 4 || g.rows[0]["target_group"] != int64(3) {
		t.Fatalf("rows %v problems %v", g.rows, g.res.Problems)
	}
	var notes []Problem
	for _, p := range g.res.Problems {
		if p.Severity == SevNote {
			notes = append(notes, p)
		}
	}
	if len(notes) != 1 || notes[0].Value != "CBCCVC" || notes[0].RowCount != 3 || len(notes[0].Rows) != 3 || notes[0].Rows[2] != 5 ||
		!strings.Contains(notes[0].VI, "nhóm 3 (Cán bộ, công chức, viên chức từ cấp xã trở lên)") || g.res.Warnings() != 0 {
		t.Errorf("notes %+v", notes)
	}
	g = readData(t, cfg, "c.csv", []byte(head+"A1,An,Lao động,Tân Phú Đông,08/12/2020\n"), Hint{})
	p, ok := g.problem("ambiguous_group")
	if !ok || !strings.Contains(p.VI, "nhóm 1 (Nông dân và lao động nông thôn) hay nhóm 2 (Công nhân, lao động tiểu thủ công, thợ sửa chữa)") {
		t.Errorf("problems %v", g.res.Problems)
	}
}
