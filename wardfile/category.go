package wardfile

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hoctap/hoctap/config"
)

// How a value that names a category is read: a target group, a round, a
// gender, a ward, a unit type, an activity kind, a review status. One
// mechanism for all of them, and it never guesses: a value is accepted only
// when exactly one category fits it; else it is refused, naming the
// candidates. A value that is not written as the category's name is read, and
// the receipt says how, once per distinct value ("'CBCCVC' đọc là nhóm 3").
//
// A value fits a category when, compared folded (case, diacritics,
// punctuation and spacing aside; for wards also a leading "xã", "phường",
// "P."), it is:
//
//   - its code, its number, its name, or a configured alias;
//   - "<word> <number>" with the list's word: "Nhóm 2", "Đợt 1";
//   - an abbreviation of the beginning of its name, of an alias, or of a part
//     of its name (the name split at commas and "và"), word by word, where a
//     word may be written whole or a run of words by their initials:
//     "CBCCVC", "ND", "LĐ tiểu thủ công", "Cán bộ, công chức, viên chức";
//     covering at least two words, or a whole name, alias or part (a ward's
//     name is never shortened: initials only, "Tân Phú" is not "Tân Phú Đông");
//   - parts joined by commas, "và", "/", "-" or ";" that each fit the same
//     category, and no other: "Nông dân, lao động nông thôn", "CB, CC, VC",
//     "Đợt 1 - Khảo sát thực trạng".

// catList is what one kind of cell may name.
type catList struct {
	what, whatEN string   // in messages: "nhóm đối tượng", "target group"
	words        []string // folded words that go before a number: "nhom", "dot"
	place        bool     // ward names: a leading kind is dropped, and a name is never shortened
	selfNamed    bool     // the labels say what they are: "nhóm 3 (…)", "xã Tân Phú Đông"
	lead         []string // folded words a value may start with, read past: "danh hiệu"
	entries      []catEntry
	index        map[string][]int // folded code, number, name or alias → entries
}

// catEntry is one category.
type catEntry struct {
	value          any    // what a cell naming it becomes
	label, labelEN string // how messages name it
	names          []string
	exact          []string   // written so, a value needs no note: the name, the code
	number         int        // 0 when it has none
	forms          [][]string // folded words of its names, aliases and name parts
}

// how says how a value was read; a note is made of every reading but exact.
type how uint8

const (
	readExact how = iota
	readSpelling
	readCode
	readNumber
	readAlias
	readAbbreviation
	readParts
)

func (l *catList) add(e catEntry, codes, names, aliases []string) {
	i := len(l.entries)
	put := func(s string) {
		if f := l.fold(s); f != "" && !slices.Contains(l.index[f], i) {
			l.index[f] = append(l.index[f], i)
		}
	}
	for _, n := range slices.Concat(codes, names, aliases) {
		put(n)
	}
	if e.number > 0 {
		put(strconv.Itoa(e.number))
	}
	e.names = names
	e.exact = append(slices.Clone(names), codes...)
	for _, n := range slices.Concat(names, aliases) {
		e.forms = append(e.forms, strings.Fields(l.fold(n)))
		for _, part := range splitParts(n) {
			if f := strings.Fields(l.fold(part)); len(f) > 0 {
				e.forms = append(e.forms, f)
			}
		}
	}
	l.entries = append(l.entries, e)
}

func (l *catList) fold(s string) string {
	if l.place {
		return config.FoldPlace(s)
	}
	f := config.Fold(s)
	for _, w := range l.lead {
		if rest, ok := strings.CutPrefix(f, w+" "); ok {
			return rest
		}
	}
	return f
}

// match reads s (cleaned): the entry it names and how, or the candidates when
// it fits none or several.
func (l *catList) match(s string) (entry int, h how, candidates []int) {
	if e, h, ok := l.whole(s); ok {
		return e, h, nil
	}
	if parts := splitParts(s); len(parts) > 1 {
		found := -1
		var all []int
		agree := true
		for _, p := range parts {
			e, _, ok := l.whole(p)
			if !ok {
				cands := l.abbreviated(strings.Fields(l.fold(p)))
				if len(cands) != 1 {
					agree = false
					all = append(all, cands...)
					continue
				}
				e = cands[0]
			}
			all = append(all, e)
			if found >= 0 && e != found {
				agree = false
			}
			found = e
		}
		if agree && found >= 0 {
			return found, readParts, nil
		}
		if !agree {
			slices.Sort(all)
			return -1, 0, slices.Compact(all)
		}
	}
	cands := l.abbreviated(strings.Fields(l.fold(s)))
	if len(cands) == 1 {
		return cands[0], readAbbreviation, nil
	}
	return -1, 0, cands
}

