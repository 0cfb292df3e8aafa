package bigcommerce_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
)

// rawJSON sends an authenticated request straight to the fake, bypassing
// the client, and returns the status.
func rawJSON(t *testing.T, srv *bigcommercetest.Server, method, path string, body any) int {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(method, srv.BaseURL()+path, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Auth-Token", srv.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
