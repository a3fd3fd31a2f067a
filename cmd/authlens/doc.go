/*
Authlens tells whether an email message really comes from who it claims to
be, and why.

It reads each message named on the command line (a whole .eml file, or only
its header block pasted from a mail client; "-" reads standard input) and
reports what the receiver that handled it recorded: the SPF, DKIM and DMARC
results of the trusted Authentication-Results field, with identifier
alignment against the From domain recomputed, Microsoft 365's compauth
verdict explained, every Authentication-Results, ARC-Authentication-Results
and Received-SPF field listed, and findings on what looks wrong. No network
access is needed.

Usage:

	authlens [flags] FILE|DIR|- ...
	authlens spf --ip IP (--mail-from ADDR | --helo NAME)
	authlens dkim [--offline] [--at TIME|date|received] FILE...
	authlens dmarc [--dmarc-mode bis|7489] DOMAIN...
	authlens arc [--online] [--arc-trust D] FILE...
	authlens compauth [--result R] REASON...

Flags:

	--format text|json|csv
	                     text for people; json writes JSON Lines, one object
	                     per message; csv one row per message (fields
	                     documented in README.md)
	--online             re-check SPF, DKIM, DMARC and ARC over DNS
	--dns-server, --dns-zone, --dns-timeout, --at, --dmarc-mode, --arc-trust
	                     how the online checks run
	--jobs, --unordered, --max-message-size, --summary, --fail-on
	                     for scanning mailbox exports
	--color auto|always|never
	                     colour the text report; NO_COLOR is honoured
	--trust NAME[,NAME]  trust Authentication-Results only from these
	                     receivers (authserv-id, or a parent domain of it);
	                     Microsoft 365's fields match protection.outlook.com
	--version            print the version
	-h, --help           show help

Which receiver is trusted: by default the topmost Authentication-Results
field, which the last receiver wrote. Fields below it may come from earlier
hops or be forged by the sender; they are shown, not relied on.

All header text printed in the text report has control characters and
terminal escape sequences removed.

On a terminal, "authlens -" asks for the message: paste it (or its headers)
and press Ctrl-D once. Pipes and FIFOs named as files ("authlens <(cmd)",
"authlens /dev/stdin") are read once, like standard input. A damaged header
block (a line without a colon, white space before the first field, a bare
CR, a NUL, an 8-bit field name) is read leniently and reported as the
header-damaged finding; input whose first line is not a header field, or
that turns into binary data, is refused with the line and the reason.

--max-message-size takes bytes or a unit: KB, KiB, MB, MiB, GB, GiB (for
example 512KB or 64MiB).

# Exit codes

	0  every input was analysed, whatever the verdict
	1  some input could not be analysed (unreadable file, not a message),
	   or a message matched --fail-on
	2  bad flags or arguments
*/
package main