// whole reads s as a whole: a code, number, name or alias, or "<word> <n>".
func (l *catList) whole(s string) (int, how, bool) {
	f := l.fold(s)
	if f == "" {
		return -1, 0, false
	}
	if es := l.index[f]; len(es) == 1 {
		e := &l.entries[es[0]]
		for _, x := range e.exact {
			if strings.EqualFold(config.NFC(x), s) {
				return es[0], readExact, true
			}
		}
		switch {
		case e.number > 0 && f == strconv.Itoa(e.number):
			return es[0], readNumber, true
		case slices.ContainsFunc(e.exact, func(x string) bool { return l.fold(x) == f }):
			return es[0], readSpelling, true
		}
		return es[0], readAlias, true
	}
	w := strings.Fields(f)
	if len(w) >= 2 {
		if n, err := strconv.Atoi(w[len(w)-1]); err == nil && slices.Contains(l.words, strings.Join(w[:len(w)-1], " ")) {
			for i, e := range l.entries {
				if e.number == n {
					return i, readNumber, true
				}
			}
		}
	}
	return -1, 0, false
}

// abbreviated lists the entries one of whose forms the words abbreviate.
func (l *catList) abbreviated(words []string) []int {
	if len(words) == 0 {
		return nil
	}
	var out []int
	for i, e := range l.entries {
		for _, f := range e.forms {
			if abbreviates(words, f, l.place) {
				out = append(out, i)
				break
			}
		}
	}
	return out
}

// abbreviates reports whether words write the beginning of form, each word
// either a word of it or the initials of a run of at least two of its words,
// covering at least two words or all of form (all of it when whole: a place's
// name is never shortened, "Tân Phú" is not "Tân Phú Đông").
func abbreviates(words, form []string, whole bool) bool {
	if len(words) > len(form) {
		return false // each word covers at least one word of the form
	}
	// failed[w][f]: words[w:] cannot write form[f:]; each state is tried once
	failed := make([]bool, (len(words)+1)*(len(form)+1))
	var walk func(w, f int) bool
	walk = func(w, f int) bool {
		if w == len(words) {
			return f == len(form) || (f >= 2 && !whole)
		}
		if f == len(form) || failed[w*(len(form)+1)+f] {
			return false
		}
		if words[w] == form[f] && walk(w+1, f+1) {
			return true
		}
		if ini := words[w]; len(ini) >= 2 && len(ini) <= len(form)-f && letters(ini) {
			match := true
			for k := 0; k < len(ini); k++ {
				if form[f+k][0] != ini[k] {
					match = false
					break
				}
			}
			if match && walk(w+1, f+len(ini)) {
				return true
			}
		}
		failed[w*(len(form)+1)+f] = true
		return false
	}
	return walk(0, 0)
}

func letters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// splitParts splits a value at commas, semicolons, slashes, " - " and "và".
func splitParts(s string) []string {
	f := func(r rune) bool { return r == ',' || r == ';' || r == '/' || r == '+' || r == '&' }
	var out []string
	for _, p := range strings.FieldsFunc(s, f) {
		for _, q := range splitWords(p, []string{" - ", " – ", " — "}) {
			for _, r := range splitFolded(q, "va") {
				if r = strings.TrimSpace(r); r != "" {
					out = append(out, r)
				}
			}
		}
	}
	return out
}

func splitWords(s string, seps []string) []string {
	parts := []string{s}
	for _, sep := range seps {
		var next []string
		for _, p := range parts {
			next = append(next, strings.Split(p, sep)...)
		}
		parts = next
	}
	return parts
}

// splitFolded splits s at the words that fold to word ("và").
func splitFolded(s, word string) []string {
	fields := strings.Fields(s)
	var out []string
	start := 0
	for i, w := range fields {
		if config.Fold(w) == word && i > start {
			out = append(out, strings.Join(fields[start:i], " "))
			start = i + 1
		}
	}
	return append(out, strings.Join(fields[start:], " "))
}

// describe names an entry in a sentence: "nhóm 3 (…)", "xã Tân Phú Đông",
// "loại đơn vị “trường tiểu học”".
func (l *catList) describe(e catEntry, en bool) string {
	label, what := e.label, l.what
	if en {
		label, what = e.labelEN, l.whatEN
	}
	if l.selfNamed || l.place {
		return label
	}
	return what + " “" + label + "”"
}

// names lists the entries' labels for a message: "1 (…), 2 (…)"; cands, when
// given, only those.
func (l *catList) names(en bool, cands []int) string {
	var out []string
	for i, e := range l.entries {
		if cands != nil && !slices.Contains(cands, i) {
			continue
		}
		if en {
			out = append(out, e.labelEN)
		} else {
			out = append(out, e.label)
		}
	}
	return strings.Join(out, "; ")
}

// catLists are the lists of a configuration, by column type.
type catLists map[config.ColumnType]*catList

