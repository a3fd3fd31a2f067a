package signins

// Outcome says what a sign-in's error code tells about the password.
type Outcome uint8

// Outcomes. CA and multifactor requirements are evaluated only after the
// first factor succeeded, so a sign-in that ends in one of them proves the
// password was right even though it failed.
const (
	// OutcomeSuccess: error code 0.
	OutcomeSuccess Outcome = iota
	// OutcomeAccepted: a failure that only happens after the password was
	// accepted (multifactor required or declined, password expired,
	// interrupts).
	OutcomeAccepted
	// OutcomeBlocked: blocked by Conditional Access after the password was
	// accepted (53003, 53000, 53001).
	OutcomeBlocked
	// OutcomeBlockedUnknown: blocked by policy where the password may not
	// have been checked (530032 security policy, 530035 security
	// defaults).
	OutcomeBlockedUnknown
	// OutcomeBadPassword: 50126, wrong user name or password.
	OutcomeBadPassword
	// OutcomeLockout: 50053, Smart Lockout or a malicious-address block,
	// returned whatever the password.
	OutcomeLockout
	// OutcomeNoAccount: 50034 (no such account) or 50056 (no password
	// stored), which a spray guessing names produces.
	OutcomeNoAccount
	// OutcomeFailure: any other failure.
	OutcomeFailure
)

// Error codes the analysis names (Microsoft Entra error-code reference).
const (
	codeSuccess           = 0
	codeBadPassword       = 50126 // InvalidUserNameOrPassword
	codeLockout           = 50053 // IdsLocked: Smart Lockout or malicious IP
	codeNoAccount         = 50034 // UserAccountNotFound
	codeNoPassword        = 50056 // no password stored for the account
	codePasswordExpired   = 50055
	codeMFAInterrupt      = 50074 // strong authentication required (interrupt)
	codeMFARequired       = 50076 // MFA required by policy
	codeMFARegister       = 50079 // must register for MFA
	codeMFADenied         = 500121
	codeExternalChallenge = 50158
	codePasswordReset     = 50125
	codeKMSI              = 50140
	codeCABlock           = 53003 // BlockedByConditionalAccess
	codeCANotCompliant    = 53000 // DeviceNotCompliant
	codeCANotJoined       = 53001 // DeviceNotDomainJoined
	codeCASecurityPolicy  = 530032
	codeSecurityDefaults  = 530035
)

// ClassifyCode tells what an error code says about the password.
func ClassifyCode(code int) Outcome {
	switch code {
	case codeSuccess:
		return OutcomeSuccess
	case codeMFAInterrupt, codeMFARequired, codeMFARegister, codeMFADenied,
		codeExternalChallenge, codePasswordReset, codeKMSI, codePasswordExpired:
		return OutcomeAccepted
	case codeCABlock, codeCANotCompliant, codeCANotJoined:
		return OutcomeBlocked
	case codeCASecurityPolicy, codeSecurityDefaults:
		return OutcomeBlockedUnknown
	case codeBadPassword:
		return OutcomeBadPassword
	case codeLockout:
		return OutcomeLockout
	case codeNoAccount, codeNoPassword:
		return OutcomeNoAccount
	}
	return OutcomeFailure
}

// CredentialAccepted reports whether the outcome proves the password was
// right.
func (o Outcome) CredentialAccepted() bool {
	return o == OutcomeSuccess || o == OutcomeAccepted || o == OutcomeBlocked
}

// Blocked reports whether a policy blocked the sign-in.
func (o Outcome) Blocked() bool { return o == OutcomeBlocked || o == OutcomeBlockedUnknown }

// SprayFailure reports whether the outcome is what a password guess
// produces: a wrong password, a lockout, or an unknown account.
func (o Outcome) SprayFailure() bool {
	return o == OutcomeBadPassword || o == OutcomeLockout || o == OutcomeNoAccount
}
