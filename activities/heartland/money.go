package heartland

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Decimal is an exact decimal number as Heartland prints it: prices, costs,
// totals and quantities (quantities may be fractional when an item allows it).
// Floats are never used for money. It decodes from a JSON number, a numeric
// string or null (zero) and encodes as a bare JSON number, which is what the
// write bodies seen in working integrations send.
type Decimal struct{ decimal.Decimal }

// Money is a Decimal used for amounts in the account currency.
type Money = Decimal

// Qty is a Decimal used for stock and line quantities.
type Qty = Decimal

// maxDecimalLen bounds what the decoder accepts so a hostile payload such as
// "1e999999999" cannot make the big-number arithmetic allocate without limit.
const maxDecimalLen = 64

// Dec parses s ("12.50", "-3") and panics on malformed input; it is meant for
// literals in code and tests. Use ParseDecimal for data.
func Dec(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DecInt returns the integer i as a Decimal.
func DecInt(i int64) Decimal { return Decimal{decimal.NewFromInt(i)} }

// ParseDecimal parses a decimal string, rejecting exponents so that the value
// space stays within what Heartland can print.
func ParseDecimal(s string) (Decimal, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Decimal{}, nil
	}
	if len(s) > maxDecimalLen || strings.ContainsAny(s, "eE") {
		return Decimal{}, fmt.Errorf("heartland: invalid decimal %q", truncate(s, 40))
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return Decimal{}, fmt.Errorf("heartland: invalid decimal %q", truncate(s, 40))
	}
	return Decimal{d}, nil
}

// MarshalJSON writes the value as a bare JSON number.
func (d Decimal) MarshalJSON() ([]byte, error) { return []byte(d.Decimal.String()), nil }

// UnmarshalJSON accepts a number, a numeric string, or null.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		*d = Decimal{}
		return nil
	}
	s := string(b)
	if b[0] == '"' {
		u, err := strconv.Unquote(s)
		if err != nil {
			return fmt.Errorf("heartland: invalid decimal %s", truncate(s, 40))
		}
		s = u
	}
	v, err := ParseDecimal(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Add returns d+o.
func (d Decimal) Add(o Decimal) Decimal { return Decimal{d.Decimal.Add(o.Decimal)} }

// Sub returns d-o.
func (d Decimal) Sub(o Decimal) Decimal { return Decimal{d.Decimal.Sub(o.Decimal)} }

// Mul returns d*o.
func (d Decimal) Mul(o Decimal) Decimal { return Decimal{d.Decimal.Mul(o.Decimal)} }

// Neg returns -d.
func (d Decimal) Neg() Decimal { return Decimal{d.Decimal.Neg()} }

// Equal reports whether d and o are numerically equal (1.0 == 1).
func (d Decimal) Equal(o Decimal) bool { return d.Decimal.Equal(o.Decimal) }

// Ptr returns a pointer to a copy of d, for the optional fields of write bodies.
func (d Decimal) Ptr() *Decimal { return &d }

// Decimal must stay a json.Marshaler so write bodies carry bare numbers.
var _ json.Marshaler = Decimal{}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
