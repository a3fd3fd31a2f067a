package signins

import (
	"strings"
)

// jsonRecord holds the fields of a sign-in in any of the JSON layouts.
// encoding/json matches keys without regard to case, so Graph's camelCase
// (userPrincipalName) and Log Analytics' PascalCase (UserPrincipalName)
// land in the same field. Azure Monitor records carry the Graph fields in
// Properties.
type jsonRecord struct {
	CreatedDateTime   string       `json:"createdDateTime"`
	TimeGenerated     string       `json:"TimeGenerated"`
	Time              string       `json:"time"`
	UserPrincipalName string       `json:"userPrincipalName"`
	IPAddress         string       `json:"ipAddress"`
	CallerIPAddress   string       `json:"callerIpAddress"`
	ClientAppUsed     string       `json:"clientAppUsed"`
	AppDisplayName    string       `json:"appDisplayName"`
	Status            flexStatus   `json:"status"`
	ResultType        flexInt      `json:"resultType"`
	Location          flexLocation `json:"location"`
	LocationDetails   flexLocation `json:"LocationDetails"`
	UserAgent         string       `json:"userAgent"`
	AuthProtocol      string       `json:"authenticationProtocol"`
	Applied           flexPolicies `json:"appliedConditionalAccessPolicies"`
	CAPolicies        flexPolicies `json:"ConditionalAccessPolicies"`
	Category          string       `json:"category"`
	ServicePrincipal  string       `json:"servicePrincipalId"`
	Properties        *jsonRecord  `json:"properties"`
}

// format tells which JSON layout the record is in.
func (r *jsonRecord) format() Format {
	switch {
	case r.Properties != nil:
		return FormatAzureMonitor
	case r.TimeGenerated != "" || r.ResultType.set:
		return FormatLogAnalyticsJSON
	}
	return FormatGraphJSON
}

// signIn fills s from the record; it returns why the record cannot be used.
func (r *jsonRecord) signIn(s *SignIn) SkipReason {
	p := r
	if r.Properties != nil {
		p = r.Properties
	}
	// ServicePrincipalSignInLogs, MicrosoftServicePrincipalSignInLogs,
	// ManagedIdentitySignInLogs: no user signs in.
	if containsFold(r.Category, "ServicePrincipal") || containsFold(r.Category, "ManagedIdentity") {
		return SkipNotUser
	}
	ts := firstNonEmpty(p.CreatedDateTime, r.CreatedDateTime, p.TimeGenerated, r.TimeGenerated, r.Time)
	if ts == "" {
		return SkipNoTime
	}
	t, ok := parseTime(ts)
	if !ok {
		return SkipBadTime
	}
	user := strings.TrimSpace(firstNonEmpty(p.UserPrincipalName, r.UserPrincipalName))
	if user == "" {
		if p.ServicePrincipal != "" {
			return SkipNotUser
		}
		return SkipNoUser
	}
	var code int
	switch {
	case p.Status.set:
		code = p.Status.code
	case p.ResultType.set:
		code = p.ResultType.code
	case r.ResultType.set:
		code = r.ResultType.code
	default:
		return SkipBadCode
	}
	loc := firstNonEmpty(p.LocationDetails.s, p.Location.s, r.LocationDetails.s, r.Location.s)
	pol := p.Applied
	if len(pol) == 0 {
		pol = p.CAPolicies
	}
	*s = SignIn{
		Time:         t,
		User:         strings.ToLower(user),
		IP:           strings.TrimSpace(firstNonEmpty(p.IPAddress, r.CallerIPAddress)),
		ClientApp:    strings.TrimSpace(p.ClientAppUsed),
		App:          p.AppDisplayName,
		ErrorCode:    code,
		Location:     loc,
		UserAgent:    p.UserAgent,
		AuthProtocol: p.AuthProtocol,
		Policies:     append(s.Policies[:0], pol...),
	}
	return ""
}

// empty reports whether the record has none of the sign-in fields.
func (r *jsonRecord) empty() bool {
	p := r
	if r.Properties != nil {
		p = r.Properties
	}
	return firstNonEmpty(p.CreatedDateTime, r.CreatedDateTime, p.TimeGenerated, r.TimeGenerated, r.Time,
		p.UserPrincipalName, r.UserPrincipalName) == "" && !p.Status.set && !p.ResultType.set && !r.ResultType.set
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}
