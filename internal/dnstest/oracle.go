package dnstest

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Keywords of the oracle zone format.
const (
	oracleTimeout  string = "TIMEOUT"  // the query goes unanswered
	oracleServFail string = "SERVFAIL" // the query answers SERVFAIL
)

// ErrOracleZone is wrapped by every error from [ParseOracleZone] and
// [OracleZone].
var ErrOracleZone = errors.New("dnstest: bad oracle zone")

// ParseOracleZone reads a zone in the conformance "oracle" format, JSON or
// YAML: a mapping from owner name (case-insensitive, trailing dot optional)
// to one of
//
//   - a string: one TXT record;
//   - a list: several TXT records, each a string or a list of
//     character-strings (concatenated without separator);
//   - a mapping {TXT: [...], A: [...], AAAA: [...], MX: [[10, "mx.example"]],
//     PTR: [...], CNAME: "target"}, where a type's value may be TIMEOUT
//     (that type times out) and the key "*" with value TIMEOUT makes every
//     type not listed time out;
//   - TIMEOUT: every question about the name times out.
//
// As an extension, SERVFAIL may stand wherever TIMEOUT may. Absent names are
// NXDOMAIN; present names without the asked type are NODATA.
func ParseOracleZone(data []byte) (*Zone, error) {
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrOracleZone, err)
	}
	return OracleZone(v)
}

// OracleZone builds a zone from an oracle zone already decoded from JSON or
// YAML into generic values (map[string]any, []any, string, numbers), or
// given as a *yaml.Node. A nil value is an empty zone.
func OracleZone(v any) (*Zone, error) {
	if n, ok := v.(*yaml.Node); ok {
		v = nil
		if err := n.Decode(&v); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrOracleZone, err)
		}
	}
	z := NewZone()
	if v == nil {
		return z, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: top level is %T, not a mapping", ErrOracleZone, v)
	}
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := z.addOracle(name, m[name]); err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrOracleZone, name, err)
		}
	}
	return z, nil
}

// UnmarshalYAML lets a Zone be a field of a YAML-decoded struct, read in the
// oracle format.
func (z *Zone) UnmarshalYAML(value *yaml.Node) error {
	nz, err := OracleZone(value)
	if err != nil {
		return err
	}
	z.replace(nz)
	return nil
}

// UnmarshalJSON lets a Zone be a field of a JSON-decoded struct, read in the
// oracle format.
func (z *Zone) UnmarshalJSON(data []byte) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return fmt.Errorf("%w: %w", ErrOracleZone, err)
	}
	nz, err := OracleZone(v)
	if err != nil {
		return err
	}
	z.replace(nz)
	return nil
}

// replace makes z hold the contents of nz.
func (z *Zone) replace(nz *Zone) {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.nodes, z.ttl, z.negTTL = nz.nodes, nz.ttl, nz.negTTL
}

// addOracle adds the oracle value v at name.
func (z *Zone) addOracle(name string, v any) error {
	z.AddName(name)
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		switch v {
		case oracleTimeout:
			z.SetTimeout(name, "")
		case oracleServFail:
			z.SetServFail(name, "")
		default:
			z.AddTXT(name, v)
		}
		return nil
	case []any:
		return z.addOracleTXT(name, v)
	case map[string]any:
		types := make([]string, 0, len(v))
		for t := range v {
			types = append(types, t)
		}
		sort.Strings(types)
		for _, t := range types {
			if err := z.addOracleType(name, t, v[t]); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("unexpected %T", v)
}

// addOracleType adds the records of one type from an oracle mapping.
func (z *Zone) addOracleType(name, typ string, v any) error {
	t := strings.ToUpper(typ)
	if s, ok := v.(string); ok && (s == oracleTimeout || s == oracleServFail) {
		if t != AllTypes {
			if _, err := parseType(t); err != nil {
				return err
			}
		}
		if s == oracleTimeout {
			z.SetTimeout(name, t)
		} else {
			z.SetServFail(name, t)
		}
		return nil
	}
	switch t {
	case "SPF":
		// RFC 7208, section 3.1: the SPF record type is obsolete and
		// clients do not query it, so its data is not served.
		return nil
	case "TXT":
		if s, ok := v.(string); ok {
			z.AddTXT(name, s)
			return nil
		}
		l, ok := v.([]any)
		if !ok {
			return fmt.Errorf("TXT: unexpected %T", v)
		}
		return z.addOracleTXT(name, l)
	case "A", "AAAA":
		for _, s := range listOf(v) {
			str, ok := s.(string)
			if !ok {
				return fmt.Errorf("%s: unexpected %T", t, s)
			}
			if err := z.addAddr(name, str, t == "AAAA"); err != nil {
				return err
			}
		}
		return nil
	case "MX":
		l, ok := v.([]any)
		if !ok {
			return fmt.Errorf("MX: unexpected %T", v)
		}
		if len(l) == 2 && !isList(l[0]) {
			l = []any{l}
		}
		for _, e := range l {
			pair, ok := e.([]any)
			if !ok || len(pair) != 2 {
				return fmt.Errorf("MX: want [preference, host], got %v", e)
			}
			pref, err := toUint16(pair[0])
			if err != nil {
				return fmt.Errorf("MX: %w", err)
			}
			host, ok := pair[1].(string)
			if !ok {
				return fmt.Errorf("MX: host %v is not a string", pair[1])
			}
			z.AddMX(name, pref, host)
		}
		return nil
	case "PTR":
		for _, s := range listOf(v) {
			str, ok := s.(string)
			if !ok {
				return fmt.Errorf("PTR: unexpected %T", s)
			}
			z.AddPTR(name, str)
		}
		return nil
	case "CNAME":
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("CNAME: unexpected %T", v)
		}
		z.SetCNAME(name, s)
		return nil
	}
	return fmt.Errorf("unsupported type %q", typ)
}

// addOracleTXT adds TXT records from an oracle list.
func (z *Zone) addOracleTXT(name string, l []any) error {
	for _, e := range l {
		switch e := e.(type) {
		case string:
			z.AddTXT(name, e)
		case []any:
			strs := make([]string, 0, len(e))
			for _, p := range e {
				s, ok := p.(string)
				if !ok {
					return fmt.Errorf("TXT: character-string %v is not a string", p)
				}
				strs = append(strs, s)
			}
			z.AddTXT(name, strs...)
		default:
			return fmt.Errorf("TXT: unexpected %T", e)
		}
	}
	return nil
}

// listOf returns v as a list, wrapping a single value.
func listOf(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}

// isList reports whether v is a list.
func isList(v any) bool {
	_, ok := v.([]any)
	return ok
}

// toUint16 converts a decoded number to uint16.
func toUint16(v any) (uint16, error) {
	var n int64
	switch v := v.(type) {
	case int:
		n = int64(v)
	case int64:
		n = v
	case uint64:
		if v > 65535 {
			return 0, fmt.Errorf("preference %d out of range", v)
		}
		n = int64(v)
	case float64:
		n = int64(v)
		if float64(n) != v {
			return 0, fmt.Errorf("preference %v is not an integer", v)
		}
	case string:
		i, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("preference %q: %w", v, err)
		}
		n = i
	default:
		return 0, fmt.Errorf("preference %v is not a number", v)
	}
	if n < 0 || n > 65535 {
		return 0, fmt.Errorf("preference %d out of range", n)
	}
	return uint16(n), nil
}
