package apppage

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/workflows"
)

// Tabs of the page, in the order they are shown.
var tabs = []struct{ Key, Title string }{
	{"items", "Items Information"},
	{"inventory", "Inventory"},
	{"orders", "Order Fulfillment"},
	{"errors", "Errors"},
}

// maxWaitingShown bounds the orders listed with a distribute form; the rest
// are counted.
const maxWaitingShown = 50

// waitingOrder is an order awaiting distribution with its lines.
type waitingOrder struct {
	OrderID int
	State   workflows.OrderState
}

// view is everything one render of the page shows.
type view struct {
	Prefix, Token, Tab string
	Tabs               []struct{ Key, Title string }
	ConnectionID, User string
	Message, Error     string
	// Status is the connection's status; Settings its current settings
	// (defaults when unconfigured).
	Status   workflows.ConnectionStatus
	Settings workflows.Settings
	// Waiting are the orders awaiting distribution (at most
	// maxWaitingShown, WaitingCount counts all).
	Waiting      []waitingOrder
	WaitingCount int
	Catalog      *workflows.CatalogProgress
	CatalogKind  string
	Inventory    *workflows.InventoryProgress
	Errors       []starter.AttentionItem
	// Problems are reads that failed while rendering (the page still shows
	// what it could read).
	Problems      []string
	Refresh       bool
	HeartlandForm bool
	CatalogModes  []workflows.CatalogMode
}

// render reads what the tab shows and writes the page.
func (p *Page) render(w http.ResponseWriter, r *http.Request) {
	s, token, ok := p.session(w, r)
	if !ok {
		return
	}
	tab := r.FormValue("tab")
	if !slices.ContainsFunc(tabs, func(t struct{ Key, Title string }) bool { return t.Key == tab }) {
		tab = "items"
	}
	v := &view{Prefix: p.opts.Prefix, Token: token, Tab: tab, Tabs: tabs, ConnectionID: s.ConnectionID, User: s.User,
		Message: r.FormValue("msg"), Error: r.FormValue("err"), HeartlandForm: p.opts.SaveHeartland != nil,
		CatalogModes: workflows.CatalogModes}
	p.read(r.Context(), v)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := p.tmpl.ExecuteTemplate(w, "page.html", v); err != nil {
		p.opts.Logger.Error("app page: render", "connection", s.ConnectionID, "error", err)
	}
}

// read fills v from the workflows; a failed read is a problem on the page,
// not a failed page.
func (p *Page) read(ctx context.Context, v *view) {
	st := p.opts.Starter
	id := v.ConnectionID
	problem := func(what string, err error) { v.Problems = append(v.Problems, fmt.Sprintf("%s: %v", what, err)) }

	status, err := st.ConnectionStatus(ctx, id)
	switch {
	case errors.Is(err, starter.ErrConnectionNotFound):
		status = workflows.ConnectionStatus{ConnectionID: id, Stage: workflows.StageUnconfigured}
	case err != nil:
		problem("connection", err)
	}
	v.Status = status
	v.Settings = workflows.DefaultSettings()
	if status.Settings != nil {
		v.Settings = *status.Settings
	}

	waiting, err := st.ListOrders(ctx, starter.OrderFilter{ConnectionID: id, Stage: workflows.OrderStageAwaitingDistribution})
	if err != nil {
		problem("orders awaiting distribution", err)
	}
	v.WaitingCount = len(waiting)
	if v.Tab == "orders" {
		for _, o := range waiting[:min(len(waiting), maxWaitingShown)] {
			state, err := st.OrderStatus(ctx, id, o.OrderID)
			if err != nil {
				problem(fmt.Sprintf("order %d", o.OrderID), err)
				continue
			}
			v.Waiting = append(v.Waiting, waitingOrder{OrderID: o.OrderID, State: state})
		}
	}

	switch v.Tab {
	case "items":
		v.CatalogKind = catalogKind(v.Settings.CatalogMode)
		if v.CatalogKind != "" {
			if prog, err := st.CatalogProgress(ctx, id, v.CatalogKind); err == nil {
				v.Catalog = &prog
				v.Refresh = prog.FinishedAt.IsZero() && !prog.StartedAt.IsZero()
			}
		}
	case "inventory":
		if prog, err := st.InventoryProgress(ctx, id); err == nil {
			v.Inventory = &prog
			v.Refresh = prog.FullSync.Running || prog.FullSyncPending
		}
	case "errors":
		items, err := st.NeedsAttention(ctx)
		if err != nil {
			problem("errors", err)
		}
		for _, it := range items {
			if it.ConnectionID == id {
				v.Errors = append(v.Errors, it)
			}
		}
	}
}

// catalogKind is the catalog run a mode's "Trigger Full Sync" starts, ""
// for manual linking (nothing to run).
func catalogKind(m workflows.CatalogMode) string {
	switch m {
	case workflows.CatalogPush:
		return workflows.CatalogKindPush
	case workflows.CatalogPull:
		return workflows.CatalogKindPull
	}
	return ""
}

// orderOfWorkflow is the BigCommerce order of an Order workflow's item on
// the Errors tab, 0 for anything else.
func orderOfWorkflow(it starter.AttentionItem) int {
	if it.WorkflowType != "Order" {
		return 0
	}
	_, id, ok := workflows.ParseOrderWorkflowID(it.WorkflowID)
	if !ok {
		return 0
	}
	return id
}

// catalogKindOfWorkflow is the run kind of a CatalogSync item ("" else).
func catalogKindOfWorkflow(it starter.AttentionItem) string {
	if it.WorkflowType != "CatalogSync" {
		return ""
	}
	i := strings.LastIndex(it.WorkflowID, "/")
	return it.WorkflowID[i+1:]
}
