package wardfile

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/hoctap/hoctap/config"
)

// The sheets of a form: ingest reads the data sheet and passes the others by quietly.
const (
	templateData  = "Dữ liệu"
	templateLists = "Danh mục"
	templateHelp  = "Hướng dẫn"
)

// templateRows is how many rows of a form carry its checks (drop-downs, ranges).
const templateRows = 2000

// WriteTemplate writes the Excel form a ward fills in for dataset: an
// instructions sheet, the data sheet with the Vietnamese headers ingest
// expects, drop-downs for ward, target group, round and gender, ranges on
// scores and numbers, date checks, and a hidden sheet holding the lists. ward,
// when set, names the ward in the title and is its only choice.
func WriteTemplate(cfg *config.Config, dataset, ward string, w io.Writer) error {
	ds, ok := cfg.Dataset(dataset)
	if !ok {
		return fmt.Errorf("template: %q is not a dataset: expected one of %s", dataset, strings.Join(config.DatasetNames, ", "))
	}
	wards := cfg.Wards
	if ward != "" {
		wd, ok := cfg.WardByName(ward)
		if !ok {
			return fmt.Errorf("template: %q is not a ward of the configuration", ward)
		}
		wards = []config.Ward{wd}
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", templateData); err != nil {
		return err
	}
	for _, s := range []string{templateHelp, templateLists} {
		if _, err := f.NewSheet(s); err != nil {
			return err
		}
	}
	lists, err := writeLists(f, cfg, wards)
	if err != nil {
		return err
	}
	titleStyle, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
	office := "UBND XÃ/PHƯỜNG: ……………………"
	if ward != "" {
		office = "UBND " + strings.ToUpper(wards[0].Kind+" "+wards[0].Name)
	}
	if err := writeDataSheet(f, ds, office, lists, titleStyle); err != nil {
		return err
	}
	if err := writeHelp(f, cfg, ds, titleStyle); err != nil {
		return err
	}
	idx, _ := f.GetSheetIndex(templateData)
	f.SetActiveSheet(idx)
	_, err = f.WriteTo(w)
	return err
}

// The data sheet's header row, and the first row of data under it.
const (
	formHeaderRow = 4
	formFirstRow  = formHeaderRow + 1
)

// writeLists writes the lists the drop-downs read on the hidden lists sheet,
// and says where each type's list is.
func writeLists(f *excelize.File, cfg *config.Config, wards []config.Ward) (map[config.ColumnType]string, error) {
	var wardNames, groupNames, roundNames []string
	for _, wd := range wards {
		wardNames = append(wardNames, wd.Name)
	}
	for _, g := range cfg.Groups {
		groupNames = append(groupNames, g.Name)
	}
	for _, r := range cfg.Rounds {
		roundNames = append(roundNames, r.Name)
	}
	listRef := map[config.ColumnType]string{}
	for i, l := range []struct {
		t     config.ColumnType
		title string
		items []string
	}{
		{config.TypeWard, "Xã/phường", wardNames},
		{config.TypeGroup, "Nhóm đối tượng", groupNames},
		{config.TypeRound, "Đợt", roundNames},
		{config.TypeGender, "Giới tính", []string{"Nam", "Nữ"}},
		{config.TypeUnitType, "Loại đơn vị", categoryNames(cfg.UnitTypes)},
		{config.TypeActivityKind, "Loại hoạt động", categoryNames(cfg.ActivityKinds)},
		{config.TypeReviewStatus, "Trạng thái duyệt", []string{"Đã duyệt", "Không duyệt", "Chờ duyệt"}},
		{config.TypeTitle, "Danh hiệu", titleNames(cfg)},
		{config.TypeYesNo, "Kết quả", []string{"Đạt", "Không đạt"}},
	} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetCellStr(templateLists, col+"1", l.title); err != nil {
			return nil, err
		}
		for j, it := range l.items {
			if err := f.SetCellStr(templateLists, col+strconv.Itoa(j+2), it); err != nil {
				return nil, err
			}
		}
		listRef[l.t] = fmt.Sprintf("'%s'!$%s$2:$%s$%d", templateLists, col, col, len(l.items)+1)
	}
	return listRef, f.SetSheetVisible(templateLists, false)
}

