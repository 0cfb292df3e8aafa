package codecserver

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"

	"github.com/hrbc/hrbc/starter/codec"
	"github.com/hrbc/hrbc/worker/intake"
)

const (
	token  = "codec-test-token"
	origin = "http://127.0.0.1:8233"
)

func newServer(t *testing.T) (*httptest.Server, *codec.KeyRing) {
	t.Helper()
	entry, _ := codec.NewKey("k1")
	ring, err := codec.ParseKeyRing(entry)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(Handler(Options{Keys: ring, Token: token, Namespace: "default", Origins: []string{origin},
		Guard: intake.NewAuthGuard(slog.New(slog.DiscardHandler))}))
	t.Cleanup(srv.Close)
	return srv, ring
}

// call posts payloads as the Temporal UI does and returns status and body.
func call(t *testing.T, method, url, auth string, payloads []*commonpb.Payload) (*http.Response, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"payloads": payloads})
	req, _ := http.NewRequest(method, url, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Namespace", "default")
	req.Header.Set("Origin", origin)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestDecodeReturnsWhatTheWorkerEncrypted(t *testing.T) {
	srv, ring := newServer(t)
	p, err := codec.DataConverter(ring).ToPayload(map[string]string{"email": "ada@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	resp, body := call(t, http.MethodPost, srv.URL+"/codec/decode", "Bearer "+token, []*commonpb.Payload{p})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("decode: %d %s", resp.StatusCode, body)
	}
	var out commonpb.Payloads
	if err := json.Unmarshal([]byte(body), &out); err != nil || len(out.Payloads) != 1 {
		t.Fatalf("answer %s: %v", body, err)
	}
	var got map[string]string
	if err := converter.GetDefaultDataConverter().FromPayload(out.Payloads[0], &got); err != nil || got["email"] != "ada@example.com" {
		t.Fatalf("decoded %v, %v", got, err)
	}
	if resp.Header.Get("Access-Control-Allow-Origin") != origin {
		t.Errorf("CORS origin %q", resp.Header.Get("Access-Control-Allow-Origin"))
	}
	// The UI's form: the token in the endpoint's path.
	if resp, body := call(t, http.MethodPost, srv.URL+"/codec/t/"+token+"/decode", "", []*commonpb.Payload{p}); resp.StatusCode != http.StatusOK {
		t.Errorf("path token: %d %s", resp.StatusCode, body)
	}
	// Encode answers ciphertext the worker's converter reads.
	plain, _ := converter.GetDefaultDataConverter().ToPayload("hello")
	resp, body = call(t, http.MethodPost, srv.URL+"/codec/encode", "Bearer "+token, []*commonpb.Payload{plain})
	// "azE=" is the key id k1 in the answer's base64.
	if resp.StatusCode != http.StatusOK || strings.Contains(body, "hello") || !strings.Contains(body, "azE=") {
		t.Errorf("encode: %d %s", resp.StatusCode, body)
	}
}

func TestCodecRefusesWithoutToken(t *testing.T) {
	srv, _ := newServer(t)
	for _, tc := range []struct{ path, auth string }{
		{"/codec/decode", ""},
		{"/codec/decode", "Bearer wrong"},
		{"/codec/decode", token},
		{"/codec/t/wrong/decode", ""},
	} {
		if resp, _ := call(t, http.MethodPost, srv.URL+tc.path, tc.auth, nil); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s %q: %d, want 401", tc.path, tc.auth, resp.StatusCode)
		}
	}
}

func TestPreflightNeedsNoTokenAndNamesTheOrigin(t *testing.T) {
	srv, _ := newServer(t)
	req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/codec/decode", nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type,x-namespace")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != origin ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "X-Namespace") {
		t.Errorf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
	req.Header.Set("Origin", "http://evil.example")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Error("a foreign origin got CORS headers")
	}
}
