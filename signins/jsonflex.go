package signins

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// flexInt reads an error code written as a number or a string.
type flexInt struct {
	code int
	set  bool
}

func (f *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	s := string(b)
	if b[0] == '"' {
		var err error
		if s, err = strconv.Unquote(s); err != nil {
			return fmt.Errorf("error code %w", err)
		}
		if strings.TrimSpace(s) == "" {
			return nil
		}
	}
	n, ok := parseCode(s)
	if !ok {
		return fmt.Errorf("error code %q is not a number", truncate(s))
	}
	f.code, f.set = n, true
	return nil
}

// flexStatus reads status{errorCode, …}: an object, or (Log Analytics) the
// same object as JSON text.
type flexStatus struct {
	code int
	set  bool
}

func (f *flexStatus) UnmarshalJSON(b []byte) error {
	b, err := unwrapText(b)
	if err != nil || b == nil {
		return err
	}
	var st struct {
		ErrorCode flexInt `json:"errorCode"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return err
	}
	f.code, f.set = st.ErrorCode.code, st.ErrorCode.set
	return nil
}

// flexLocation reads a location: Graph's {city, state, countryOrRegion},
// given as "City, State, CC" as the portal CSV writes it, or a plain
// string (a country code).
type flexLocation struct{ s string }

func (f *flexLocation) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if t := strings.TrimSpace(s); strings.HasPrefix(t, "{") {
			return f.UnmarshalJSON([]byte(t))
		}
		f.s = s
		return nil
	}
	if len(b) == 0 || b[0] != '{' {
		return nil
	}
	var l struct {
		City    string `json:"city"`
		State   string `json:"state"`
		Country string `json:"countryOrRegion"`
	}
	if err := json.Unmarshal(b, &l); err != nil {
		return err
	}
	var parts []string
	for _, p := range []string{l.City, l.State, l.Country} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	f.s = strings.Join(parts, ", ")
	return nil
}

// flexPolicies reads appliedConditionalAccessPolicies: an array, or (Log
// Analytics) the array as JSON text.
type flexPolicies []PolicyResult

func (f *flexPolicies) UnmarshalJSON(b []byte) error {
	b, err := unwrapText(b)
	if err != nil || b == nil {
		return err
	}
	var ps []struct {
		DisplayName string `json:"displayName"`
		Result      string `json:"result"`
	}
	if err := json.Unmarshal(b, &ps); err != nil {
		return err
	}
	for _, p := range ps {
		*f = append(*f, PolicyResult{Name: p.DisplayName, Result: p.Result})
	}
	return nil
}

// unwrapText returns b, or the JSON text inside b when b is a string; nil
// for null or an empty string.
func unwrapText(b []byte) ([]byte, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return nil, nil
	}
	if b[0] != '"' {
		return b, nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, err
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	return []byte(s), nil
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
