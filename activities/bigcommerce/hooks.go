package bigcommerce

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// Hook is a webhook subscription. Hooks are visible only to the API
// account that created them.
type Hook struct {
	ID          int               `json:"id"`
	ClientID    string            `json:"client_id"`
	StoreHash   string            `json:"store_hash"`
	Scope       string            `json:"scope"`
	Destination string            `json:"destination"`
	IsActive    bool              `json:"is_active"`
	Headers     map[string]string `json:"headers"`
	CreatedAt   UnixTime          `json:"created_at"`
	UpdatedAt   UnixTime          `json:"updated_at"`
}

// HookCreate is the body of POST /v3/hooks. Headers are sent with every
// delivery: put a shared secret there to authenticate callbacks.
type HookCreate struct {
	Scope       string            `json:"scope"`
	Destination string            `json:"destination"`
	IsActive    bool              `json:"is_active"`
	Headers     map[string]string `json:"headers,omitempty"`
}

// HookUpdate is the body of PUT /v3/hooks/{id}; nil fields are unchanged.
// Set IsActive to re-enable a hook BigCommerce deactivated.
type HookUpdate struct {
	Scope       *string           `json:"scope,omitempty"`
	Destination *string           `json:"destination,omitempty"`
	IsActive    *bool             `json:"is_active,omitempty"`
	Headers     map[string]string `json:"headers,omitempty"`
}

// WebhookEvent is the envelope BigCommerce posts to a hook's destination.
// Hash is the SHA-1 of the data JSON and is stable across redeliveries:
// use it to dedupe.
type WebhookEvent struct {
	Scope     string          `json:"scope"`
	StoreID   string          `json:"store_id"`
	Data      json.RawMessage `json:"data"`
	Hash      string          `json:"hash"`
	CreatedAt UnixTime        `json:"created_at"`
	Producer  string          `json:"producer"`
}

const hooksPath = "/v3/hooks"

// ListHooks returns this account's hooks.
func (c *Client) ListHooks(ctx context.Context) ([]Hook, error) {
	return v3Walk[Hook](ctx, c, hooksPath, nil, MaxPageLimit)
}

// CreateHook registers a hook.
func (c *Client) CreateHook(ctx context.Context, h HookCreate) (Hook, error) {
	return v3Call[Hook](ctx, c, http.MethodPost, hooksPath, nil, h)
}

// UpdateHook changes a hook (e.g. IsActive=true to re-enable it).
func (c *Client) UpdateHook(ctx context.Context, id int, u HookUpdate) (Hook, error) {
	return v3Call[Hook](ctx, c, http.MethodPut, fmt.Sprintf("%s/%d", hooksPath, id), nil, u)
}

// DeleteHook removes a hook and returns it as it was.
func (c *Client) DeleteHook(ctx context.Context, id int) (Hook, error) {
	return v3Call[Hook](ctx, c, http.MethodDelete, fmt.Sprintf("%s/%d", hooksPath, id), nil, nil)
}
