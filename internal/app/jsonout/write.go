package jsonout

import (
	"math"
	"slices"
	"strconv"
	"time"
)

// The helpers below write one member of a JSON object. open is the offset
// in dst of the object's '{': a member is preceded by a comma unless
// nothing follows that brace yet, which keeps omitted (omitempty) members
// from leaving a stray comma whatever their position. name is a field's
// JSON name from its struct tag; the names are plain ASCII and are written
// without escaping, as encoding/json writes them.
//
// The "Omit" variants implement omitempty: nothing is written for "", 0,
// false, a nil pointer, or a nil or empty slice or map.

// field appends the separator and the quoted name of the next member.
func field(dst []byte, open int, name string) []byte {
	if len(dst) > open+1 {
		dst = append(dst, ',')
	}
	dst = append(dst, '"')
	dst = append(dst, name...)
	return append(dst, '"', ':')
}

// str writes a string member.
func str(dst []byte, open int, name, v string) []byte {
	return appendString(field(dst, open, name), v)
}

// strOmit writes a string member unless v is "".
func strOmit(dst []byte, open int, name, v string) []byte {
	if v == "" {
		return dst
	}
	return str(dst, open, name, v)
}

// boolean writes a bool member.
func boolean(dst []byte, open int, name string, v bool) []byte {
	return strconv.AppendBool(field(dst, open, name), v)
}

// boolPtrOmit writes a *bool member unless p is nil.
func boolPtrOmit(dst []byte, open int, name string, p *bool) []byte {
	if p == nil {
		return dst
	}
	return boolean(dst, open, name, *p)
}

// integer writes an int member.
func integer(dst []byte, open int, name string, v int) []byte {
	return strconv.AppendInt(field(dst, open, name), int64(v), 10)
}

// intOmit writes an int member unless v is 0.
func intOmit(dst []byte, open int, name string, v int) []byte {
	if v == 0 {
		return dst
	}
	return integer(dst, open, name, v)
}

// intPtrOmit writes an *int member unless p is nil.
func intPtrOmit(dst []byte, open int, name string, p *int) []byte {
	if p == nil {
		return dst
	}
	return integer(dst, open, name, *p)
}

// float writes a float64 member.
func float(dst []byte, open int, name string, v float64) []byte {
	return appendFloat(field(dst, open, name), v)
}

// timeOmitZero writes a time.Time member unless t.IsZero() (omitzero
// uses the type's IsZero method).
func timeOmitZero(dst []byte, open int, name string, t time.Time) []byte {
	if t.IsZero() {
		return dst
	}
	return appendTime(field(dst, open, name), t)
}

// strs writes a []string member: null when nil.
func strs(dst []byte, open int, name string, v []string) []byte {
	return appendStrings(field(dst, open, name), v)
}

// strsOmit writes a []string member unless it is empty.
func strsOmit(dst []byte, open int, name string, v []string) []byte {
	if len(v) == 0 {
		return dst
	}
	return strs(dst, open, name, v)
}

// object writes a struct-valued member with enc.
func object[T any](dst []byte, open int, name string, v *T, enc func([]byte, *T) []byte) []byte {
	return enc(field(dst, open, name), v)
}

// ptr writes a pointer member: null when nil, else enc's output.
func ptr[T any](dst []byte, open int, name string, p *T, enc func([]byte, *T) []byte) []byte {
	dst = field(dst, open, name)
	if p == nil {
		return append(dst, "null"...)
	}
	return enc(dst, p)
}

// ptrOmit writes a pointer member unless p is nil.
func ptrOmit[T any](dst []byte, open int, name string, p *T, enc func([]byte, *T) []byte) []byte {
	if p == nil {
		return dst
	}
	return enc(field(dst, open, name), p)
}

// array writes a slice member: null when nil, [] when empty.
func array[T any](dst []byte, open int, name string, v []T, enc func([]byte, *T) []byte) []byte {
	return appendArray(field(dst, open, name), v, enc)
}

// arrayOmit writes a slice member unless it is empty.
func arrayOmit[T any](dst []byte, open int, name string, v []T, enc func([]byte, *T) []byte) []byte {
	if len(v) == 0 {
		return dst
	}
	return array(dst, open, name, v, enc)
}

// appendArray appends v as a JSON array, each element written by enc;
// a nil slice is null, an empty one [].
func appendArray[T any](dst []byte, v []T, enc func([]byte, *T) []byte) []byte {
	if v == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i := range v {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = enc(dst, &v[i])
	}
	return append(dst, ']')
}

// appendStrings appends v as a JSON array of strings; nil is null.
func appendStrings(dst []byte, v []string) []byte {
	if v == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, s := range v {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, s)
	}
	return append(dst, ']')
}

// smallMap is how many keys appendStringMap sorts in a buffer on the
// stack; larger maps cost one allocation for the key list.
const smallMap = 32

// appendStringMap appends m as a JSON object with its keys in byte order,
// as encoding/json sorts them (keys are escaped like any string); nil is
// null.
func appendStringMap(dst []byte, m map[string]string) []byte {
	if m == nil {
		return append(dst, "null"...)
	}
	var buf [smallMap]string
	keys := buf[:0]
	if len(m) > len(buf) {
		keys = make([]string, 0, len(m))
	}
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, k)
		dst = append(dst, ':')
		dst = appendString(dst, m[k])
	}
	return append(dst, '}')
}

// appendFloat appends f as encoding/json does: the shortest decimal that
// reads back as f, in 'f' notation unless |f| < 1e-6 or |f| >= 1e21,
// where it uses 'e' notation with the exponent unpadded (1e-7, not
// 1e-07). encoding/json refuses NaN and ±Inf; they cannot occur here
// (the float fields are durations in seconds) and are written as null.
func appendFloat(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, "null"...)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst
}

// appendTime appends t as time.Time's MarshalJSON writes it: quoted RFC
// 3339 with nanoseconds, trailing zeros dropped. For a year outside
// 0–9999 or a zone offset of 24 hours or more MarshalJSON fails (and
// encoding/json with it, for the whole report); the same text is written
// here regardless. received.ParseDate never returns such a time.
func appendTime(dst []byte, t time.Time) []byte {
	dst = append(dst, '"')
	dst = t.AppendFormat(dst, time.RFC3339Nano)
	return append(dst, '"')
}
