package wardfile

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hoctap/hoctap/config"
)

// How a header is understood: the way values are (category.go), with what
// form tools and office tables add.
//
//   - The whole header, folded, is a column's key, Vietnamese or English
//     header, a configured synonym or a built-in alias; or its part before a
//     note: "Năm sinh (yyyy)", "Chỉ số 1 - Đọc sách".
//   - A form tool's group prefix ("Điểm tự đánh giá/Chỉ số 1", KoboToolbox)
//     or a grid question ("Điểm tự đánh giá [Chỉ số 1]", Google Forms): the
//     label is read, the group qualifies it.
//   - Numbered columns ("Chỉ số" 1…10, "Thẩm định" 1…10): "Chỉ số 3", "CS3",
//     "TĐ 3", or a bare "3" under a group header that names the family
//     ("ĐIỂM TỰ ĐÁNH GIÁ" over 1 … 10, two header rows); a question's text
//     that starts with its number ("3. Dành thời gian …") or with the
//     indicator's wording.
//   - An abbreviation of a column's header, word by word: "Mã CD", "Ngày ĐG".
//   - A form tool's own columns (KoboToolbox's start, end, _id, _uuid …;
//     Google Forms' e-mail address) are known and ignored without a word.

// colRef is a column of a dataset.
type colRef struct {
	dataset int // index in cfg.Datasets()
	column  int
}

// headerHow says how a header was understood: notes are made of all but exact.
type headerHow uint8

const (
	headerExact    headerHow = iota
	headerGroup              // a form tool's group prefix or a group header above
	headerNumbered           // a numbered column written otherwise ("CS3", "TĐ 3")
	headerQuestion           // a question's text, by its number or wording
	headerAbbreviated
)

// vocabulary is what headers may say, for every dataset.
type vocabulary struct {
	exact    map[string][]colRef // keys, headers and configured synonyms
	aliases  map[string][]colRef // built-in aliases: a configured synonym wins over them
	forms    []headerForm
	families []family
}

type headerForm struct {
	words []string
	ref   colRef
}

// family is a dataset's numbered columns: "Chỉ số" 1…10.
type family struct {
	dataset int
	prefix  []string           // folded words: chi so
	quals   [][]string         // folded words of group headers that mean it
	cols    map[int]int        // number → column
	wording map[int][][]string // number → folded words of the indicator's name and wordings
	first   bool               // the dataset's first family: a question's text is of it
}

var numbered = regexp.MustCompile(`^(.*?\D)\s*(\d{1,3})$`)

func newVocabulary(cfg *config.Config, datasets []config.Dataset) *vocabulary {
	v := &vocabulary{exact: map[string][]colRef{}, aliases: map[string][]colRef{}}
	into := func(m map[string][]colRef) func(string, colRef) {
		return func(name string, ref colRef) {
			f := config.Fold(name)
			if f == "" {
				return
			}
			if !slices.Contains(m[f], ref) {
				m[f] = append(m[f], ref)
			}
			v.forms = append(v.forms, headerForm{strings.Fields(f), ref})
		}
	}
	add, alias := into(v.exact), into(v.aliases)
	for di, d := range datasets {
		fams := map[string]*family{}
		var order []string
		for ci, c := range d.Columns {
			ref := colRef{di, ci}
			add(c.Key, ref)
			add(c.Header, ref)
			add(c.HeaderEN, ref)
			for _, s := range cfg.Ingest.HeaderSynonyms[d.Name][c.Key] {
				add(s, ref)
			}
			for _, s := range d.Aliases[c.Key] {
				alias(s, ref)
			}
			if m := numbered.FindStringSubmatch(c.Header); m != nil {
				n, _ := strconv.Atoi(m[2])
				p := config.Fold(m[1])
				f := fams[p]
				if f == nil {
					f = &family{dataset: di, prefix: strings.Fields(p), cols: map[int]int{}, wording: map[int][][]string{}, first: len(order) == 0}
					for _, q := range append([]string{m[1]}, d.Qualifiers[strings.TrimSpace(m[1])]...) {
						f.quals = append(f.quals, strings.Fields(config.Fold(q)))
					}
					fams[p] = f
					order = append(order, p)
				}
				f.cols[n] = ci
				if d.Name == config.DatasetCitizenAssessments {
					for _, ind := range cfg.Citizen.Indicators {
						if ind.Number == n {
							f.wording[n] = append(f.wording[n], strings.Fields(config.Fold(ind.Name)))
							for _, w := range ind.Wording {
								f.wording[n] = append(f.wording[n], strings.Fields(config.Fold(w)))
							}
						}
					}
				}
			}
		}
		for _, p := range order {
			v.families = append(v.families, *fams[p])
		}
	}
	return v
}

