package signins

// ClientClass is the Conditional Access client-app bucket of a
// clientAppUsed value.
type ClientClass uint8

// Client classes. Only browsers and modern-authentication apps count as
// modern; Exchange ActiveSync is a bucket of its own and every other
// legacy protocol falls under "Other clients".
const (
	ClientUnknown    ClientClass = iota // empty or a value not listed
	ClientModern                        // Browser, Mobile Apps and Desktop clients
	ClientActiveSync                    // Exchange ActiveSync
	ClientOther                         // every other legacy protocol
)

// Legacy reports whether the class is legacy authentication.
func (c ClientClass) Legacy() bool { return c == ClientActiveSync || c == ClientOther }

// clientApps maps clientAppUsed values (lower-cased) to their class. Data
// writes "AutoDiscover" and "MAPI Over HTTP" where the documentation
// writes "Autodiscover" and "MAPI over HTTP", so matching ignores case.
var clientApps = map[string]ClientClass{
	"browser":                          ClientModern,
	"mobile apps and desktop clients":  ClientModern,
	"exchange activesync":              ClientActiveSync,
	"authenticated smtp":               ClientOther,
	"autodiscover":                     ClientOther,
	"exchange online powershell":       ClientOther,
	"exchange web services":            ClientOther,
	"imap4":                            ClientOther,
	"imap":                             ClientOther,
	"mapi over http":                   ClientOther,
	"offline address book":             ClientOther,
	"outlook anywhere (rpc over http)": ClientOther,
	"outlook service":                  ClientOther,
	"pop3":                             ClientOther,
	"pop":                              ClientOther,
	"reporting web services":           ClientOther,
	"other clients":                    ClientOther,
}

// ClassifyClientApp returns the class of a clientAppUsed value.
func ClassifyClientApp(app string) ClientClass {
	if app == "" {
		return ClientUnknown
	}
	var buf [40]byte
	if len(app) > len(buf) {
		return ClientUnknown
	}
	for i := 0; i < len(app); i++ {
		buf[i] = lower(app[i])
	}
	return clientApps[string(buf[:len(app)])]
}

// Advice says what a client app's users should move to before legacy
// authentication is blocked.
func Advice(app string) string {
	var buf [40]byte
	n := copy(buf[:], app)
	for i := range n {
		buf[i] = lower(buf[i])
	}
	switch string(buf[:n]) {
	case "authenticated smtp":
		return "send through an SMTP relay connector (Exchange Online connector by IP address or certificate) or switch the device to OAuth SMTP; then turn SMTP AUTH off for the mailbox (Set-CASMailbox -SmtpClientAuthenticationDisabled $true)"
	case "imap4", "imap", "pop3", "pop":
		return "move to a mail app with modern authentication (Outlook, or an app that signs in with OAuth)"
	case "exchange activesync":
		return "move to a mail app that uses modern authentication with ActiveSync (Outlook mobile, or a native app signing in with OAuth)"
	case "exchange online powershell":
		return "use the Exchange Online PowerShell V3 module, which signs in with modern authentication"
	case "exchange web services", "reporting web services":
		return "move the script or app to OAuth (or to Microsoft Graph)"
	case "mapi over http", "outlook anywhere (rpc over http)", "autodiscover", "offline address book", "outlook service":
		return "update Outlook to a version with modern authentication turned on"
	}
	return "find the device or app from its address and user agent, and move it to modern authentication"
}
