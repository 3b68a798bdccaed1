package sample

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Vietnamese names: family name (họ), middle name (tên đệm) and given name
// (tên). The middle name follows the person's gender: "Thị" is a woman's,
// "Văn" a man's.
var (
	familyNames = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Phan", "Trương", "Châu"}
	maleMiddle  = []string{"Văn", "Văn", "Minh", "Hoàng", "Quốc", "Thanh", "Hữu", "Công", "Đức"}
	femaleMid   = []string{"Thị", "Thị", "Thị", "Ngọc", "Kim", "Thanh", "Mỹ", "Bích", "Thu"}
	maleGiven   = []string{"An", "Bình", "Cường", "Dũng", "Hải", "Hiếu", "Hùng", "Khang", "Long", "Lộc", "Nam", "Phúc", "Quang", "Sơn", "Tâm", "Thắng", "Tuấn", "Vinh"}
	femaleGiven = []string{"Anh", "Châu", "Diễm", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Ngân", "Nhung", "Phương", "Thảo", "Trang", "Tuyết", "Vân", "Yến"}
)

// Where farmers and workers live: hamlets (ấp) in a commune (xã), quarters
// (khóm) in a ward (phường).
var (
	communeHamlets = []string{"Ấp Phú Long", "Ấp Phú Hòa", "Ấp Phú Thuận", "Ấp Tân Hòa", "Ấp Tân Lập", "Ấp Tân Thuận"}
	wardQuarters   = []string{"Khóm 1", "Khóm 2", "Khóm 3", "Khóm Tân Mỹ", "Khóm Tân Hòa"}
)

func hamletsOf(wardKind string) []string {
	if wardKind == "phường" {
		return wardQuarters
	}
	return communeHamlets
}

// person is one registrant and what the simulation intends for them.
type person struct {
	ID         string
	Name       string
	Gender     string // Nam | Nữ
	BirthYear  int
	Group      int // target group id
	Ward       string
	Hamlet     string // farmers and workers
	Unit       string // officials: the unit they work in
	Registered time.Time
	plan       plan
}

// name draws a full name that agrees with the gender.
func name(r *rand.Rand) (full, gender string) {
	family := familyNames[r.IntN(len(familyNames))]
	if r.IntN(2) == 0 {
		return strings.Join([]string{family, maleMiddle[r.IntN(len(maleMiddle))], maleGiven[r.IntN(len(maleGiven))]}, " "), "Nam"
	}
	return strings.Join([]string{family, femaleMid[r.IntN(len(femaleMid))], femaleGiven[r.IntN(len(femaleGiven))]}, " "), "Nữ"
}

// newPerson draws a person whose name is not yet in taken.
func newPerson(r *rand.Rand, id string, group int, taken map[string]bool) person {
	p := person{ID: id, Group: group}
	for {
		p.Name, p.Gender = name(r)
		if !taken[p.Name] {
			taken[p.Name] = true
			break
		}
	}
	// Officials are of working age; farmers and workers span 1960–2000.
	if group == 3 {
		p.BirthYear = 1966 + r.IntN(33)
	} else {
		p.BirthYear = 1960 + r.IntN(41)
	}
	return p
}

// idPrefix is a ward code's initials: tan-quy-dong → TQD.
func idPrefix(ward string) string {
	var b strings.Builder
	for _, part := range strings.Split(ward, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]))
		}
	}
	return b.String()
}

// citizenID is a local code such as TPD-001: never a national ID number.
func citizenID(prefix string, n int) string { return fmt.Sprintf("%s-%03d", prefix, n) }
