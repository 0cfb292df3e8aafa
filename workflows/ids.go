package workflows

import "strings"

// Workflow IDs are business keys, so every path that concerns the same
// business object (a webhook, a sweep, an operator's command) meets the same
// workflow execution.

// ConnectionWorkflowID is the ID of a connection's entity workflow.
func ConnectionWorkflowID(connectionID string) string {
	return "connection/" + connectionID
}

// ConnectionIDFromWorkflowID returns the connection ID encoded in a
// connection workflow ID, or "" when id is not one.
func ConnectionIDFromWorkflowID(id string) string {
	rest, ok := strings.CutPrefix(id, "connection/")
	if !ok {
		return ""
	}
	return rest
}
