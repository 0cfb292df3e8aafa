// Package starter is how anything outside a workflow talks to hrbc's
// workflows: it starts, updates, signals and queries them by their business
// IDs, and lists them from the visibility store. It talks to Temporal only:
// it imports workflows and the Temporal SDK, never activities, and never
// calls the BigCommerce or Heartland APIs. The HTTP intake that turns
// webhooks into these calls is worker/intake; the operator CLI is
// cmd/starter.
package starter
