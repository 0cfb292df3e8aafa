// Package activities holds hrbc's Temporal activities: each method is one
// conversation with BigCommerce or Heartland, idempotent so that Temporal can
// retry it after any crash. Activity structs carry their dependencies as
// fields; inputs and results are small (IDs, cursors, counts) so that no
// catalog ever travels through workflow history.
//
// Errors leave an activity already classified for Temporal's retry policy:
// a 429 carries the server's delay as NextRetryDelay, a permanent rejection
// (4xx) is a non-retryable ApplicationError with the API's message, and
// everything transient (5xx, timeouts) is retried with backoff.
//
// What it may import: the two clients (bigcommerce, heartland), apierror and
// the Temporal SDK's activity side; never workflows, worker or cmd, which
// import it. Files are one flow each, named <area>_<flow>.go (catalog_pull,
// inventory_full, orders_import, ...) with the flow's activities, payloads and
// helpers; <area>.go holds the activity struct and what several flows of the
// area share; orders_replay_only.go holds activities kept only for replay.
package activities
