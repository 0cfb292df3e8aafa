package starter

import "go.temporal.io/sdk/temporal"

// fairness is the priority every workflow of a connection starts with: its
// connection ID as the fairness key. Activities and child workflows inherit
// it, so on a server with fairness enabled (matching.enableFairness; see
// deployments/temporal/dynamicconfig.yaml) a backlogged task queue hands
// out tasks round-robin across connections, and one store's flash sale
// cannot make the others wait behind its whole backlog. Elsewhere the key
// is carried and ignored.
func fairness(connectionID string) temporal.Priority {
	return temporal.Priority{FairnessKey: connectionID}
}
