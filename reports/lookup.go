package reports

// WardProgress is a ward's row of progress_monthly in month (Month or Prev),
// if it has one.
func (d *Data) WardProgress(month, ward string) (Progress, bool) {
	return d.progress(month, "ward", ward, 0)
}

// WardQuality is a ward's submissions in month, if it has a row.
func (d *Data) WardQuality(month, ward string) (QualityMonth, bool) {
	for _, q := range d.Quality {
		if q.Month == month && q.Ward == ward {
			return q, true
		}
	}
	return QualityMonth{}, false
}
