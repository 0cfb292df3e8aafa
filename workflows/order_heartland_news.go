package workflows

import (
	"slices"

	"go.temporal.io/sdk/workflow"
)

// heartlandNews is what the heartlandChanged signals received since the
// order last looked at Heartland said. The HeartlandSweep sends the order's
// status and its changed invoices (HeartlandChange); when every signal
// carried them, and nothing else woke the order, a fulfilling order need
// not read what it already knows: hrbc's own writes (a payment recorded for
// an invoice) change the Heartland order, and the sweep reports them too.
type heartlandNews struct {
	// signals counts heartlandChanged signals; bare ones have no payload
	// (the webhook intake's, an operator's).
	signals, bare int
	status        string
	invoices      []int64
	// retries and bcChanged are the counters when the news was last taken.
	retries, bcChanged int
	// sinceRead is set when the news began at a read of the order, which
	// no backstop has outdated since (orderQuietChange).
	sinceRead bool
}

// receiveHeartlandChange counts a heartlandChanged signal and keeps what
// it says. Decoded leniently: a payload of another shape counts as bare.
func (o *order) receiveHeartlandChange(ctx workflow.Context, c workflow.ReceiveChannel) {
	o.hlChanged++
	if !o.screens {
		c.Receive(ctx, nil)
		return
	}
	var raw any
	c.Receive(ctx, &raw)
	o.news.signals++
	m, ok := raw.(map[string]any)
	status, _ := m["status"].(string)
	if !ok || status == "" {
		o.news.bare++
		return
	}
	o.news.status = status
	ids, _ := m["invoice_ids"].([]any)
	for _, v := range ids {
		if n, ok := v.(float64); ok && !slices.Contains(o.news.invoices, int64(n)) {
			o.news.invoices = append(o.news.invoices, int64(n))
		}
	}
}

// takeNews says what a fulfilling order must do now: known is the
// Heartland status the signals told (empty: read the order), invoices
// whether to look for invoices. It starts the news afresh. Only signals
// with payloads and nothing else since the last look let it skip a read.
func (o *order) takeNews() (known string, invoices bool) {
	n := o.news
	o.takenNews()
	if o.quiet && n.sinceRead && n.signals == 0 && n.retries == o.retries && n.bcChanged == o.bcChanged &&
		o.allDistributed() && o.HeartlandStatus != "" {
		// Read just now (staff distributed in Heartland), nothing said
		// since: the status is known; the invoices are still looked for.
		return o.HeartlandStatus, true
	}
	if n.signals == 0 || n.bare > 0 || n.retries != o.retries || n.bcChanged != o.bcChanged || !o.allDistributed() {
		return "", true
	}
	for _, id := range n.invoices {
		if !o.hasInvoice(id) {
			invoices = true
		}
	}
	return n.status, invoices
}

// collectInvoicesIf is collectInvoices when look is set.
func (o *order) collectInvoicesIf(ctx workflow.Context, look bool) (bool, error) {
	if !look {
		return false, nil
	}
	return o.collectInvoices(ctx)
}

// takenNews starts the news afresh after a look.
func (o *order) takenNews() {
	o.news = heartlandNews{retries: o.retries, bcChanged: o.bcChanged}
}

// startNewsAtRead starts the news afresh at a read of the Heartland order.
// The read sees the order's status and distribution, not its invoices: an
// invoice told before it and not yet carried over stays news, or an order
// told of its invoices while awaiting distribution, then of the
// distribution alone during the read that found it, would wait for the
// next backstop to ship them.
func (o *order) startNewsAtRead(ctx workflow.Context) {
	var told []int64
	for _, id := range o.news.invoices {
		if !o.hasInvoice(id) {
			told = append(told, id)
		}
	}
	o.takenNews()
	o.news.sinceRead = true
	if len(told) > 0 && workflow.GetVersion(ctx, orderInvoiceNewsChange, workflow.DefaultVersion, 1) >= 1 {
		o.news.invoices = told
	}
}

// orderInvoiceNewsChange versions startNewsAtRead keeping the invoices
// told before a read. Asked only when there are some, so an order that
// never meets the case records no marker; runs that met it before the
// change dropped them, and replay as they ran.
const orderInvoiceNewsChange = "order-invoice-news-outlives-read"
