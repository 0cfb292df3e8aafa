package workflows

import (
	"regexp"
	"strings"
)

// The server stores search attributes in clear (payloads are encrypted,
// search attributes cannot be: the server filters on them), and an
// attention reason may quote an API's own error text, which can echo what
// hrbc sent: a customer's e-mail, phone, name or address. So the copy of a
// reason in HrbcAttention goes through SearchableAttention; the full
// reason stays in the workflow's state, which only travels encrypted (the
// status query, `starter orders show`).

// Placeholders that stand in for what SearchableAttention removes; a
// person sees that something was there and reads it in the status query.
const (
	redactedEmail = "[email]"
	redactedPhone = "[phone]"
	redactedValue = "[redacted]"
)

var (
	// emailPattern is an address as APIs quote them (local@domain.tld),
	// lenient on purpose: removing a little too much is cheaper than
	// leaving an address in clear.
	emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+\-']+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+`)

	// phonePattern finds runs that may be phone numbers: an optional +,
	// digits in groups joined by spaces, '-', '.', '/' or parentheses.
	// isPhone decides which runs are.
	phonePattern = regexp.MustCompile(`\+?\(?\d[\d ().\-/]{5,}\d`)

	// personalField is a quoted or bare value after a field that holds
	// personal data, as an API error echoing a request body shows it
	// ("first_name":"Ada", email=ada@example.com, 'street_1': '1 Main St').
	personalField = regexp.MustCompile(`(?i)(["']?\b(?:first_?name|last_?name|full_?name|customer_?name|name|company|email|e-mail|phone|mobile|street(?:_?[12])?|address(?:_?[12])?|address_line_?[12]|city|zip|postal_?code|postcode)["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;{}\[\]"'=:]+)`)

	isoDate   = regexp.MustCompile(`^\d{4}-\d{1,2}-\d{1,2}`)
	dottedIP  = regexp.MustCompile(`^\d{1,3}(\.\d{1,3}){3}$`)
	separator = regexp.MustCompile(`[ ().\-/]+`)
)

// SearchableAttention is the copy of an attention reason that may be stored
// in clear in HrbcAttention: e-mail addresses, phone-like numbers and the
// values of personal fields (name, e-mail, phone, address parts) an API
// error quotes are replaced by placeholders. Everything else, the order
// numbers, SKUs, amounts, statuses and what to do, is kept, so the list of
// what needs a person still reads as one. It is deterministic and safe in
// workflow code.
func SearchableAttention(reason string) string {
	if reason == "" {
		return ""
	}
	out := redactPersonalFields(reason)
	out = emailPattern.ReplaceAllString(out, redactedEmail)
	out = phonePattern.ReplaceAllStringFunc(out, func(m string) string {
		trimmed := strings.TrimRight(m, " ")
		if !isPhone(trimmed) {
			return m
		}
		return redactedPhone + m[len(trimmed):]
	})
	return out
}

// isPhone reports whether a run of digits and separators looks like a
// phone number rather than an id, an amount, a date or an address: 7 to 15
// digits (E.164's most) with a leading + or at least two separators, or 10
// to 15 digits bare. Dates (2026-12-01) and dotted IPv4 addresses are not
// phones; an order or product id is a bare run of fewer than 10 digits.
func isPhone(run string) bool {
	digits := 0
	for _, r := range run {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	if digits < 7 || digits > 15 || isoDate.MatchString(run) || dottedIP.MatchString(run) {
		return false
	}
	seps := len(separator.FindAllString(run, -1))
	return strings.HasPrefix(run, "+") || seps >= 2 || (seps == 0 && digits >= 10)
}

// redactPersonalFields replaces the value of every personal field. A bare
// "value" that is itself followed by ':' or '=' is the next field's name
// ("address: street_1='…'"), so the scan resumes there instead.
func redactPersonalFields(s string) string {
	var b strings.Builder
	pos := 0
	for pos < len(s) {
		m := personalField.FindStringSubmatchIndex(s[pos:])
		if m == nil {
			break
		}
		keyEnd, valStart, valEnd := pos+m[3], pos+m[4], pos+m[5]
		if valEnd < len(s) && (s[valEnd] == ':' || s[valEnd] == '=') {
			b.WriteString(s[pos:valStart])
			pos = valStart
			continue
		}
		b.WriteString(s[pos:keyEnd])
		b.WriteString(redactedValue)
		pos = valEnd
	}
	b.WriteString(s[pos:])
	return b.String()
}
