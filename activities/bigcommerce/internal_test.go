package bigcommerce

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseErrorShapes(t *testing.T) {
	v2, _ := os.ReadFile("testdata/error_v2.json")
	p207, _ := os.ReadFile("testdata/error_207.json")
	tests := []struct {
		name   string
		body   string
		title  string
		fields map[string]string
	}{
		{"v3", `{"status":422,"title":"JSON data is missing or invalid","type":"x","errors":{"name":"error.expected.jsstring"}}`,
			"JSON data is missing or invalid", map[string]string{"name": "error.expected.jsstring"}},
		{"v2 array", string(v2), "The field 'status_id' is invalid.", nil},
		{"refund data array", `{"data":[{"status":422,"title":"Unable to provide store credit for a guest customer.","type":"x"}]}`,
			"Unable to provide store credit for a guest customer.", nil},
		{"errors as lists", `{"status":422,"title":"Bad","errors":{"sku":["too long","taken"]}}`, "Bad", map[string]string{"sku": "too long; taken"}},
		{"html", `<html><body>Bad Gateway</body></html>`, "<html><body>Bad Gateway</body></html>", nil},
		{"empty", ``, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			title, fields := parseErrorBody([]byte(tc.body))
			if title != tc.title || len(fields) != len(tc.fields) {
				t.Fatalf("got %q %v", title, fields)
			}
			for k, v := range tc.fields {
				if fields[k] != v {
					t.Fatalf("field %s = %q", k, fields[k])
				}
			}
		})
	}
	pe := newPartialError("PUT", "/v3/catalog/products", p207)
	if pe.Message != "Inventory could not be updated" || pe.Fields["inventory_level"] == "" || !strings.Contains(string(pe.Data), "SM-LPJ") {
		t.Fatalf("207 = %+v", pe)
	}
	err := newStatusError("PUT", "/v2/orders/1", 400, v2)
	if !strings.Contains(err.Error(), "PUT /v2/orders/1: 400 Bad Request: The field 'status_id' is invalid.") {
		t.Fatalf("message = %q", err)
	}
}

func TestSecretsNeverPrinted(t *testing.T) {
	const tok = "super-secret-token-123"
	cfg := Config{StoreHash: "abc", AccessToken: tok}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	for _, s := range []string{cfg.String(), cfg.GoString(), c.String(), c.GoString()} {
		sb.WriteString(s)
	}
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		sb.WriteString(sprintf(f, cfg))
		sb.WriteString(sprintf(f, c))
		sb.WriteString(sprintf(f, &cfg))
		sb.WriteString(sprintf(f, cfg.AccessToken))
	}
	if strings.Contains(sb.String(), tok) {
		t.Fatalf("token printed: %s", sb.String())
	}
	b, _ := cfg.AccessToken.MarshalJSON()
	if strings.Contains(string(b), tok) {
		t.Fatal("token marshalled")
	}
}

func TestPacerSpreadsWhenLow(t *testing.T) {
	p := newPacer(0.5, 0)
	h := http.Header{}
	h.Set(hdrQuota, "10")
	h.Set(hdrLeft, "2")
	h.Set(hdrResetMs, "1000")
	h.Set(hdrWindowMs, "1000")
	p.sent()
	p.observe(h)
	st := p.state()
	if !st.Known || st.Left != 2 || st.Quota != 10 {
		t.Fatalf("state %+v", st)
	}
	// Two left of ten with ~1 s to go: the second send is spaced, not immediate.
	p.mu.Lock()
	now := time.Now()
	p.mu.Unlock()
	if err := p.wait(t.Context(), 0); err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	next := p.nextEarliest
	p.mu.Unlock()
	if next.Sub(now) < 300*time.Millisecond {
		t.Fatalf("next send only %s away", next.Sub(now))
	}
}

func TestIsRetryableNil(t *testing.T) {
	if IsRetryable(nil) || IsRetryable(errors.New("x")) {
		t.Fatal("plain errors are not retryable")
	}
	if _, ok := RetryDelay(errors.New("x")); ok {
		t.Fatal("no delay for plain errors")
	}
}

func FuzzParseErrorBody(f *testing.F) {
	for _, s := range []string{`{"status":422,"title":"x","errors":{"a":"b"}}`, `[{"status":400,"message":"m"}]`, `{"data":[{"title":"t"}]}`, `{"errors":[1,2]}`, `null`, `<html>`, `{"data":{"id":1},"errors":{"status":422}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = parseErrorBody(b)
		_ = newPartialError("PUT", "/p", b)
		_ = newStatusError("GET", "/p", 418, b).Error()
	})
}

func FuzzRateLimitHeaders(f *testing.F) {
	f.Add("150", "35", "15000", "30000", "3")
	f.Add("", "", "", "", "")
	f.Add("-1", "NaN", "1e308", "x", "-5")
	f.Fuzz(func(t *testing.T, quota, left, reset, window, retry string) {
		h := http.Header{}
		h.Set(hdrQuota, quota)
		h.Set(hdrLeft, left)
		h.Set(hdrResetMs, reset)
		h.Set(hdrWindowMs, window)
		h.Set(hdrRetryAfter, retry)
		p := newPacer(0.5, 0)
		p.sent()
		p.observe(h)
		c := &Client{shedBase: time.Millisecond}
		e := c.rateLimitError("GET", "/x", &response{status: 429, header: h}, 0)
		if e.RetryAfter <= 0 {
			t.Fatalf("non-positive delay %s", e.RetryAfter)
		}
	})
}

func sprintf(format string, v any) string { return fmt.Sprintf(format, v) }
