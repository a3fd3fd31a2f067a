package header

import (
	"bytes"
	"fmt"
	"strconv"
)

// DamageKind names how a line of a header block breaks RFC 5322.
type DamageKind string

// Kinds of damage [ReadLenient] forgives. RFC 5322, section 2.2: a header
// field is a name of printable US-ASCII, a colon and a body, and a line
// starting with white space continues the field above it; section 2.3 and
// RFC 5321, section 2.3.8: CR and LF appear only together, as the line
// end; section 4: NUL is not allowed at all.
const (
	// DamageNoColon is a line with no colon after the first field, read as
	// the continuation of the field above it: a fold whose leading white
	// space was lost, as some mail clients export headers.
	DamageNoColon DamageKind = "no colon"
	// DamageFieldName is a line whose would-be field name holds a control
	// character or white space, read as a continuation like DamageNoColon.
	DamageFieldName DamageKind = "invalid field name"
	// DamageEightBitName is a field name holding bytes from 0x80 up
	// (UTF-8 or a legacy charset); the field is kept under that name.
	DamageEightBitName DamageKind = "8-bit field name"
	// DamageBareCR is a CR not followed by LF inside a line; it is kept.
	DamageBareCR DamageKind = "bare CR"
	// DamageNUL is a NUL byte inside a line; it is kept.
	DamageNUL DamageKind = "NUL byte"
	// DamageBlankFirst is a line of only white space before the first
	// field; it is skipped.
	DamageBlankFirst DamageKind = "white-space line before the first field"
	// DamageFoldedName is a field name alone on its line, its colon on
	// the folded line after it ("From\n : <a@example.com>"): RFC 5322's
	// obsolete syntax allows white space before the colon but not a line
	// break, yet some mail clients read it as a field of that name, and
	// so does the lenient reading — a second From hidden this way is what
	// an attacker wants a client to show.
	DamageFoldedName DamageKind = "field name folded before its colon"
	// DamageCRLineEnds is a header block whose lines end in CR alone
	// (classic Mac OS); every CR is read as a line end.
	DamageCRLineEnds DamageKind = "lines end in CR alone (classic Mac OS)"
)

// Damage is one line of a header block that breaks RFC 5322 but was read
// anyway by [ReadLenient].
type Damage struct {
	// Line is the 1-based line number in the header block.
	Line int
	// Kind says what is wrong with the line.
	Kind DamageKind
	// Field is the name of the field the line was read into, "" when the
	// line was skipped.
	Field string
}

// String describes the damage for a person, for example
// `line 57: no colon; read as part of the "Subject" field`. The field name
// is quoted with Go escapes, so control bytes are shown, never sent.
func (d Damage) String() string {
	where := "line " + strconv.Itoa(d.Line) + ": " + string(d.Kind)
	switch d.Kind {
	case DamageNoColon, DamageFieldName:
		return fmt.Sprintf("%s; read as part of the %q field", where, d.Field)
	case DamageBlankFirst:
		return where + "; skipped"
	case DamageCRLineEnds:
		return "line ends: CR alone (classic Mac OS); every CR read as a line end"
	case DamageFoldedName:
		return fmt.Sprintf("%s; read as a %q field", where, d.Field)
	}
	return fmt.Sprintf("%s in the %q field; kept", where, d.Field)
}

// maxDamage bounds how many damaged lines ReadLenient forgives: beyond
// it the block is not a damaged header but something else.
const maxDamage = 32

// action is what the lenient reading does with a damaged line.
type action int

const (
	actKeep  action = iota // read it as it stands
	actFold                // read it as a continuation line
	actSkip                // leave it out
	actField               // start a field whose colon is on the next line
)

// forgive records the damage of line l (number n) and says what to do
// with it. field is the field being assembled ("" before the first one);
// msg is why l cannot start a field, "" when it can or l is a fold. An
// error means the lenient reading stops here: binary data, or too many
// damaged lines.
func forgive(dmg *[]Damage, l []byte, n int, field, msg string, next []byte) (action, *Error) {
	act, name := actKeep, field
	if msg == "" && (l[0] != ' ' && l[0] != '\t') {
		name = string(bytes.TrimRight(l[:bytes.IndexByte(l, ':')], " \t"))
	}
	add := func(k DamageKind, f string) *Error {
		if len(*dmg) >= maxDamage {
			return &Error{Line: n, Err: ErrSyntax, Msg: fmt.Sprintf("more than %d damaged lines", maxDamage)}
		}
		*dmg = append(*dmg, Damage{Line: n, Kind: k, Field: f})
		return nil
	}
	if msg != "" && field == "" {
		return actKeep, nil // not a field, and no field above it
	}
	if msg != "" && IsBinaryLine(l) {
		// Only a line Read refuses is judged: what Read accepts, the
		// lenient reading accepts too.
		return act, &Error{Line: n, Err: ErrSyntax, Msg: fmt.Sprintf("binary data in %q", clip(l))}
	}
	switch {
	case field == "" && (l[0] == ' ' || l[0] == '\t'):
		if len(bytes.Trim(l, " \t\r")) > 0 {
			return actKeep, nil // indented text: not a header block
		}
		return actSkip, add(DamageBlankFirst, "")
	case msg != "" && field != "" && foldedName(l, next):
		if err := add(DamageFoldedName, string(l)); err != nil {
			return act, err
		}
		act = actField
	case msg != "" && field != "":
		kind := DamageFieldName
		if bytes.IndexByte(l, ':') < 0 {
			kind = DamageNoColon
		}
		if err := add(kind, field); err != nil {
			return act, err
		}
		act = actFold
	default:
		if _, eight := checkFieldStart(l, true); eight {
			if err := add(DamageEightBitName, name); err != nil {
				return act, err
			}
		}
	}
	if bytes.IndexByte(l, '\r') >= 0 {
		if err := add(DamageBareCR, name); err != nil {
			return act, err
		}
	}
	if bytes.IndexByte(l, 0) >= 0 {
		if err := add(DamageNUL, name); err != nil {
			return act, err
		}
	}
	return act, nil
}

// foldedName reports whether l is a field name alone and next, the bytes
// after it, start with a folded line whose first non-blank byte is the
// colon.
func foldedName(l, next []byte) bool {
	if len(l) == 0 || len(next) == 0 || next[0] != ' ' && next[0] != '\t' {
		return false
	}
	for _, c := range l {
		if c <= ' ' || c >= 0x7f || c == ':' {
			return false
		}
	}
	rest := bytes.TrimLeft(next, " \t")
	return len(rest) > 0 && rest[0] == ':'
}

// IsBinaryLine reports whether line l (without its line end) looks like
// binary data rather than damaged text: more than 8 control bytes other
// than TAB and CR, or control bytes making up more than a quarter of it.
// The lenient reading stops at such a line.
func IsBinaryLine(l []byte) bool {
	n := 0
	for _, c := range l {
		if c < 0x20 && c != '\t' && c != '\r' || c == 0x7f {
			n++
		}
	}
	return n > 8 || 4*n > len(l)
}
