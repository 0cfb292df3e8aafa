package bigcommerce

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"
)

// Money is an exact decimal amount as the v2 API sends it: a string with four
// decimals ("336.3200"). It decodes from a JSON string or number (several v2
// fields are polymorphic), treats "" and null as zero, and encodes back as a
// four-decimal string so a value round-trips the way BigCommerce wrote it.
// It never passes through float64.
type Money struct{ decimal.Decimal }

// NewMoney parses s ("12.34") into Money; it panics on malformed input and is
// meant for constants in code and tests.
func NewMoney(s string) Money { return Money{decimal.RequireFromString(s)} }

// MoneyFromDecimal wraps d.
func MoneyFromDecimal(d decimal.Decimal) Money { return Money{d} }

// MarshalJSON writes the v2 wire form: a string with four decimals.
func (m Money) MarshalJSON() ([]byte, error) {
	return []byte(strconv.Quote(m.StringFixed(4))), nil
}

// UnmarshalJSON accepts "12.3400", 12.34, "", and null.
func (m *Money) UnmarshalJSON(b []byte) error {
	d, err := decodeDecimal(b)
	if err != nil {
		return err
	}
	m.Decimal = d
	return nil
}

// Number is an exact decimal amount as the v3 API sends it: a JSON number.
// Like Money it also accepts strings, "" and null on input, because payloads
// drift between API versions; it encodes as a bare JSON number.
type Number struct{ decimal.Decimal }

// NewNumber parses s into a Number; it panics on malformed input (constants only).
func NewNumber(s string) Number { return Number{decimal.RequireFromString(s)} }

// NumberFromDecimal wraps d.
func NumberFromDecimal(d decimal.Decimal) Number { return Number{d} }

// MarshalJSON writes a bare JSON number with no float rounding.
func (n Number) MarshalJSON() ([]byte, error) { return []byte(n.String()), nil }

// UnmarshalJSON accepts 12.34, "12.34", "", and null.
func (n *Number) UnmarshalJSON(b []byte) error {
	d, err := decodeDecimal(b)
	if err != nil {
		return err
	}
	n.Decimal = d
	return nil
}

// decodeDecimal is the shared tolerant decoder behind Money and Number.
func decodeDecimal(b []byte) (decimal.Decimal, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		return decimal.Zero, nil
	}
	s := string(b)
	if b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return decimal.Zero, fmt.Errorf("bigcommerce: decimal: %w", err)
		}
		if s == "" {
			return decimal.Zero, nil
		}
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero, fmt.Errorf("bigcommerce: decimal %q: %w", truncate(s, 40), err)
	}
	return d, nil
}

// FlexString decodes a field documented as "string or number" (for example
// payment_provider_id) into its textual form. null becomes "".
type FlexString string

// UnmarshalJSON accepts a JSON string, number, bool or null.
func (f *FlexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		*f = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("bigcommerce: flex string: %w", err)
		}
		*f = FlexString(s)
	case b[0] == '{' || b[0] == '[':
		return fmt.Errorf("bigcommerce: flex string: unexpected %c", b[0])
	default:
		*f = FlexString(b)
	}
	return nil
}

// FlexInt decodes an integer that some endpoints send as a string ("12") and
// others as a number (12); "" and null decode as 0.
type FlexInt int64

// UnmarshalJSON accepts 12, "12", "", and null.
func (f *FlexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		*f = 0
		return nil
	}
	s := string(b)
	if b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("bigcommerce: flex int: %w", err)
		}
		if s == "" {
			*f = 0
			return nil
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		// Some payloads carry "12.0"; accept an integral decimal.
		d, derr := decimal.NewFromString(s)
		if derr != nil || !d.IsInteger() {
			return fmt.Errorf("bigcommerce: flex int %q: %w", truncate(s, 40), err)
		}
		v = d.IntPart()
	}
	*f = FlexInt(v)
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
