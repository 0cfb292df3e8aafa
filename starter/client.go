package starter

import (
	"go.temporal.io/sdk/client"
)

// Client drives hrbc's workflows through a Temporal client.
type Client struct {
	temporal  client.Client
	taskQueue string
}

// New returns a Client that starts workflows on taskQueue.
func New(c client.Client, taskQueue string) *Client {
	return &Client{temporal: c, taskQueue: taskQueue}
}
