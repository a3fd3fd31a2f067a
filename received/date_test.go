package received

import (
	"errors"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Tue, 24 Oct 2023 00:25:13 -0400 (EDT)", "2023-10-24T04:25:13Z"},
		{"Tue, 24 Oct 2023 00:25:13 -0400", "2023-10-24T04:25:13Z"},
		{"24 Oct 2023 00:25:13 +0000", "2023-10-24T00:25:13Z"},
		{"Mon, 10 Oct 2022\r\n 15:11:35 -0500", "2022-10-10T20:11:35Z"},
		{"Wed, 26 Jan 2022 09:06:51 +0000", "2022-01-26T09:06:51Z"},
		{"Fri, 20 Sep 2024 08:53:29 +0000 (UTC)", "2024-09-20T08:53:29Z"},
		{"Fri, 13 Mar 2026 12:00 +0900", "2026-03-13T03:00:00Z"},
		{"Thu, 12 Mar 2026 09:00:00 GMT", "2026-03-12T09:00:00Z"},
		{"Thu, 12 Mar 2026 09:00:00 UT", "2026-03-12T09:00:00Z"},
		{"Thu, 12 Mar 2026 04:00:00 EST", "2026-03-12T09:00:00Z"},
		{"Thu, 12 Mar 2026 02:00:00 PDT", "2026-03-12T09:00:00Z"},
		{"Thu, 12 Mar 2026 09:00:00 A", "2026-03-12T09:00:00Z"},
		{"Thu, 12 Mar 2026 09:00:00", "2026-03-12T09:00:00Z"},
		{"Thu, 12 Mar 2026 10:00:00 +0100 (CET) (extra)", "2026-03-12T09:00:00Z"},
		{"Thu, 12 Mar 2026 10:00:00 +0100 CET", "2026-03-12T09:00:00Z"},
		{"Thu, 12 Mar 26 09:00:00 +0000", "2026-03-12T09:00:00Z"},
		{"12 Mar 99 09:00:00 +0000", "1999-03-12T09:00:00Z"},
		{"12 Mar 126 09:00:00 +0000", "2026-03-12T09:00:00Z"},
		{"Thursday, 12 March 2026 09:00:00.123 +0000", "2026-03-12T09:00:00Z"},
		{"Thu Mar 12 09:00:00 2026", "2026-03-12T09:00:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			d, err := ParseDate(unfold(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if got := d.UTC().Format(time.RFC3339); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestParseDateErrors(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"", ErrNoDate},
		{"(UTC)", ErrNoDate},
		{"12 2026 09:00:00 +0000", ErrDate},
		{"Thu, 12 Mar 09:00:00 +0000", ErrDate},
		{"Thu, 12 Mar 2026 +0000", ErrDate},
		{"Thu, 12 Mar 2026 25:00:00 +0000", ErrDate},
		{"Thu, 12 Mar 2026 09:00:00 +9900", ErrDate},
		{"Thu, 30 Feb 2026 09:00:00 +0000", ErrDate},
		{"01 Nov 10000 00:00:00 +0000", ErrDate},
		{"Thu, 12 Mar 2026 09:00:00 +0000 7 8", ErrDate},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if _, err := ParseDate(tc.in); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}
