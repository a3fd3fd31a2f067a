// Package finding is the one shape in which authlens packages report what
// they noticed about a message: a stable kebab-case code that programs
// match on, a severity, and one plain sentence for a person.
package finding

// Severity ranks a finding by how much it should draw an analyst's
// attention.
type Severity string

// Severities, from least to most serious.
const (
	Info   Severity = "info"   // context, nothing wrong by itself
	Low    Severity = "low"    // unusual, worth a look
	Medium Severity = "medium" // likely relevant to the verdict
	High   Severity = "high"   // strong signal of abuse or spoofing
)

// Rank orders severities: 0 for Info up to 3 for High (and 0 for an
// unknown value).
func (s Severity) Rank() int {
	switch s {
	case High:
		return 3
	case Medium:
		return 2
	case Low:
		return 1
	}
	return 0
}

// Code names a kind of finding: stable and kebab-case, such as
// "dkim-body-changed". Programs match on it; each package that emits
// findings declares its codes as constants of this type.
type Code string

// Finding is one observation.
type Finding struct {
	Severity Severity `json:"severity"`
	// Code is stable and kebab-case, such as "dkim-body-changed".
	Code Code `json:"code"`
	// Message is one plain sentence.
	Message string `json:"message"`
}

// Codes shared by packages and the analysis.
const (
	// CodeHeaderDamaged is a header block that breaks RFC 5322 but was read
	// leniently: a line without a colon joined to the field above it, a
	// white-space line skipped, a bare CR, a NUL or an 8-bit field name.
	CodeHeaderDamaged Code = "header-damaged"
)
