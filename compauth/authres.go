package compauth

import "strings"

// authResults is what this package reads from the Authentication-Results
// field EOP writes: method results and the properties it needs.
//
// Example:
//
//	Authentication-Results: spf=none (sender IP is 192.0.2.7)
//	 smtp.helo=mail.example.org; dkim=none (message not signed)
//	 header.d=none;dmarc=fail action=none
//	 header.from=example.org;compauth=softpass reason=202
type authResults struct {
	spf, dkim, dmarc, action, arc string
	compauth, reason              string
}

// parseAuthResults reads Microsoft's form of Authentication-Results
// leniently: comments are dropped, ";" and white space separate
// tokens, and only key=value tokens are read (Microsoft's field has no
// authserv-id, and older ones carry bare recipient-domain tokens). The
// first occurrence of each key wins.
func parseAuthResults(value string) authResults {
	var ar authResults
	set := func(dst *string, v string) {
		if *dst == "" {
			*dst = strings.ToLower(v)
		}
	}
	text := stripComments(value)
	for _, tok := range strings.FieldsFunc(text, func(r rune) bool {
		return r == ';' || r == ' ' || r == '\t' || r == '\r' || r == '\n'
	}) {
		k, v, ok := strings.Cut(tok, "=")
		if !ok || v == "" {
			continue
		}
		switch strings.ToLower(k) {
		case "spf":
			set(&ar.spf, v)
		case "dkim":
			set(&ar.dkim, v)
		case "dmarc":
			set(&ar.dmarc, v)
		case "action":
			set(&ar.action, v)
		case "arc":
			set(&ar.arc, v)
		case "compauth":
			set(&ar.compauth, v)
		case "reason":
			if ar.compauth != "" {
				set(&ar.reason, v)
			}
		}
	}
	return ar
}

// ParseCompauth finds "compauth=<result> reason=<code>" in an
// Authentication-Results value; ok is false when there is none.
func ParseCompauth(value string) (result, reason string, ok bool) {
	ar := parseAuthResults(value)
	return ar.compauth, ar.reason, ar.compauth != ""
}

// inputs derives estimate inputs from Microsoft's own recorded results.
// DMARC's result already includes alignment; the policy is read from
// "action=" (none means p=none or sampling; quarantine, reject and the
// override and pct forms mean an enforcing policy). ARC trust is not
// recorded there, so an ARC override is never estimated from it.
func (ar authResults) inputs() Inputs {
	in := Inputs{SPFResult: ar.spf, DMARCResult: ar.dmarc}
	if ar.dkim != "" {
		in.DKIM = []DKIMInput{{Result: ar.dkim}}
	}
	switch a := ar.action; {
	case strings.Contains(a, "reject"):
		in.DMARCPolicy = "reject"
	case strings.Contains(a, "quarantine"):
		in.DMARCPolicy = "quarantine"
	case a == "none":
		in.DMARCPolicy = "none"
	}
	return in
}

// stripComments removes parenthesised comments, nested ones included.
func stripComments(s string) string {
	var b strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && depth > 0:
			i++
		case c == '(':
			depth++
			b.WriteByte(' ')
		case c == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteByte(c)
		}
	}
	return b.String()
}
