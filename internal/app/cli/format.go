package cli

import (
	"fmt"
	"strings"
)

// format is an output format: the value of --format.
type format string

// The output formats.
const (
	formatText format = "text" // for people: the full report, or a line per message
	formatJSON format = "json" // JSON Lines, one object per message
	formatCSV  format = "csv"  // one row per message
)

// formatValue is a --format flag accepting the formats in allowed; a
// pflag.Value, so that a bad value is a usage error naming the choices.
type formatValue struct {
	f       *format
	allowed []format
}

func (v formatValue) String() string { return string(*v.f) }
func (v formatValue) Type() string   { return "format" }

func (v formatValue) Set(s string) error {
	for _, a := range v.allowed {
		if strings.EqualFold(s, string(a)) {
			*v.f = a
			return nil
		}
	}
	names := make([]string, len(v.allowed))
	for i, a := range v.allowed {
		names[i] = string(a)
	}
	return fmt.Errorf("must be %s, not %q", orList(names), s)
}

// orList joins choices as "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
