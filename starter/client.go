package starter

import (
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
)

// Client drives hrbc's workflows through a Temporal client.
type Client struct {
	temporal  client.Client
	taskQueue string
	// dc decodes what the client reads raw from the server (memos); it
	// must be the one the workers write with, since payloads are
	// encrypted.
	dc converter.DataConverter
}

// Option changes a Client made by New.
type Option func(*Client)

// WithDataConverter makes the Client decode memos with dc, the data
// converter of the Temporal client (codec.DataConverter). Without it the
// SDK's default is used, which cannot read encrypted payloads: reads that
// need a memo then ask the workflow by query instead.
func WithDataConverter(dc converter.DataConverter) Option {
	return func(c *Client) { c.dc = dc }
}

// New returns a Client that starts workflows on taskQueue.
func New(c client.Client, taskQueue string, opts ...Option) *Client {
	st := &Client{temporal: c, taskQueue: taskQueue, dc: converter.GetDefaultDataConverter()}
	for _, o := range opts {
		o(st)
	}
	return st
}