func newCatLists(cfg *config.Config) catLists {
	ls := catLists{}
	mk := func(t config.ColumnType, what, whatEN string, place bool, words ...string) *catList {
		l := &catList{what: what, whatEN: whatEN, words: words, place: place, index: map[string][]int{}}
		ls[t] = l
		return l
	}
	g := mk(config.TypeGroup, "nhóm đối tượng", "target group", false, "nhom", "nhom doi tuong", "doi tuong", "nhom so")
	g.selfNamed = true
	for _, x := range cfg.Groups {
		en := x.NameEN
		if en == "" {
			en = x.Name
		}
		g.add(catEntry{value: int64(x.ID), number: x.ID, label: fmt.Sprintf("nhóm %d (%s)", x.ID, x.Name), labelEN: fmt.Sprintf("group %d (%s)", x.ID, en)},
			[]string{x.Code}, []string{x.Name, x.NameEN}, x.Aliases)
	}
	r := mk(config.TypeRound, "đợt", "round", false, "dot", "dot danh gia", "dot khao sat", "lan", "vong")
	for i, x := range cfg.Rounds {
		en := x.NameEN
		if en == "" {
			en = x.Name
		}
		r.add(catEntry{value: x.Code, number: i + 1, label: x.Name, labelEN: en},
			[]string{x.Code}, []string{x.Name, x.NameEN}, x.Aliases)
	}
	w := mk(config.TypeWard, "xã/phường", "ward", true)
	for _, x := range cfg.Wards {
		w.add(catEntry{value: x.Code, label: x.Kind + " " + x.Name, labelEN: x.Name},
			slices.DeleteFunc([]string{x.Code, x.OfficialCode}, func(s string) bool { return s == "" }), []string{x.Name, x.NameEN, x.Kind + " " + x.Name}, x.Variants)
	}
	sex := mk(config.TypeGender, "giới tính", "gender", false)
	sex.add(catEntry{value: "Nam", label: "Nam", labelEN: "Nam (male)"}, nil, []string{"Nam"}, []string{"nam giới", "m", "male", "man", "trai", "con trai", "ông"})
	sex.add(catEntry{value: "Nữ", label: "Nữ", labelEN: "Nữ (female)"}, nil, []string{"Nữ"}, []string{"nữ giới", "f", "female", "woman", "gái", "con gái", "phụ nữ", "bà"})
	for _, c := range []struct {
		t            config.ColumnType
		list         []config.Category
		what, whatEN string
	}{
		{config.TypeUnitType, cfg.UnitTypes, "loại đơn vị", "unit type"},
		{config.TypeActivityKind, cfg.ActivityKinds, "loại hoạt động", "activity kind"},
	} {
		l := mk(c.t, c.what, c.whatEN, false, "loai")
		for _, x := range c.list {
			en := x.NameEN
			if en == "" {
				en = x.Name
			}
			l.add(catEntry{value: x.Name, label: x.Name, labelEN: en}, []string{x.Code}, []string{x.Name}, x.Aliases)
		}
	}
	tl := mk(config.TypeTitle, "danh hiệu", "title", false)
	tl.lead = []string{"danh hieu"}
	tl.add(catEntry{value: config.TitleCitizen, label: cfg.Citizen.Name, labelEN: "learning citizen"}, []string{config.TitleCitizen},
		[]string{cfg.Citizen.Name, cfg.Citizen.NameEN}, []string{"cá nhân", "learning citizen"})
	tl.add(catEntry{value: config.TitleUnit, label: cfg.UnitScheme.Name, labelEN: "learning unit"}, []string{config.TitleUnit},
		[]string{cfg.UnitScheme.Name}, []string{"đơn vị", "learning unit"})
	if f, ok := cfg.Framework(config.FrameworkFamily); ok {
		tl.add(catEntry{value: config.TitleFamily, label: f.Name, labelEN: "learning family"}, []string{config.TitleFamily},
			[]string{f.Name, f.NameEN}, []string{"hộ gia đình", "learning family"})
	}
	// A yes/no criterion: 1 when met, 0 when not (a DOUBLE, as the points criteria are).
	yn := mk(config.TypeYesNo, "kết quả", "result", false)
	yn.add(catEntry{value: float64(1), label: "Đạt", labelEN: "Đạt (met)"}, []string{"1"}, []string{"Đạt", "Có"}, []string{"x", "yes", "met", "đạt chuẩn"})
	yn.add(catEntry{value: float64(0), label: "Không đạt", labelEN: "Không đạt (not met)"}, []string{"0"}, []string{"Không đạt", "Không", "Chưa đạt"}, []string{"no", "not met"})
	rs := mk(config.TypeReviewStatus, "trạng thái duyệt", "review status", false)
	rs.add(catEntry{value: config.ReviewApproved, label: "đã duyệt", labelEN: "approved"}, []string{"validation_status_approved", config.ReviewApproved},
		[]string{"Đã duyệt", "Approved"}, []string{"duyệt", "đạt", "đã thẩm định", "validated"})
	rs.add(catEntry{value: config.ReviewNotApproved, label: "không duyệt", labelEN: "not approved"}, []string{"validation_status_not_approved", config.ReviewNotApproved},
		[]string{"Không duyệt", "Not approved"}, []string{"không đạt", "từ chối", "rejected"})
	rs.add(catEntry{value: config.ReviewOnHold, label: "chờ duyệt", labelEN: "on hold"}, []string{"validation_status_on_hold", config.ReviewOnHold},
		[]string{"Chờ duyệt", "On hold"}, []string{"đang xem xét", "tạm giữ"})
	return ls
}
