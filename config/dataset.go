package config

import "fmt"

// Dataset names: what ward offices send.
const (
	DatasetUnits              = "units"
	DatasetCitizens           = "citizens"
	DatasetCitizenAssessments = "citizen_assessments"
	DatasetUnitAssessments    = "unit_assessments"
	DatasetActivities         = "activities"
	DatasetDecisions          = "decisions"
	// DatasetFamilyAssessments is the households assessed for "Gia đình học
	// tập" (frameworks: gia_dinh): one row per household and assessment.
	DatasetFamilyAssessments = "family_assessments"
)

// DatasetNames lists the datasets in the order they are loaded (registrations first).
// Decisions come after the registrations they name.
// A household is registered by its assessment, so family assessments come
// before the decisions that name households.
var DatasetNames = []string{DatasetUnits, DatasetCitizens, DatasetCitizenAssessments, DatasetUnitAssessments, DatasetActivities, DatasetFamilyAssessments, DatasetDecisions}

// ColumnType is what a column's cells must hold.
type ColumnType string

// Column types.
const (
	TypeText   ColumnType = "text"
	TypeInt    ColumnType = "int"
	TypeNumber ColumnType = "number"
	TypeDate   ColumnType = "date"
	TypeGender ColumnType = "gender" // Nam / Nữ
	TypeWard   ColumnType = "ward"   // a configured ward, by name or variant
	TypeGroup  ColumnType = "group"  // a target group, by number or name
	TypeRound  ColumnType = "round"  // a survey round, by code or name
	TypeScore  ColumnType = "score"  // 0 to Max
	// TypeTimestamp is a date and time of day: when a form was submitted.
	TypeTimestamp ColumnType = "timestamp"
	// TypeUnitType and TypeActivityKind are read against the configured lists
	// (Config.UnitTypes, Config.ActivityKinds); TypeReviewStatus is a form
	// tool's review of a submission (approved, not approved, on hold).
	TypeUnitType     ColumnType = "unit_type"
	TypeActivityKind ColumnType = "activity_kind"
	TypeReviewStatus ColumnType = "review_status"
	TypeTitle        ColumnType = "title"  // a title a decision confers: the citizen or the unit title, by name
	TypeYesNo        ColumnType = "yes_no" // a yes/no criterion: Đạt / Không đạt, read as 1 or 0
)

// Review statuses of a submission (TypeReviewStatus values).
const (
	ReviewApproved    = "approved"
	ReviewNotApproved = "not_approved"
	ReviewOnHold      = "on_hold"
)

// Titles a recognition decision confers, as the raw tables and models write them.
const (
	TitleCitizen = "citizen" // Công dân học tập
	TitleUnit    = "unit"    // Đơn vị học tập
	TitleFamily  = "family"  // Gia đình học tập
)

// Column is one column of a dataset: its key (the English alias), its Vietnamese
// header as the templates write it, and what its cells hold.
type Column struct {
	Key      string // citizen_id
	Header   string // Mã công dân
	HeaderEN string
	Type     ColumnType
	Required bool
	Max      float64 // for TypeScore
}

// Dataset is one kind of file a ward sends.
type Dataset struct {
	Name    string
	Title   string // Vietnamese title of the template
	TitleEN string
	Columns []Column
	// AllOrNone are groups of column keys that a row fills all or leaves all
	// empty: the reviewed scores.
	AllOrNone [][]string
	// Aliases are further headers that files use for a column, by key, beyond
	// the configured header_synonyms: "Mã số" for the citizen's code.
	Aliases map[string][]string
	// Qualifiers name, by the header prefix of a numbered family of columns
	// ("Chỉ số" 1…10, "Thẩm định" 1…10), the words of a group header above bare
	// numbers that mean it: "ĐIỂM TỰ ĐÁNH GIÁ" over 1 … 10 is "Chỉ số" 1 … 10.
	Qualifiers map[string][]string
	// Requires are columns a row must fill when another holds a value: a
	// decision's citizen code when it confers the citizen title.
	Requires []Requirement
}

// Requirement: a row whose column If holds Is must fill column Then.
type Requirement struct{ If, Is, Then string }

// Index is the position of the column of key in Columns, or -1.
func (d Dataset) Index(key string) int {
	for i, c := range d.Columns {
		if c.Key == key {
			return i
		}
	}
	return -1
}

// Column finds a column by key.
func (d Dataset) Column(key string) (Column, bool) {
	for _, c := range d.Columns {
		if c.Key == key {
			return c, true
		}
	}
	return Column{}, false
}

// Datasets returns the datasets with the columns this configuration implies
// (the indicators of the citizen framework and the items of the unit scheme).
func (c *Config) Datasets() []Dataset {
	ds := make([]Dataset, 0, len(DatasetNames))
	for _, n := range DatasetNames {
		if d, ok := c.Dataset(n); ok {
			ds = append(ds, d)
		}
	}
	return ds
}

