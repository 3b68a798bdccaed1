package config

// This file is the contract between pipeline.yaml and the SQL models: the metrics
// a goal may name, the conditions a milestone may use, and the UNESCO areas a goal
// may be tagged with. The SQL models must produce every metric and evaluate every
// condition listed here (transform tests check it).

// Metric is a measure the SQL models compute per month.
type Metric struct {
	Name string
	// Denominators a goal on this metric may use; empty for a plain count.
	Denominators []string
	Description  string
}

// Metrics are the measures a goal may name.
var Metrics = []Metric{
	{"citizens_registered", nil, "number of citizens registered for Công dân học tập"},
	{"citizens_recognised_share", []string{DenomRegistered, DenomPopulation}, "share recognised as Công dân học tập by a decision, of registrants or of the adult population"},
	{"citizens_eligible_share", []string{DenomRegistered}, "share of registrants whose scores meet the Công dân học tập criteria (eligible for recognition)"},
	{"citizens_baseline_share", []string{DenomRegistered}, "share of registrants with a baseline survey (khảo sát thực trạng)"},
	{"citizens_final_share", []string{DenomRegistered}, "share of registrants with a final survey (cuối kỳ)"},
	{"unit_members_recognised_share", []string{DenomMembers}, "share of learning units' members recognised as Công dân học tập by a decision"},
	{"units_assessed_share", []string{DenomUnits}, "share of registered units with a self-assessment of the round that counts (recognition.unit_assessed_from)"},
	{"units_recognised_share", []string{DenomUnits}, "share of registered units recognised as Đơn vị học tập by a decision"},
	{"holders_digital_share", []string{DenomHolders}, "share of the people recognised by a decision who meet the digital-skills indicator"},
}

// MetricByName finds a metric.
func MetricByName(name string) (Metric, bool) {
	for _, m := range Metrics {
		if m.Name == name {
			return m, true
		}
	}
	return Metric{}, false
}

// Condition kinds a milestone's done_when may use, with the argument each needs.
const (
	CondAllAssessed      = "all_registrants_assessed" // round
	CondAllUnitsAssessed = "all_units_assessed"
	CondActivityHeld     = "activity_held"       // activity
	CondCitizensReg      = "citizens_registered" // count
	CondUnitsReg         = "units_registered"    // count
	CondRecognisedShare  = "citizens_recognised_share"
)

// Conditions lists the condition kinds.
var Conditions = []string{CondAllAssessed, CondAllUnitsAssessed, CondActivityHeld, CondCitizensReg, CondUnitsReg, CondRecognisedShare}

// UNESCOAreas are the twelve areas of UNESCO's Key Features of Learning Cities (Beijing, 2013).
var UNESCOAreas = map[string]string{
	"individual-empowerment":  "Individual empowerment and social cohesion",
	"economic-cultural":       "Economic development and cultural prosperity",
	"sustainable-development": "Sustainable development",
	"inclusive-education":     "Inclusive learning in the education system",
	"families-communities":    "Revitalised learning in families and communities",
	"workplace":               "Effective learning for and in the workplace",
	"learning-technologies":   "Extended use of modern learning technologies",
	"quality":                 "Enhanced quality in learning",
	"culture-of-learning":     "A vibrant culture of learning throughout life",
	"political-will":          "Strong political will and commitment",
	"governance":              "Governance and participation of all stakeholders",
	"resources":               "Mobilisation and utilisation of resources",
}
