package mailbox

import (
	"io/fs"
	"strings"
)

// isMaildir reports whether a directory with these entries is a Maildir: it
// has at least two of the subdirectories "cur", "new" and "tmp". Backups
// often drop an empty tmp, and a lone folder called "new" is not a Maildir.
func isMaildir(entries []fs.DirEntry) bool {
	n := 0
	for _, e := range entries {
		switch e.Name() {
		case "cur", "new", "tmp":
			if e.IsDir() || e.Type()&fs.ModeSymlink != 0 {
				n++
			}
		}
	}
	return n >= 2
}

// isMaildirMessages reports whether name, a subdirectory of a Maildir, holds
// delivered messages. "tmp" holds deliveries in progress and is skipped.
func isMaildirMessages(name string) bool {
	return name == "cur" || name == "new"
}

// isAuxFile reports whether a file found during a walk is one that mail
// programs keep next to their folders, or a hidden file, and is not mail.
func isAuxFile(name string) bool {
	if strings.HasPrefix(name, ".") {
		return true // .DS_Store, .uidvalidity, .mbsyncstate, lock files
	}
	switch {
	case strings.HasSuffix(name, ".msf"): // Thunderbird folder summary
		return true
	case strings.HasPrefix(name, "dovecot"), strings.HasPrefix(name, "courierimap"):
		return true
	}
	switch name {
	case "maildirfolder", "maildirsize", "subscriptions", // Maildir++
		"Info.plist", "table_of_contents", // Apple Mail export
		"Thumbs.db", "desktop.ini":
		return true
	}
	return false
}
