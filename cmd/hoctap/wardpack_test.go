package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hoctap/hoctap/reports/wardpack"
)

// checkWardPacks reads the demo's wards' packs back: every version of every
// month has one per ward and language, listed in its manifest, of at most
// two pages; March's and July's hold each ward's figures as SQL counts them
// on the snapshot, beside the city's, the people close to the title with the
// indicator they lack, and the refused file's first error.
func checkWardPacks(t *testing.T, ws string) {
	t.Helper()
	out := filepath.Join(ws, "out/reports")
	rows := func(q string) [][]string {
		t.Helper()
		r := runHoctap(t, ws, "query", "--format", "csv", q)
		if r.code != exitOK {
			t.Fatalf("query %s: %s", q, r.stderr)
		}
		recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
		if err != nil || len(recs) == 0 {
			t.Fatalf("query %s: %v\n%s", q, err, r.stdout)
		}
		return recs[1:]
	}
	var wards []string
	for _, r := range rows("SELECT ward FROM cfg_wards ORDER BY ordinal") {
		wards = append(wards, r[0])
	}
	manifests, _ := filepath.Glob(filepath.Join(out, "*", "v*", "manifest.json"))
	if len(manifests) < 9 {
		t.Fatalf("%d report versions, want every month's", len(manifests))
	}
	packs := 0
	for _, path := range manifests {
		var m struct {
			Langs []string `json:"languages"`
			Files []struct{ Path string }
		}
		b, err := os.ReadFile(path)
		if err != nil || json.Unmarshal(b, &m) != nil {
			t.Fatalf("%s: %v", path, err)
		}
		listed := map[string]bool{}
		for _, f := range m.Files {
			listed[f.Path] = true
		}
		for _, w := range wards {
			for _, lang := range m.Langs {
				for _, ext := range []string{"pdf", "html"} {
					name := wardpack.File(w, lang, ext)
					if _, err := os.Stat(filepath.Join(filepath.Dir(path), name)); err != nil || !listed[name] {
						t.Errorf("%s: no pack %s listed (%v)", filepath.Dir(path), name, err)
					}
				}
				packs++
				if n := pdfPages(t, filepath.Join(filepath.Dir(path), wardpack.File(w, lang, "pdf"))); n > 2 {
					t.Errorf("%s %s: %d pages, want at most 2", filepath.Dir(path), wardpack.File(w, lang, "pdf"), n)
				}
			}
		}
	}
	if packs < 9*len(wards)*2 {
		t.Errorf("%d packs, want one per ward and language of every version", packs)
	}

	// Each ward's figures beside the city's, as SQL counts them on the
	// snapshot the version stands on (the latest for March's v2 and July's v1).
	figures := map[string][]string{}
	for _, r := range rows(`SELECT month, coalesce(ward, ''), registered, eligible FROM progress_monthly WHERE level IN ('ward', 'city') AND month IN ('2021-03', '2021-07')`) {
		figures[r[0]+"/"+r[1]] = r[2:]
	}
	for _, v := range []string{"2021-03/v2", "2021-07/v1"} {
		month := v[:7]
		city := figures[month+"/"]
		for _, w := range wards {
			ward := figures[month+"/"+w]
			if ward == nil || city == nil {
				t.Fatalf("no figures of %s for %s", w, month)
			}
			text := pdfLayout(t, filepath.Join(out, v, wardpack.File(w, "vi", "pdf")))
			for i, label := range []string{"Người đăng ký phấn đấu", "Người đủ điều kiện đề nghị công nhận"} {
				re := regexp.MustCompile(regexp.QuoteMeta(label) + `\S*\s+` + regexp.QuoteMeta(ward[i]) + `\b.*\s` + regexp.QuoteMeta(city[i]) + `\b`)
				if !re.MatchString(text) {
					t.Errorf("%s %s: the row %q does not show %s beside the city's %s:\n%s", v, w, label, ward[i], city[i], text)
				}
			}
			if n := ward[1]; n != "0" && !strings.Contains(text, "Đủ điều kiện đề nghị công nhận ("+n+" người)") {
				t.Errorf("%s %s: the list of the eligible does not say %s people", v, w, n)
			}
		}
	}

	// The people close to the title with an indicator below the minimum:
	// each one's pack names that indicator on the person's row.
	close := rows(`SELECT s.month, s.ward, c.citizen_id,
			(SELECT min(i) FROM range(1, len(a.scores) + 1) t(i) WHERE a.scores[i] < fw.min_per_indicator) AS indicator
		FROM citizen_status_monthly s JOIN citizens c USING (citizen_id) JOIN assessments a USING (assessment_id), cfg_framework fw
		WHERE s.month IN ('2021-03', '2021-07') AND s.status = 'not_yet' AND s.total >= fw.pass_total AND s.min_score < fw.min_per_indicator`)
	if len(close) == 0 {
		t.Fatal("the demo has nobody with the total reached and an indicator below the minimum in March or July: the test would check nothing")
	}
	checked := 0
	for _, c := range close {
		v := map[string]string{"2021-03": "2021-03/v2", "2021-07": "2021-07/v1"}[c[0]]
		for _, lang := range []string{"vi", "en"} {
			text := pdfLayout(t, filepath.Join(out, v, wardpack.File(c[1], lang, "pdf")))
			word := map[string]string{"vi": "chỉ số ", "en": "indicator "}[lang]
			line := ""
			for _, l := range strings.Split(text, "\n") {
				if strings.Contains(l, c[2]) {
					line = l
				}
			}
			if !strings.Contains(line, word+c[3]+" (") {
				t.Errorf("%s %s (%s): %s's row %q does not name %s%s", v, c[1], lang, c[2], line, word, c[3])
			}
			checked++
		}
	}

	// The refused file: its ward's March pack gives the first error of its
	// receipt, in each language.
	refused := rows(`SELECT f.ward, p.message_vi, p.message_en FROM ingest_files f JOIN ingest_problems p USING (file_id)
		WHERE f.status = 'refused' AND p.severity = 'error' AND strftime(coalesce(f.file_modified_at, f.received_at), '%Y-%m') = '2021-03'
		ORDER BY f.file_id, p.sheet, p.row_number, p.column_name LIMIT 1`)
	if len(refused) != 1 {
		t.Fatalf("the demo has no file refused in March")
	}
	for i, lang := range []string{"vi", "en"} {
		text := strings.Join(strings.Fields(pdfLayout(t, filepath.Join(out, "2021-03/v2", wardpack.File(refused[0][0], lang, "pdf")))), " ")
		if want := strings.TrimRight(refused[0][1+i], "."); !strings.Contains(text, want) {
			t.Errorf("the March pack of %s (%s) does not give the refused file's reason %q:\n%s", refused[0][0], lang, want, text)
		}
	}
	t.Logf("%d packs, %d rows of people close to the title checked", packs, checked)
}

// pdfPages is the page count of a PDF (pdfinfo).
func pdfPages(t *testing.T, path string) int {
	t.Helper()
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v (install poppler-utils)", path, err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo %s: no page count", path)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// pdfLayout is a PDF's text, laid out as on the page (pdftotext -layout):
// a table's row on one line.
func pdfLayout(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v (install poppler-utils)", path, err)
	}
	return string(out)
}