// Dataset returns one dataset by name.
func (c *Config) Dataset(name string) (Dataset, bool) {
	switch name {
	case DatasetUnits:
		return Dataset{Name: name, Title: "Danh sách đơn vị đăng ký Đơn vị học tập", TitleEN: "Units registered for the learning-unit title", Columns: []Column{
			{"unit_code", "Mã đơn vị", "Unit code", TypeText, true, 0},
			{"unit_name", "Tên đơn vị", "Unit name", TypeText, true, 0},
			{"unit_type", "Loại", "Unit type", TypeUnitType, false, 0},
			{"ward", "Xã/phường", "Ward/commune", TypeWard, true, 0},
			{"members", "Số thành viên", "Members", TypeInt, true, 0},
			{"registered_on", "Ngày đăng ký", "Registered on", TypeDate, true, 0},
		}, Aliases: map[string][]string{"unit_type": {"Loại đơn vị", "Loại hình"}, "unit_code": {"Mã số"}}}, true
	case DatasetCitizens:
		return Dataset{Name: name, Title: "Danh sách đăng ký Công dân học tập", TitleEN: "Citizens registered for the learning-citizen title", Columns: []Column{
			{"citizen_id", "Mã công dân", "Citizen code", TypeText, true, 0},
			{"full_name", "Họ và tên", "Full name", TypeText, true, 0},
			{"gender", "Giới tính", "Gender", TypeGender, false, 0},
			{"birth_year", "Năm sinh", "Birth year", TypeInt, false, 0},
			{"birth_date", "Ngày sinh", "Birth date", TypeDate, false, 0},
			{"target_group", "Nhóm đối tượng", "Target group", TypeGroup, true, 0},
			{"ward", "Xã/phường", "Ward/commune", TypeWard, true, 0},
			{"hamlet", "Ấp/khóm", "Hamlet", TypeText, false, 0},
			{"unit_code", "Mã đơn vị", "Unit code", TypeText, false, 0},
			{"registered_on", "Ngày đăng ký", "Registered on", TypeDate, true, 0},
		}, Aliases: map[string][]string{"citizen_id": {"Mã số", "Mã CDHT"}, "hamlet": {"Ấp", "Khóm", "Tổ dân phố"}}}, true
	case DatasetCitizenAssessments:
		cols := []Column{
			{"citizen_id", "Mã công dân", "Citizen code", TypeText, true, 0},
			{"round", "Đợt", "Round", TypeRound, true, 0},
			{"assessed_on", "Ngày đánh giá", "Assessed on", TypeDate, true, 0},
		}
		max := c.Citizen.IndicatorMax
		for _, ind := range c.Citizen.Indicators {
			cols = append(cols, Column{IndicatorKey(ind.Number), fmt.Sprintf("Chỉ số %d", ind.Number), fmt.Sprintf("Indicator %d", ind.Number), TypeScore, true, max})
		}
		var reviewed []string
		for _, ind := range c.Citizen.Indicators {
			cols = append(cols, Column{ReviewKey(ind.Number), fmt.Sprintf("Thẩm định %d", ind.Number), fmt.Sprintf("Reviewed %d", ind.Number), TypeScore, false, max})
			reviewed = append(reviewed, ReviewKey(ind.Number))
		}
		cols = append(cols, Column{"reviewer", "Người thẩm định", "Reviewer", TypeText, false, 0},
			Column{"review_status", "Trạng thái duyệt", "Review status", TypeReviewStatus, false, 0},
			Column{"submitted_at", "Thời điểm gửi", "Submitted at", TypeTimestamp, false, 0})
		return Dataset{Name: name, Title: "Phiếu đánh giá Công dân học tập", TitleEN: "Learning-citizen assessments", Columns: cols, AllOrNone: [][]string{reviewed},
			Qualifiers: map[string][]string{"Chỉ số": {"Tự đánh giá", "Tự chấm", "Cá nhân tự đánh giá", "Self-assessed", "Self"}, "Thẩm định": {"Thẩm tra", "Đánh giá lại", "Reviewed", "Review"}},
			Aliases: map[string][]string{"citizen_id": {"Mã số"}, "round": {"Đợt khảo sát", "Đợt đánh giá"}, "assessed_on": {"Ngày khảo sát"},
				"submitted_at": {"Dấu thời gian", "Timestamp", "_submission_time"}, "review_status": {"_validation_status", "Validation status"}}}, true
	case DatasetUnitAssessments:
		cols := []Column{
			{"unit_code", "Mã đơn vị", "Unit code", TypeText, true, 0},
			{"assessed_on", "Ngày đánh giá", "Assessed on", TypeDate, true, 0},
		}
		for _, it := range c.UnitScheme.Items {
			cols = append(cols, Column{ItemKey(it.Code), it.Code, it.Code, TypeScore, true, it.Max})
		}
		return Dataset{Name: name, Title: "Tự đánh giá Đơn vị học tập", TitleEN: "Learning-unit self-assessments", Columns: cols}, true
	case DatasetActivities:
		return Dataset{Name: name, Title: "Hoạt động học tập, tuyên truyền", TitleEN: "Learning and outreach activities", Columns: []Column{
			{"date", "Ngày", "Date", TypeDate, true, 0},
			{"ward", "Xã/phường", "Ward/commune", TypeWard, true, 0},
			{"kind", "Loại hoạt động", "Kind", TypeActivityKind, true, 0},
			{"title", "Nội dung", "Title", TypeText, true, 0},
			{"participants", "Số người tham dự", "Participants", TypeInt, true, 0},
			{"hours", "Số giờ", "Hours", TypeNumber, false, 0},
		}, Aliases: map[string][]string{"kind": {"Hình thức"}, "participants": {"Số người", "Số lượt người tham dự"}}}, true
	case DatasetDecisions:
		// One row per person or unit a decision recognises: a decision of 23
		// people is 23 rows with the same number, date and issuer.
		return Dataset{Name: name, Title: "Danh sách kèm theo Quyết định công nhận danh hiệu", TitleEN: "Recognition decisions: the people and units recognised", Columns: []Column{
			{"number", "Số quyết định", "Decision number", TypeText, true, 0},
			{"decided_on", "Ngày", "Date", TypeDate, true, 0},
			{"issuer", "Cơ quan ban hành", "Issued by", TypeText, true, 0},
			{"title", "Danh hiệu", "Title", TypeTitle, true, 0},
			{"citizen_id", "Mã công dân", "Citizen code", TypeText, false, 0},
			{"unit_code", "Mã đơn vị", "Unit code", TypeText, false, 0},
			{"household_code", "Mã hộ", "Household code", TypeText, false, 0},
			{"full_name", "Họ và tên", "Full name", TypeText, false, 0},
			{"ward", "Xã/phường", "Ward/commune", TypeWard, false, 0},
		}, Aliases: map[string][]string{"number": {"Số QĐ", "Quyết định số"}, "decided_on": {"Ngày quyết định", "Ngày ký", "Ngày ban hành"}, "household_code": {"Mã hộ gia đình", "Mã gia đình"}},
			Requires: []Requirement{{If: "title", Is: TitleCitizen, Then: "citizen_id"}, {If: "title", Is: TitleUnit, Then: "unit_code"}, {If: "title", Is: TitleFamily, Then: "household_code"}}}, true
	case DatasetFamilyAssessments:
		// Only with the family title configured; one column per criterion of
		// any of its versions (a row fills those of the version in force on
		// its day: the model says which are missing).
		f, ok := c.Framework(FrameworkFamily)
		if !ok {
			return Dataset{}, false
		}
		cols := []Column{
			{"household_code", "Mã hộ", "Household code", TypeText, true, 0},
			{"head_name", "Họ tên chủ hộ", "Head of household", TypeText, true, 0},
			{"ward", "Xã/phường", "Ward/commune", TypeWard, true, 0},
			{"hamlet", "Ấp/khóm", "Hamlet", TypeText, false, 0},
			{"members", "Số nhân khẩu", "Members", TypeInt, true, 0},
			{"assessed_on", "Ngày đánh giá", "Assessed on", TypeDate, true, 0},
		}
		aliases := map[string][]string{"household_code": {"Mã hộ gia đình", "Mã gia đình", "Mã số"}, "head_name": {"Chủ hộ", "Họ và tên chủ hộ"},
			"hamlet": {"Ấp", "Khóm", "Tổ dân phố", "Địa chỉ"}, "members": {"Số thành viên", "Số người"}, "assessed_on": {"Ngày chấm", "Ngày bình xét"}}
		for _, cr := range f.Criteria() {
			t := TypeScore
			if cr.Kind == KindYesNo {
				t = TypeYesNo
			}
			k := CriterionKey(cr.Code)
			cols = append(cols, Column{k, cr.Code, cr.Code, t, false, cr.Max})
			aliases[k] = []string{cr.Name, cr.NameEN}
		}
		return Dataset{Name: name, Title: "Đánh giá " + f.Name, TitleEN: f.NameEN + " assessments", Columns: cols, Aliases: aliases}, true
	}
	return Dataset{}, false
}

// IndicatorKey is the column key of indicator n's self-assessed score: "i3".
func IndicatorKey(n int) string { return fmt.Sprintf("i%d", n) }

// ReviewKey is the column key of indicator n's reviewed score: "r3".
func ReviewKey(n int) string { return fmt.Sprintf("r%d", n) }

// CriterionKey is the column key of a framework's criterion: "TC1" → "c_tc1".
func CriterionKey(code string) string { return "c_" + ItemKey(code) }

// ItemKey is the column key of a unit-scheme item: "TC1.1" → "tc1_1".
func ItemKey(code string) string {
	b := []byte(code)
	for i, ch := range b {
		switch {
		case ch >= 'A' && ch <= 'Z':
			b[i] = ch + 'a' - 'A'
		case ch == '.' || ch == ' ' || ch == '-':
			b[i] = '_'
		}
	}
	return string(b)
}