// headerCell is one cell of a header: its text, and the group that qualifies
// it (a form tool's group, or the group header above), if any.
type headerCell struct {
	text, folded string
	group        string // "" when none
	explicit     bool   // the group is the cell's own prefix, not a header above
}

// lookup finds what a header may mean, and how it was understood.
func (v *vocabulary) lookup(h headerCell) ([]colRef, headerHow) {
	refs, ok := v.exact[h.folded]
	if !ok {
		refs, ok = v.aliases[h.folded]
	}
	if ok {
		if h.group != "" && h.explicit {
			if qualified := v.qualified(h, refs); qualified != nil {
				return qualified, headerGroup
			}
			return refs, headerGroup
		}
		return refs, headerExact
	}
	if st := stem(h.text); st != "" {
		if refs, ok := v.exact[st]; ok {
			return refs, headerExact
		}
		if refs, ok := v.aliases[st]; ok {
			return refs, headerExact
		}
	}
	if h.group == "" {
		if group, label, ok := splitGroup(h.text); ok {
			inner := headerCell{text: label, folded: config.Fold(label), group: group, explicit: true}
			if refs, how := v.lookup(inner); len(refs) > 0 {
				if how == headerExact {
					how = headerGroup
				}
				return refs, how
			}
		}
	}
	if refs, how := v.numbered(h); len(refs) > 0 {
		return refs, how
	}
	words := strings.Fields(h.folded)
	refs = nil
	for _, f := range v.forms {
		if abbreviates(words, f.words, true) && !slices.Contains(refs, f.ref) {
			refs = append(refs, f.ref)
		}
	}
	if len(refs) > 0 {
		return refs, headerAbbreviated
	}
	return nil, headerExact
}

// qualified moves refs of a numbered family to the family the explicit group
// names: "Điểm thẩm định/Chỉ số 3" is the reviewed score 3.
func (v *vocabulary) qualified(h headerCell, refs []colRef) []colRef {
	var out []colRef
	for _, r := range refs {
		fam, n := v.familyOf(r)
		if fam == nil {
			return nil
		}
		q := v.qualifierFamily(fam.dataset, h.group)
		if q == nil {
			return nil
		}
		c, ok := q.cols[n]
		if !ok {
			return nil
		}
		out = append(out, colRef{fam.dataset, c})
	}
	return out
}

func (v *vocabulary) familyOf(r colRef) (*family, int) {
	for i := range v.families {
		f := &v.families[i]
		if f.dataset != r.dataset {
			continue
		}
		for n, c := range f.cols {
			if c == r.column {
				return f, n
			}
		}
	}
	return nil, 0
}

// qualifierFamily is the family of dataset ds that a group header names.
func (v *vocabulary) qualifierFamily(ds int, group string) *family {
	g := strings.Fields(config.Fold(group))
	var found *family
	for i := range v.families {
		f := &v.families[i]
		if f.dataset != ds {
			continue
		}
		for _, q := range f.quals {
			if containsWords(g, q) {
				if found != nil && found != f {
					return nil
				}
				found = f
			}
		}
	}
	return found
}

