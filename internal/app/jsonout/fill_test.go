package jsonout

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/authlens/authlens"
)

// The tests in this file fill a Report by reflection: every exported field
// of every struct reachable from it, however deep, is set. Because the
// filler discovers fields itself, a field added later to any of those
// structs is filled too; encoding/json then writes it and AppendReport,
// not taught about it, does not, and the comparison fails. The filler
// also fails on a kind of value it does not know how to fill, and on any
// reachable type with its own MarshalJSON or MarshalText other than
// time.Time (which appendTime reproduces), so such additions cannot slip
// through either.

// trickyStrings are the string values the filler draws from: everything
// whose escaping differs between careless encoders.
var trickyStrings = func() []string {
	s := []string{"", "plain ascii", "<a&b>", `"quoted" and \back\slash\`, "\x7f", "\xff\xfe", "\u2028", "\u2029",
		"é😀", "\xe2\x80", "\xed\xa0\x80", "tab\tnew\nline\r\n", "ends with \\", "\uFFFD", "a\x00b"}
	var all []byte
	for c := range 0x20 {
		s = append(s, string(rune(c)))
		all = append(all, byte(c))
	}
	return append(s, string(all))
}()

// fillMode chooses what the filler leaves zero.
type fillMode int

const (
	// fillAll sets every field: pointers non-nil, slices of 1–2
	// elements, maps of 2–3 keys, bools true, ints non-zero.
	fillAll fillMode = iota
	// fillSparse leaves each field zero (or an empty non-nil slice or map)
	// at random, so omitted members fall in every position of an object.
	fillSparse
	// fillZeroLeaves allocates every pointer, slice and map but leaves
	// strings, numbers, bools and times zero: omitempty must then keep
	// non-nil pointers to zero values and omit the zero scalars.
	fillZeroLeaves
)

// filler sets the fields of a value from a seeded random source.
type filler struct {
	t    *testing.T
	rng  *rand.Rand
	mode fillMode
	// target is the pre-order number of the one struct field to leave
	// zero (or, with empty, an empty non-nil slice or map); -1 for none.
	target int
	empty  bool
	// fields counts the struct fields visited; seen records them as
	// "Type.Field".
	fields int
	seen   map[string]bool
}

var (
	timeType          = reflect.TypeFor[time.Time]()
	errorType         = reflect.TypeFor[error]()
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// fillReport returns a Report filled by f.
func (f *filler) fillReport() *authlens.Report {
	r := new(authlens.Report)
	f.fill(reflect.ValueOf(r).Elem(), "Report")
	return r
}

// fill sets v, found at path, according to f's mode.
func (f *filler) fill(v reflect.Value, path string) {
	t := v.Type()
	if t != timeType && (t.Implements(jsonMarshalerType) || reflect.PointerTo(t).Implements(jsonMarshalerType) ||
		t.Implements(textMarshalerType) || reflect.PointerTo(t).Implements(textMarshalerType)) {
		f.t.Fatalf("%s: %s has its own JSON or text marshaler; reproduce its output in jsonout and teach the filler", path, t)
	}
	leaves := f.mode != fillZeroLeaves
	switch {
	case t == timeType:
		if leaves {
			v.Set(reflect.ValueOf(f.time()))
		}
		return
	case t == errorType:
		v.Set(reflect.ValueOf(errors.New(f.string())))
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		for i := range t.NumField() {
			sf := t.Field(i)
			if !sf.IsExported() {
				if sf.Anonymous {
					f.t.Fatalf("%s: unexported embedded %s; encoding/json promotes its fields: teach the filler", path, sf.Type)
				}
				continue // not encoded (such as DKIMVerdict.bPrefix)
			}
			f.seen[t.String()+"."+sf.Name] = true
			f.field(v.Field(i), path+"."+sf.Name)
		}
	case reflect.Pointer:
		v.Set(reflect.New(t.Elem()))
		f.fill(v.Elem(), path)
	case reflect.Slice:
		n := 1 + f.rng.IntN(2)
		v.Set(reflect.MakeSlice(t, n, n))
		for i := range n {
			f.fill(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			f.t.Fatalf("%s: map key %s; encoding/json sorts non-string keys differently: teach jsonout and the filler", path, t.Key())
		}
		v.Set(reflect.MakeMap(t))
		for n := 2 + f.rng.IntN(2); v.Len() < n; {
			k := reflect.New(t.Key()).Elem()
			k.SetString(f.string())
			e := reflect.New(t.Elem()).Elem()
			f.fill(e, path+"[key]")
			v.SetMapIndex(k, e)
		}
	case reflect.String:
		if leaves {
			v.SetString(f.string())
		}
	case reflect.Bool:
		v.SetBool(leaves)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if leaves {
			v.SetInt(f.int(t.Bits()))
		}
	case reflect.Float64:
		if leaves {
			v.SetFloat(f.float())
		}
	default:
		f.t.Fatalf("%s: the filler cannot fill a %s; teach it, and check how AppendReport writes it", path, t)
	}
}

// field fills one struct field, or leaves it zero or empty when it is
// the target or, in sparse mode, by chance.
func (f *filler) field(v reflect.Value, path string) {
	n := f.fields
	f.fields++
	zero := n == f.target
	empty := f.empty
	if f.mode == fillSparse && f.rng.IntN(3) == 0 {
		zero, empty = true, f.rng.IntN(2) == 0
	}
	if !zero {
		f.fill(v, path)
		return
	}
	switch k := v.Kind(); {
	case empty && k == reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 0, 0))
	case empty && k == reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
	}
}

// string returns one or two tricky strings joined.
func (f *filler) string() string {
	s := trickyStrings[f.rng.IntN(len(trickyStrings))]
	if f.rng.IntN(2) == 0 {
		s += trickyStrings[f.rng.IntN(len(trickyStrings))]
	}
	if s == "" && f.mode == fillAll && f.rng.IntN(2) == 0 {
		s = "x" // keep most strings non-empty when filling everything
	}
	return s
}

// int returns a non-zero integer that fits in bits, negatives included.
func (f *filler) int(bits int) int64 {
	for {
		var n int64
		switch f.rng.IntN(5) {
		case 0:
			n = []int64{1, -1, 7, -42, 255, 1 << 40}[f.rng.IntN(6)]
		case 1:
			n = []int64{math.MaxInt64, math.MinInt64}[f.rng.IntN(2)]
		default:
			n = f.rng.Int64() >> f.rng.IntN(63)
			if f.rng.IntN(2) == 0 {
				n = -n
			}
		}
		if shift := 64 - bits; n != 0 && n<<shift>>shift == n {
			return n
		}
	}
}

// float returns a finite number, often near the cut-offs between
// encoding/json's 'f' and 'e' notation.
func (f *filler) float() float64 {
	special := []float64{0, 1, -1, 0.5, 1e-6, 9.99999e-7, 1e-7, 1e20, 1e21, 123.456, 86400, 1.5e-300, math.MaxFloat64, math.SmallestNonzeroFloat64}
	if f.rng.IntN(2) == 0 {
		return special[f.rng.IntN(len(special))]
	}
	x := math.Float64frombits(f.rng.Uint64())
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return -2.75
	}
	return x
}

// time returns a time that time.Time.MarshalJSON accepts (years 0–9999,
// offsets under 24 hours), with or without nanoseconds.
func (f *filler) time() time.Time {
	zones := []*time.Location{time.UTC, time.FixedZone("", 0), time.FixedZone("EDT", -4*3600),
		time.FixedZone("", 5*3600+30*60), time.FixedZone("", -(23*3600 + 59*60)), time.FixedZone("", 23*3600+59*60+59)}
	ns := 0
	switch f.rng.IntN(3) {
	case 0:
		ns = f.rng.IntN(1e9)
	case 1:
		ns = f.rng.IntN(1000) * 1e6
	}
	return time.Date(f.rng.IntN(10000), time.Month(1+f.rng.IntN(12)), 1+f.rng.IntN(28),
		f.rng.IntN(24), f.rng.IntN(60), f.rng.IntN(60), ns, zones[f.rng.IntN(len(zones))])
}

// newFiller returns a filler for seed and mode that zeroes nothing.
func newFiller(t *testing.T, seed uint64, mode fillMode) *filler {
	return &filler{t: t, rng: rand.New(rand.NewPCG(seed, 0x6a736f6e6f7574)), mode: mode, target: -1, seen: map[string]bool{}}
}

// TestFilledReports compares AppendReport with encoding/json on reports
// filled completely, sparsely and with zero leaves, for many seeds.
func TestFilledReports(t *testing.T) {
	for seed := range uint64(200) {
		for _, mode := range []fillMode{fillAll, fillSparse, fillZeroLeaves} {
			f := newFiller(t, seed, mode)
			checkSame(t, fmt.Sprintf("seed %d mode %d", seed, mode), f.fillReport())
		}
	}
}

// TestFilledReportsOneZero fills everything but one field, for each field
// in turn: left zero (nil, "", 0, false) and, for slices and maps, empty
// but not nil.
func TestFilledReportsOneZero(t *testing.T) {
	for seed := range uint64(5) {
		all := newFiller(t, seed, fillAll)
		all.fillReport()
		for target := range all.fields {
			for _, empty := range []bool{false, true} {
				f := newFiller(t, seed, fillAll)
				f.target, f.empty = target, empty
				checkSame(t, fmt.Sprintf("seed %d field %d empty %v", seed, target, empty), f.fillReport())
			}
		}
	}
}

// TestFillerReachesEveryField guards the filler itself: filling
// everything must visit every exported field of every struct type
// reachable from Report (found here by walking the types, not values),
// and leave no null in encoding/json's output.
func TestFillerReachesEveryField(t *testing.T) {
	f := newFiller(t, 1, fillAll)
	b, err := reference(f.fillReport())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	structFields(reflect.TypeFor[authlens.Report](), want)
	for name := range want {
		if !f.seen[name] {
			t.Errorf("the filler never set %s", name)
		}
	}
	if len(want) < 100 {
		t.Errorf("only %d fields reachable from Report: the type walk is broken", len(want))
	}
	if bytes.Contains(b, []byte(":null")) {
		t.Errorf("a fully filled report has a null member:\n%s", b)
	}
}

// structFields adds "Type.Field" for every exported field of every struct
// type reachable from t.
func structFields(t reflect.Type, out map[string]bool) {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map:
		structFields(t.Elem(), out)
	case reflect.Struct:
		if t == timeType {
			return
		}
		for i := range t.NumField() {
			sf := t.Field(i)
			name := t.String() + "." + sf.Name
			if !sf.IsExported() || out[name] {
				continue
			}
			out[name] = true
			structFields(sf.Type, out)
		}
	}
}
