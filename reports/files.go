package reports

// DocumentFile is the name of a version's document in lang with extension ext
// (".pdf", ".xlsx", ".html"): bao-cao-2021-03.pdf, report-2021-03.en.xlsx.
func DocumentFile(month, lang, ext string) string { return baseName(month, lang) + ext }