// writeDataSheet writes the data sheet: the titles, the header, then the
// checks on each column.
func writeDataSheet(f *excelize.File, ds config.Dataset, office string, lists map[config.ColumnType]string, titleStyle int) error {
	const data = templateData
	headStyle, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"DDEBF7"}, Pattern: 1},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Border:    []excelize.Border{{Type: "left", Style: 1}, {Type: "right", Style: 1}, {Type: "top", Style: 1}, {Type: "bottom", Style: 1}}})
	dateStyle, _ := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("dd/mm/yyyy")})
	f.SetCellStr(data, "A1", office)
	f.SetCellStr(data, "A2", strings.ToUpper(ds.Title))
	f.SetCellStyle(data, "A1", "A2", titleStyle)
	for i, c := range ds.Columns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetCellStr(data, col+strconv.Itoa(formHeaderRow), c.Header); err != nil {
			return err
		}
		width := 16.0
		if (c.Type == config.TypeText && (c.Key == "full_name" || c.Key == "unit_name" || c.Key == "title" || c.Key == "issuer")) || c.Type == config.TypeTitle {
			width = 32
		}
		if err := f.SetColWidth(data, col, col, width); err != nil {
			return err
		}
		if err := addColumnCheck(f, c, col, lists, dateStyle); err != nil {
			return err
		}
	}
	lastCol, _ := excelize.ColumnNumberToName(len(ds.Columns))
	if err := f.SetCellStyle(data, "A"+strconv.Itoa(formHeaderRow), lastCol+strconv.Itoa(formHeaderRow), headStyle); err != nil {
		return err
	}
	return f.SetPanes(data, &excelize.Panes{Freeze: true, YSplit: formHeaderRow, TopLeftCell: "A" + strconv.Itoa(formFirstRow), ActivePane: "bottomLeft"})
}

// addColumnCheck adds the check of column c, in the data sheet's column col,
// to the rows a form carries: a drop-down of its list, a range or a date.
// A column of free text has none.
func addColumnCheck(f *excelize.File, c config.Column, col string, lists map[config.ColumnType]string, dateStyle int) error {
	last := formHeaderRow + templateRows
	dv := excelize.NewDataValidation(!c.Required)
	dv.SetSqref(fmt.Sprintf("%s%d:%s%d", col, formFirstRow, col, last))
	var err error
	switch c.Type {
	case config.TypeWard, config.TypeGroup, config.TypeRound, config.TypeGender, config.TypeTitle, config.TypeYesNo:
		dv.SetSqrefDropList(lists[c.Type])
		dv.SetError(excelize.DataValidationErrorStyleStop, c.Header, "Hãy chọn trong danh sách. — Choose from the list.")
	case config.TypeScore:
		err = dv.SetRange(0, c.Max, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween)
		dv.SetError(excelize.DataValidationErrorStyleStop, c.Header, fmt.Sprintf("Điểm từ 0 đến %s. — A score from 0 to %s.", num(c.Max), num(c.Max)))
	case config.TypeInt:
		err = dv.SetRange(0, 1000000, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween)
		if c.Key == "birth_year" {
			err = dv.SetRange(1900, 2100, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween)
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, c.Header, "Hãy nhập một số nguyên. — Enter a whole number.")
	case config.TypeNumber:
		err = dv.SetRange(0, 1000, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween)
		dv.SetError(excelize.DataValidationErrorStyleStop, c.Header, "Hãy nhập một số. — Enter a number.")
	case config.TypeDate:
		err = dv.SetRange(36526, 73051, excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween) // 2000-01-01 … 2099-12-31
		dv.SetError(excelize.DataValidationErrorStyleStop, c.Header, "Hãy nhập ngày dạng ngày/tháng/năm, ví dụ 08/12/2020. — Enter a date as day/month/year.")
		if err == nil {
			err = f.SetCellStyle(templateData, fmt.Sprintf("%s%d", col, formFirstRow), fmt.Sprintf("%s%d", col, last), dateStyle)
		}
	default:
		return nil
	}
	if err != nil {
		return err
	}
	dv.SetInput(c.Header, fieldHelp(c))
	return f.AddDataValidation(templateData, dv)
}

