package authlens

import (
	"fmt"
	"strings"

	"github.com/authlens/authlens/finding"
)

// maxDamageListed bounds the damaged lines named in the finding.
const maxDamageListed = 5

// headerDamage reports the lines of the header block that break RFC 5322
// (section 2.2) but were read anyway, as a lenient mail reader reads them:
// the message is analysed rather than refused. Signatures are computed
// over the exact bytes, which the reading keeps, so a DKIM or ARC
// signature over a damaged field may fail because of the damage alone.
func (a *analysis) headerDamage() {
	d := a.msg.Damage
	if len(d) == 0 {
		return
	}
	var b strings.Builder
	for i, dm := range d {
		if i == maxDamageListed {
			fmt.Fprintf(&b, "; and %d more", len(d)-i)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(dm.String())
	}
	a.add(finding.Low, finding.CodeHeaderDamaged, "The header block is damaged and was read leniently (%d line(s)): %s. A signature covering a damaged field may fail for that reason alone.", len(d), b.String())
}
