package workflows

import (
	"maps"

	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// AttentionInterceptor makes every HrbcAttention a workflow writes the
// SearchableAttention copy of its reason, whichever workflow writes it and
// however (typed or untyped upsert), so no call site can store a quoted
// customer e-mail in the server's clear-text search attributes. The worker
// installs it (worker.New); the workflow tests do too (newTestEnv).
//
// Replaying is unaffected: the SDK matches an upsert command to its
// history event by type, not by value, so histories written before it
// still replay.
type AttentionInterceptor struct {
	interceptor.WorkerInterceptorBase
}

// NewAttentionInterceptor returns the interceptor for worker.Options.
func NewAttentionInterceptor() *AttentionInterceptor { return &AttentionInterceptor{} }

// InterceptWorkflow wraps each workflow's outbound calls.
func (*AttentionInterceptor) InterceptWorkflow(_ workflow.Context, next interceptor.WorkflowInboundInterceptor) interceptor.WorkflowInboundInterceptor {
	in := &attentionInbound{}
	in.Next = next
	return in
}

type attentionInbound struct {
	interceptor.WorkflowInboundInterceptorBase
}

// Init puts the redacting outbound interceptor in front of the SDK's.
func (i *attentionInbound) Init(outbound interceptor.WorkflowOutboundInterceptor) error {
	out := &attentionOutbound{}
	out.Next = outbound
	return i.Next.Init(out)
}

type attentionOutbound struct {
	interceptor.WorkflowOutboundInterceptorBase
}

// UpsertTypedSearchAttributes redacts the HrbcAttention an update sets.
func (o *attentionOutbound) UpsertTypedSearchAttributes(ctx workflow.Context, updates ...temporal.SearchAttributeUpdate) error {
	safe := make([]temporal.SearchAttributeUpdate, len(updates))
	for i, u := range updates {
		safe[i] = searchableUpdate(u)
	}
	return o.Next.UpsertTypedSearchAttributes(ctx, safe...)
}

// UpsertSearchAttributes redacts HrbcAttention in the untyped form.
func (o *attentionOutbound) UpsertSearchAttributes(ctx workflow.Context, attributes map[string]any) error {
	name := AttentionAttr.GetName()
	if v, ok := attributes[name].(string); ok && SearchableAttention(v) != v {
		copied := maps.Clone(attributes)
		copied[name] = SearchableAttention(v)
		attributes = copied
	}
	return o.Next.UpsertSearchAttributes(ctx, attributes)
}

// searchableUpdate returns u, or u followed by the redacted HrbcAttention
// when u sets one that needs redacting (an update may set several keys, so
// it is applied first and only the attention overwritten).
func searchableUpdate(u temporal.SearchAttributeUpdate) temporal.SearchAttributeUpdate {
	reason, ok := temporal.NewSearchAttributes(u).GetKeyword(AttentionAttr)
	if !ok {
		return u
	}
	safe := SearchableAttention(reason)
	if safe == reason {
		return u
	}
	redact := AttentionAttr.ValueSet(safe)
	return func(sa *temporal.SearchAttributes) {
		u(sa)
		redact(sa)
	}
}
