package authlens

import (
	"github.com/authlens/authlens/bounce"
	"github.com/authlens/authlens/internal/header"
)

// bounceReport reads the message as a delivery failure report, when its
// header says it may be one (package bounce), and explains the failures
// that concern authentication: a sender's SMTP AUTH login refused, or a
// receiver's SPF, DKIM or DMARC rejection.
func (a *analysis) bounceReport() {
	if a.msg.Body == nil {
		return
	}
	h := fieldHeader(a.msg.Fields)
	if !bounce.Likely(h) {
		return // spare the body of every other message
	}
	rep, ok := bounce.Parse(h, a.msg.Body)
	if !ok {
		return
	}
	a.rep.Bounce = rep
	a.rep.Findings = append(a.rep.Findings, bounce.Findings(rep)...)
}

// fieldHeader gives package bounce the first value of a field.
type fieldHeader []header.Field

func (f fieldHeader) Get(name string) string {
	for _, fl := range f {
		if fl.Is(name) {
			return fl.Value()
		}
	}
	return ""
}
