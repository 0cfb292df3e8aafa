// Package starter is how anything outside a workflow talks to hrbc's
// workflows: it starts, updates, signals and queries them by their business
// IDs, and serves the HTTP intake (webhooks and app callbacks) that turns
// outside events into those calls. It never calls the BigCommerce or
// Heartland APIs itself.
package starter
