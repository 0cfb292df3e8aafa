// Package workflows holds hrbc's Temporal workflows: the business processes
// that keep a Heartland Retail account and a BigCommerce store in step. Each
// file models one process; the messages a workflow answers (updates, queries,
// signals), its payload types and its workflow ID live beside it.
//
// Workflow code here is deterministic: it reads time through workflow.Now,
// never ranges over maps where order matters and starts no goroutines. The
// workflowcheck analyzer enforces this in CI.
package workflows
