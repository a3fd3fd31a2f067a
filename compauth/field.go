package compauth

import (
	"fmt"
	"strings"
)

// Field is one KEY:value pair of a Microsoft antispam field, in the order
// written, with what is known about it.
type Field struct {
	// Key is the key as written, such as "SFV".
	Key string `json:"key"`
	// Value is the value as written, white space trimmed.
	Value string `json:"value"`
	// Name says what the key is, such as "Spam filter verdict".
	Name string `json:"name"`
	// Meaning explains the value, when known.
	Meaning string `json:"meaning,omitempty"`
	// Confidence says where Name and Meaning come from.
	Confidence Confidence `json:"confidence"`
	// Known reports whether the key is in this package's tables; unknown
	// keys are kept with Confidence unknown.
	Known bool `json:"known"`
}

// keyInfo describes one key of a KEY:value field.
type keyInfo struct {
	name       string
	confidence Confidence
	values     map[string]valueInfo // value meanings, upper-case keys
	// data marks keys whose values are data (an address, a name): only
	// the special values listed in values carry a meaning.
	data bool
}

// valueInfo describes one value of a key.
type valueInfo struct {
	meaning    string
	confidence Confidence
}

// pair is one raw KEY:value segment.
type pair struct {
	key, value string
	colon      bool // the segment had a ":"
}

// splitPairs splits "K1:v1;K2:v2;" at ";" and each segment at its first
// ":". Empty segments are skipped; white space around keys and values
// (left by folding) is trimmed.
func splitPairs(s string) []pair {
	if strings.ContainsAny(s, "\r\n") {
		s = strings.NewReplacer("\r\n", "", "\n", "", "\r", "").Replace(s)
	}
	out := make([]pair, 0, strings.Count(s, ";")+1)
	for seg := range strings.SplitSeq(s, ";") {
		seg = strings.TrimSpace(seg)
		if seg == "" {
			continue
		}
		k, v, ok := strings.Cut(seg, ":")
		out = append(out, pair{strings.TrimSpace(k), strings.TrimSpace(v), ok})
	}
	return out
}

// describe builds the Field for a pair from a key table.
func describe(p pair, table map[string]keyInfo) Field {
	f := Field{Key: p.key, Value: p.value}
	ki, ok := table[strings.ToUpper(p.key)]
	if !ok {
		f.Name = "Undocumented field"
		f.Meaning = "Not documented by Microsoft; meaning unknown."
		f.Confidence = ConfidenceUnknown
		return f
	}
	f.Known, f.Name, f.Confidence = true, ki.name, ki.confidence
	if ki.values == nil {
		return f
	}
	if vi, ok := ki.values[strings.ToUpper(p.value)]; ok {
		f.Meaning = vi.meaning
		if vi.confidence != "" {
			f.Confidence = vi.confidence
		}
	} else if p.value != "" && !ki.data {
		f.Meaning = fmt.Sprintf("Value %q is not documented; meaning unknown.", p.value)
		f.Confidence = ConfidenceUnknown
	}
	return f
}
