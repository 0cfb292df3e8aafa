package activities

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"
)

// TestRuntimeConnections: clients are built on first use, reused while
// fresh, reused without a rebuild when the version stayed, rebuilt when it
// moved, refused while incomplete or deleted; a configured connection of
// the same ID wins without a load.
func TestRuntimeConnections(t *testing.T) {
	creds := &Credentials{Version: 1, BigCommerce: &BigCommerceCredentials{StoreHash: "abc"}, Heartland: &HeartlandCredentials{Subdomain: "x"},
		BigCommerceWebhookSecret: "bcs"}
	loads, builds := 0, 0
	var loadErr error
	c := NewConnections()
	c.UseRuntime(func(_ context.Context, id string) (*Credentials, error) {
		loads++
		if id == "none" {
			return nil, nil
		}
		return creds, loadErr
	}, func(string, Credentials) (Clients, error) {
		builds++
		return Clients{}, nil
	}, time.Minute)
	now := time.Unix(1000, 0)
	c.runtime.now = func() time.Time { return now }
	get := func(id string) (Clients, error) { return c.Get(id) }

	cl, err := get("rt")
	if err != nil || cl.BigCommerceWebhookSecret != "bcs" || loads != 1 || builds != 1 {
		t.Fatalf("first use: %v loads=%d builds=%d", err, loads, builds)
	}
	now = now.Add(30 * time.Second)
	if _, err := get("rt"); err != nil || loads != 1 {
		t.Errorf("fresh: %v loads=%d", err, loads)
	}
	now = now.Add(time.Minute)
	if _, err := get("rt"); err != nil || loads != 2 || builds != 1 {
		t.Errorf("same version: %v loads=%d builds=%d", err, loads, builds)
	}
	creds = &Credentials{Version: 2, BigCommerce: creds.BigCommerce, Heartland: creds.Heartland, BigCommerceWebhookSecret: "new"}
	now = now.Add(2 * time.Minute)
	if cl, err := get("rt"); err != nil || builds != 2 || cl.BigCommerceWebhookSecret != "new" {
		t.Errorf("new version: %v builds=%d", err, builds)
	}
	// Temporal unreachable: the last clients serve on.
	loadErr = errors.New("unavailable")
	now = now.Add(2 * time.Minute)
	if _, err := get("rt"); err != nil {
		t.Errorf("load failure with clients cached: %v", err)
	}
	loadErr = nil
	creds = &Credentials{Version: 3}
	now = now.Add(2 * time.Minute)
	var appErr *temporal.ApplicationError
	if _, err := get("rt"); !errors.As(err, &appErr) || appErr.Type() != ErrTypeUnknownConnection || !appErr.NonRetryable() {
		t.Errorf("deleted credentials: %v", err)
	}
	if _, err := get("none"); !errors.As(err, &appErr) || appErr.Type() != ErrTypeUnknownConnection {
		t.Errorf("unknown connection: %v", err)
	}
	before := loads
	c.Add("static", Clients{BigCommerceWebhookSecret: "env"})
	if cl, err := get("static"); err != nil || cl.BigCommerceWebhookSecret != "env" || loads != before {
		t.Errorf("configured connection: %v loads %d→%d", err, before, loads)
	}
}
