package signins

import "time"

// SignIn is one sign-in event, reduced to the fields the analysis reads.
type SignIn struct {
	// Time is when the sign-in happened (createdDateTime, "Date (UTC)",
	// TimeGenerated), in UTC.
	Time time.Time
	// User is the user principal name, lower-cased.
	User string
	// IP is the client address as Entra saw it.
	IP string
	// ClientApp is clientAppUsed ("Client app" in the portal CSV), such as
	// "IMAP4" or "Browser".
	ClientApp string
	// App is the application signed in to (appDisplayName).
	App string
	// ErrorCode is status.errorCode ("Sign-in error code", ResultType);
	// 0 is success.
	ErrorCode int
	// Location is "City, State, CC" when known, else what the export has.
	Location string
	// UserAgent is the client's user agent, when the export has it.
	UserAgent string
	// AuthProtocol is authenticationProtocol ("ropc", "oAuth2", …), when
	// the export has it.
	AuthProtocol string
	// Policies are the Conditional Access policies evaluated, with their
	// result, when the export has them (not in the portal CSV).
	Policies []PolicyResult
}

// PolicyResult is one entry of appliedConditionalAccessPolicies.
type PolicyResult struct {
	Name   string // displayName
	Result string // success, failure, notApplied, reportOnlyFailure, …
}

// Legacy reports whether the sign-in used legacy authentication: a legacy
// client app, the resource-owner password flow, or Exchange's basic-auth
// bridge (user agent BAV2ROPC).
func (s *SignIn) Legacy() bool {
	if ClassifyClientApp(s.ClientApp).Legacy() {
		return true
	}
	return equalFold(s.AuthProtocol, "ropc") || containsFold(s.UserAgent, "BAV2ROPC")
}

// Outcome classifies the sign-in's error code.
func (s *SignIn) Outcome() Outcome { return ClassifyCode(s.ErrorCode) }

// equalFold is strings.EqualFold for ASCII, without allocating.
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

// containsFold reports whether sub (ASCII) occurs in s, ignoring case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if equalFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