// numbered reads a header as a numbered column: "Chỉ số 3", "CS3", "TĐ 3", a
// bare number under a group header, or a question's text.
func (v *vocabulary) numbered(h headerCell) ([]colRef, headerHow) {
	var refs []colRef
	add := func(f *family, n int) {
		if c, ok := f.cols[n]; ok && !slices.Contains(refs, colRef{f.dataset, c}) {
			refs = append(refs, colRef{f.dataset, c})
		}
	}
	words := strings.Fields(h.folded)
	if len(words) == 0 {
		return nil, 0
	}
	// "3. Dành thời gian …": a question's text with its number. A numbered
	// question that names a column is that column ("1. Họ và tên").
	if m := questionNumber.FindStringSubmatch(h.text); m != nil {
		rest := m[2]
		if r, how := v.lookup(headerCell{text: rest, folded: config.Fold(rest), group: h.group, explicit: h.explicit}); len(r) > 0 {
			return r, how
		}
		n, _ := strconv.Atoi(m[1])
		restWords := strings.Fields(config.Fold(rest))
		for i := range v.families {
			f := &v.families[i]
			if len(f.wording) == 0 {
				continue
			}
			if h.group != "" {
				if q := v.qualifierFamily(f.dataset, h.group); q != nil && q != f {
					continue
				}
			} else if !f.first {
				continue
			}
			other := false
			for m, ws := range f.wording {
				if m != n && matchesWording(restWords, ws) {
					other = true // the number says one indicator, the wording another
				}
			}
			if !other {
				add(f, n)
			}
		}
		if len(refs) > 0 {
			return refs, headerQuestion
		}
	}
	// a question's text by the indicator's wording alone
	for i := range v.families {
		f := &v.families[i]
		if !f.first || len(words) < 3 {
			continue
		}
		for n, ws := range f.wording {
			if matchesWording(words, ws) {
				add(f, n)
			}
		}
	}
	if len(refs) == 1 {
		return refs, headerQuestion
	}
	refs = nil
	prefix, n, ok := splitNumber(words)
	if !ok {
		return nil, 0
	}
	for i := range v.families {
		f := &v.families[i]
		switch {
		case len(prefix) == 0:
			// a bare number: only under a group header that names the family
			if h.group != "" && v.qualifierFamily(f.dataset, h.group) == f {
				add(f, n)
			}
		case abbreviates(prefix, f.prefix, true) || slices.Equal(prefix, f.prefix):
			add(f, n)
		}
	}
	return refs, headerNumbered
}

var questionNumber = regexp.MustCompile(`^\s*(?:[Cc]âu\s*)?(\d{1,3})\s*[.):]\s*(.+)$`)

// splitNumber splits "chi so 3", "cs3", "td 3", "3" into its words and number.
func splitNumber(words []string) ([]string, int, bool) {
	last := words[len(words)-1]
	i := len(last)
	for i > 0 && last[i-1] >= '0' && last[i-1] <= '9' {
		i--
	}
	if i == len(last) || len(last)-i > 3 {
		return nil, 0, false
	}
	n, _ := strconv.Atoi(last[i:])
	prefix := slices.Clone(words[:len(words)-1])
	if i > 0 {
		prefix = append(prefix, last[:i])
	}
	return prefix, n, true
}

// matchesWording reports words that begin with (at least five words of) a
// wording, or are a whole one.
func matchesWording(words []string, wordings [][]string) bool {
	for _, w := range wordings {
		k := min(len(w), 5)
		if len(words) >= k && slices.Equal(words[:k], w[:k]) {
			return true
		}
	}
	return false
}

// containsWords reports whether words holds sub as a run.
func containsWords(words, sub []string) bool {
	if len(sub) == 0 {
		return false
	}
	for i := 0; i+len(sub) <= len(words); i++ {
		if slices.Equal(words[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// splitGroup splits a form tool's header: "Group/Label" (KoboToolbox, the
// last part is the label) or "Question [Row]" (a Google Forms grid).
func splitGroup(h string) (group, label string, ok bool) {
	if i := strings.LastIndexByte(h, '/'); i > 0 && i < len(h)-1 {
		return strings.TrimSpace(h[:i]), strings.TrimSpace(h[i+1:]), true
	}
	if i := strings.IndexByte(h, '['); i > 0 && strings.HasSuffix(h, "]") {
		return strings.TrimSpace(h[:i]), strings.TrimSpace(h[i+1 : len(h)-1]), true
	}
	return "", "", false
}

// formToolColumn reports a column a form tool adds to every export, which is
// no dataset's: KoboToolbox's metadata, a respondent's e-mail address.
func formToolColumn(folded, text string) bool {
	if strings.HasPrefix(strings.TrimSpace(text), "_") {
		return true
	}
	if i := strings.LastIndexByte(text, '/'); i >= 0 && strings.HasPrefix(strings.TrimSpace(text[i+1:]), "_") {
		return true
	}
	switch folded {
	case "start", "end", "today", "deviceid", "username", "simserial", "subscriberid", "phonenumber", "audit", "meta instanceid",
		"formhub uuid", "meta instancename", "meta rootuuid", "meta deprecatedid",
		"dia chi email", "email address", "email", "ten nguoi dung", "diem", "score", "total score":
		return true
	}
	return false
}
