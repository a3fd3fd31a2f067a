package dkimcore

import (
	"bytes"
	"strings"

	"github.com/authlens/authlens/internal/header"
)

// Field returns the header field whose whole text is raw, "Name: value"
// with its folding and final CRLF, for the fields a caller of package dkim
// or arc parsed itself. name is the field name, or "" to take it from raw.
// ok is false when raw has no colon and so is no header field.
func Field(name string, raw []byte) (f header.Field, ok bool) {
	colon := bytes.IndexByte(raw, ':')
	if colon < 0 {
		return header.Field{}, false
	}
	if name == "" {
		name = strings.TrimRight(string(raw[:colon]), " \t")
	}
	return header.Field{Name: name, Raw: raw}, true
}