// writeHelp writes the instructions sheet: how to fill the form in, every
// column, and for the surveys the indicators and the title's thresholds.
func writeHelp(f *excelize.File, cfg *config.Config, ds config.Dataset, titleStyle int) error {
	lines := []string{
		strings.ToUpper(ds.Title),
		ds.TitleEN,
		"",
		"Cách điền — How to fill in:",
		"1. Điền từ dòng " + strconv.Itoa(formFirstRow) + " của trang \"" + templateData + "\", mỗi dòng một " + rowNoun(ds.Name) + ". Không đổi tên hay thứ tự cột, không xóa dòng tiêu đề.",
		"   One row per " + rowNounEN(ds.Name) + ", from row " + strconv.Itoa(formFirstRow) + ". Keep the headers as they are.",
		"2. Ngày ghi dạng ngày/tháng/năm (08/12/2020). Số thập phân dùng dấu phẩy hoặc dấu chấm (8,5 hoặc 8.5).",
		"   Dates as day/month/year; decimals with a comma or a point.",
		"3. Xã/phường, nhóm đối tượng, đợt và giới tính: chọn trong danh sách thả xuống.",
		"   Ward, target group, round and gender: choose from the drop-down lists.",
		"4. Lưu tệp dạng .xlsx và gửi về Hội Khuyến học. Tệp có lỗi sẽ được trả lại kèm biên nhận ghi rõ từng lỗi.",
		"   Save as .xlsx and send it in; a file with errors comes back with a receipt listing each problem.",
		"",
		"Các cột — Columns (* bắt buộc — required):",
	}
	for _, c := range ds.Columns {
		mark := " "
		if c.Required {
			mark = "*"
		}
		lines = append(lines, fmt.Sprintf("%s %s (%s): %s", mark, c.Header, c.Key, fieldHelp(c)))
	}
	if ds.Name == config.DatasetCitizenAssessments {
		lines = append(lines, "", "Các chỉ số — Indicators:")
		for _, ind := range cfg.Citizen.Indicators {
			lines = append(lines, fmt.Sprintf("Chỉ số %d (%s): %s", ind.Number, ind.Criterion, ind.Name))
		}
		lines = append(lines, "", fmt.Sprintf("Danh hiệu Công dân học tập: tổng điểm từ %s trở lên và không chỉ số nào dưới %s.", num(cfg.Citizen.PassTotal), num(cfg.Citizen.MinPerIndicator)))
	}
	for i, l := range lines {
		if err := f.SetCellStr(templateHelp, "A"+strconv.Itoa(i+1), l); err != nil {
			return err
		}
	}
	f.SetColWidth(templateHelp, "A", "A", 120)
	return f.SetCellStyle(templateHelp, "A1", "A1", titleStyle)
}

func fieldHelp(c config.Column) string {
	switch c.Type {
	case config.TypeDate:
		return "ngày/tháng/năm, ví dụ 08/12/2020"
	case config.TypeScore:
		return "điểm từ 0 đến " + num(c.Max)
	case config.TypeInt:
		return "số nguyên"
	case config.TypeNumber:
		return "số, ví dụ 2,5"
	case config.TypeWard:
		return "chọn xã/phường trong danh sách"
	case config.TypeGroup:
		return "chọn nhóm đối tượng (hoặc ghi số nhóm)"
	case config.TypeRound:
		return "chọn đợt khảo sát"
	case config.TypeGender:
		return "Nam hoặc Nữ"
	case config.TypeTitle:
		return "chọn danh hiệu trong danh sách"
	case config.TypeYesNo:
		return "Đạt hoặc Không đạt"
	}
	switch c.Key {
	case "number":
		return "số và ký hiệu của quyết định, ví dụ 1234/QĐ-UBND"
	case "issuer":
		return "cơ quan ban hành quyết định, ví dụ UBND thành phố Sa Đéc"
	}
	if c.Key == "citizen_id" {
		return "mã do xã/phường đặt, ví dụ TPD-001 (không ghi số CCCD)"
	}
	return "chữ"
}

func rowNoun(ds string) string {
	return map[string]string{config.DatasetUnits: "đơn vị", config.DatasetCitizens: "người đăng ký", config.DatasetCitizenAssessments: "phiếu đánh giá",
		config.DatasetUnitAssessments: "phiếu tự đánh giá của đơn vị", config.DatasetActivities: "hoạt động",
		config.DatasetFamilyAssessments: "hộ gia đình được đánh giá",
		config.DatasetDecisions:         "người, đơn vị hoặc hộ gia đình được công nhận (ghi mã công dân, mã đơn vị hoặc mã hộ)"}[ds]
}

func rowNounEN(ds string) string {
	return map[string]string{config.DatasetUnits: "unit", config.DatasetCitizens: "registrant", config.DatasetCitizenAssessments: "assessment",
		config.DatasetUnitAssessments: "unit self-assessment", config.DatasetActivities: "activity",
		config.DatasetFamilyAssessments: "household assessed",
		config.DatasetDecisions:         "person, unit or household recognised (give the citizen code, the unit code or the household code)"}[ds]
}

func ptr[T any](v T) *T { return &v }

// titleNames are the titles a decision may confer.
func titleNames(cfg *config.Config) []string {
	names := []string{cfg.Citizen.Name, cfg.UnitScheme.Name}
	if f, ok := cfg.Framework(config.FrameworkFamily); ok {
		names = append(names, f.Name)
	}
	return names
}

func categoryNames(cs []config.Category) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name
	}
	return out
}
