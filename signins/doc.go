// Package signins reads Microsoft Entra ID sign-in logs and reports legacy
// authentication and password spray.
//
// Legacy authentication (IMAP4, POP3, SMTP AUTH, Exchange ActiveSync and
// the other clients Conditional Access calls "Other clients") sends a
// password with every connection and cannot do multifactor
// authentication, so Conditional Access policies that require it do not
// apply and password sprays go through it. Before an admin turns on a
// "Block legacy authentication" policy they need to know which accounts
// and devices still use it; after an attack they need to know which
// accounts fell.
//
// The package reads the exports an admin can get (Read): the Entra portal
// CSV download, Microsoft Graph signIn JSON (pages or a bare array), Azure
// Monitor diagnostic-settings records and Log Analytics SigninLogs exports,
// recognised by content. An Analyzer takes the sign-ins one at a time, in
// bounded memory, and its Report holds:
//
//   - legacy use per account and client app, apart from attack traffic;
//   - password sprays: addresses failing against many accounts in a short
//     window (Microsoft Sentinel's rule: 5 accounts in 20 minutes) or over
//     a day (low and slow), and accounts failing from many addresses
//     (distributed), with the accounts whose password was accepted from a
//     spraying address;
//   - readiness for a "Block legacy authentication" policy: who it would
//     stop, what each should move to, report-only results, and the daily
//     count of Conditional Access blocks on legacy clients.
//
// Whether an error code proves the password was right follows Microsoft's
// error-code reference and the order in which Entra evaluates a sign-in:
// Conditional Access and multifactor requirements come only after the
// first factor succeeded (see Outcome).
//
// [Microsoft Entra error codes]: https://learn.microsoft.com/entra/identity-platform/reference-error-codes
// [Block legacy authentication]: https://learn.microsoft.com/entra/identity/conditional-access/block-legacy-authentication
package signins
