package sample

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

var (
	familyNames = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Phan", "Trương", "Châu"}
	maleMiddle  = []string{"Văn", "Minh", "Hoàng", "Quốc", "Thanh", "Hữu", "Công", "Đức"}
	femaleMid   = []string{"Thị", "Ngọc", "Thị", "Kim", "Thanh", "Thị", "Mỹ", "Bích"}
	maleGiven   = []string{"An", "Bình", "Cường", "Dũng", "Hải", "Hiếu", "Hùng", "Khang", "Long", "Minh", "Nam", "Phúc", "Quang", "Sơn", "Tâm", "Thắng", "Tuấn", "Vinh"}
	femaleGiven = []string{"Anh", "Châu", "Diễm", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Ngân", "Nhung", "Phương", "Thảo", "Trang", "Tuyết", "Vân", "Yến"}
	hamlets     = []string{"Ấp Tân Hòa", "Ấp Tân Lập", "Ấp Tân Thuận", "Ấp Phú Hòa", "Khóm 1", "Khóm 2", "Khóm 3", "Khóm Tân Mỹ"}
)

// person is one registrant and what the generator intends for them.
type person struct {
	ID         string
	Name       string
	Gender     string // Nam | Nữ
	BirthYear  int
	Group      int // target group id
	Ward       string
	Hamlet     string
	Unit       string
	Registered time.Time
	// outcome is what the final round is built to show.
	outcome outcome
}

type outcome int

const (
	recognised outcome = iota // total ≥ 80, every indicator ≥ 5
	belowTotal                // total < 80
	nearMiss                  // total ≥ 80, one indicator < 5
	reviewFlip                // self scores meet the title, reviewed scores do not
)

func newPerson(r *rand.Rand, id string, group int) person {
	p := person{ID: id, Group: group, BirthYear: 1962 + r.IntN(38)}
	family := familyNames[r.IntN(len(familyNames))]
	if r.IntN(2) == 0 {
		p.Gender = "Nam"
		p.Name = strings.Join([]string{family, maleMiddle[r.IntN(len(maleMiddle))], maleGiven[r.IntN(len(maleGiven))]}, " ")
	} else {
		p.Gender = "Nữ"
		p.Name = strings.Join([]string{family, femaleMid[r.IntN(len(femaleMid))], femaleGiven[r.IntN(len(femaleGiven))]}, " ")
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

func citizenID(prefix string, n int) string { return fmt.Sprintf("%s-%03d", prefix, n) }
