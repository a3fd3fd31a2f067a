package dkimcore

import "testing"

// TestField checks the header fields built from caller-supplied bytes: the
// name is taken from the text before the colon, white space before the
// colon dropped (RFC 5322, section 3.6.8 obs-optional allows it), a given
// name is kept, and text without a colon is no field.
func TestField(t *testing.T) {
	tests := []struct {
		name, raw, want string
		ok              bool
	}{
		{"", "From: a@example.com\r\n", "From", true},
		{"", "Subject \t: hi\r\n", "Subject", true},
		{"DKIM-Signature", "DKIM-Signature: v=1\r\n", "DKIM-Signature", true},
		{"", "no colon here\r\n", "", false},
		{"", "", "", false},
	}
	for _, tc := range tests {
		f, ok := Field(tc.name, []byte(tc.raw))
		if ok != tc.ok || f.Name != tc.want || (ok && string(f.Raw) != tc.raw) {
			t.Errorf("Field(%q, %q) = %+v, %v; want name %q, %v", tc.name, tc.raw, f, ok, tc.want, tc.ok)
		}
		if ok && !f.Is(tc.want) {
			t.Errorf("%q: Is(%q) is false", tc.raw, tc.want)
		}
	}
}
