package cli

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// sizeUnits are the units a size flag takes, case ignored: SI (powers of
// 1000) and IEC (powers of 1024) prefixes, as in "512KB" or "64MiB".
var sizeUnits = []struct {
	name string
	mult int64
}{
	{"", 1}, {"b", 1},
	{"kb", 1000}, {"kib", 1 << 10},
	{"mb", 1000 * 1000}, {"mib", 1 << 20},
	{"gb", 1000 * 1000 * 1000}, {"gib", 1 << 30},
}

// parseSize reads a byte count: a number, optionally with a decimal part,
// and an optional unit (B, KB, KiB, MB, MiB, GB, GiB), white space between
// them allowed.
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	bad := fmt.Errorf("%q is not a size: give bytes, or a number with a unit: KB, KiB, MB, MiB, GB or GiB (for example 512KB or 64MiB)", s)
	if num == "" {
		return 0, bad
	}
	for _, u := range sizeUnits {
		if u.name != unit {
			continue
		}
		if n, err := strconv.ParseInt(num, 10, 64); err == nil && n <= math.MaxInt64/u.mult {
			return n * u.mult, nil
		}
		f, err := strconv.ParseFloat(num, 64)
		if err != nil || f*float64(u.mult) >= math.MaxInt64 {
			return 0, bad
		}
		return int64(f * float64(u.mult)), nil
	}
	return 0, bad
}

// formatSize writes n in the largest IEC unit that divides it.
func formatSize(n int64) string {
	for _, u := range []struct {
		name string
		mult int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.mult && n%u.mult == 0 {
			return strconv.FormatInt(n/u.mult, 10) + u.name
		}
	}
	return strconv.FormatInt(n, 10)
}

// sizeValue is a flag holding a byte count that takes units.
type sizeValue struct{ n *int64 }

func (v sizeValue) Set(s string) error {
	n, err := parseSize(s)
	if err != nil {
		return err
	}
	*v.n = n
	return nil
}

func (v sizeValue) String() string { return formatSize(*v.n) }
func (v sizeValue) Type() string   { return "size" }
