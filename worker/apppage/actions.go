package apppage

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/workflows"
)

// routes wires the page and its actions. Every action is a POST carrying
// the session token in the form, and answers with a redirect to the tab it
// came from, saying what happened.
func (p *Page) routes() {
	pre := p.opts.Prefix
	p.mux.HandleFunc("GET "+pre+"{$}", p.render)
	p.mux.HandleFunc("POST "+pre+"items", p.action("items", p.saveItems))
	p.mux.HandleFunc("POST "+pre+"items/sync", p.action("items", p.syncCatalog))
	p.mux.HandleFunc("POST "+pre+"inventory", p.action("inventory", p.saveInventory))
	p.mux.HandleFunc("POST "+pre+"inventory/sync", p.action("inventory", p.syncInventory))
	p.mux.HandleFunc("POST "+pre+"orders", p.action("orders", p.saveOrders))
	p.mux.HandleFunc("POST "+pre+"orders/distribute", p.action("orders", p.distribute))
	p.mux.HandleFunc("POST "+pre+"errors/retry", p.action("errors", p.retry))
	p.mux.HandleFunc("POST "+pre+"check", p.action("", p.check))
	p.mux.HandleFunc("POST "+pre+"heartland", p.action("", p.saveHeartland))
}

// actionFunc does one action for a connection and says what it did.
type actionFunc func(ctx context.Context, connectionID string, form url.Values) (string, error)

// action wraps an actionFunc: session check, then a redirect back to the
// tab (the form's "tab" when tab is "") with the outcome.
func (p *Page) action(tab string, do actionFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s, token, ok := p.session(w, r)
		if !ok {
			return
		}
		if tab == "" {
			tab = r.PostFormValue("tab")
		}
		msg, err := do(r.Context(), s.ConnectionID, r.PostForm)
		extra := url.Values{"msg": {msg}}
		if err != nil {
			p.opts.Logger.Info("app page: action refused", "connection", s.ConnectionID, "path", r.URL.Path, "error", err)
			extra = url.Values{"err": {err.Error()}}
		}
		http.Redirect(w, r, p.link(token, tab, extra), http.StatusSeeOther)
	}
}

// configure applies edit to the connection's settings with the same update
// the CLI's `connection configure` sends (creating the connection's
// settings on the first save), so the workflow validates it the same way.
func (p *Page) configure(ctx context.Context, id string, edit func(*workflows.Settings) error) error {
	st := p.opts.Starter
	status, err := st.ConnectionStatus(ctx, id)
	if err != nil && !errors.Is(err, starter.ErrConnectionNotFound) {
		return err
	}
	settings := workflows.DefaultSettings()
	if status.Settings != nil {
		settings = *status.Settings
	}
	if err := edit(&settings); err != nil {
		return err
	}
	if status.Settings == nil {
		_, err = st.CreateConnection(ctx, id, settings)
	} else {
		_, err = st.ConfigureConnection(ctx, id, settings, status.Version)
	}
	return err
}

func (p *Page) saveItems(ctx context.Context, id string, form url.Values) (string, error) {
	mode := workflows.CatalogMode(form.Get("catalog_mode"))
	if !slices.Contains(workflows.CatalogModes, mode) {
		return "", fmt.Errorf("catalog_mode: %q is not manual, push or pull", mode)
	}
	return "Items settings saved.", p.configure(ctx, id, func(s *workflows.Settings) error {
		s.CatalogMode = mode
		return nil
	})
}

func (p *Page) syncCatalog(ctx context.Context, id string, _ url.Values) (string, error) {
	status, err := p.opts.Starter.ConnectionStatus(ctx, id)
	if err != nil {
		return "", err
	}
	mode := workflows.CatalogManual
	if status.Settings != nil {
		mode = status.Settings.CatalogMode
	}
	kind := catalogKind(mode)
	if kind == "" {
		return "", errors.New("items are linked by hand in manual mode: choose push or pull to run a full sync")
	}
	if err := p.opts.Starter.StartCatalogSync(ctx, id, kind, workflows.CatalogRunOptions{}); err != nil {
		return "", err
	}
	return "Full " + kind + " started.", nil
}

func (p *Page) saveInventory(ctx context.Context, id string, form url.Values) (string, error) {
	locations, err := locationList(form.Get("location_ids"))
	if err != nil {
		return "", err
	}
	if add := strings.TrimSpace(form.Get("add_location")); add != "" {
		loc, err := locationField("add_location", add)
		if err != nil {
			return "", err
		}
		if !slices.Contains(locations, loc) {
			locations = append(locations, loc)
		}
	}
	all := form.Get("all_locations") == "on"
	return "Inventory settings saved.", p.configure(ctx, id, func(s *workflows.Settings) error {
		s.AllLocations = all
		s.LocationIDs = nil
		if !all {
			s.LocationIDs = locations
		}
		s.InventorySync = form.Get("inventory_sync") == "on"
		return nil
	})
}

func (p *Page) syncInventory(ctx context.Context, id string, form url.Values) (string, error) {
	buffer := 0
	if v := strings.TrimSpace(form.Get("safety_buffer")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return "", fmt.Errorf("safety_buffer: %q is not a number of units (0 or more)", v)
		}
		buffer = n
	}
	confirm := form.Get("confirm") == "on"
	if err := p.opts.Starter.RequestFullInventorySync(ctx, id, workflows.InventoryOptions{SafetyBuffer: buffer}, confirm); err != nil {
		return "", err
	}
	if confirm {
		return "Full inventory sync started; it writes even where the guard would hold it.", nil
	}
	return "Full inventory sync started.", nil
}

func (p *Page) saveOrders(ctx context.Context, id string, form url.Values) (string, error) {
	var source, auto, fulfill int64
	for _, f := range []struct {
		name string
		to   *int64
	}{{"source_location_id", &source}, {"auto_distribute_location_id", &auto}, {"fulfillment_location_id", &fulfill}} {
		if v := strings.TrimSpace(form.Get(f.name)); v != "" {
			n, err := locationField(f.name, v)
			if err != nil {
				return "", err
			}
			*f.to = n
		}
	}
	return "Order settings saved.", p.configure(ctx, id, func(s *workflows.Settings) error {
		s.OrderSync = form.Get("order_sync") == "on"
		s.SourceLocationID = source
		s.AutoDistributeLocationID = auto
		s.OutsideFulfillment = form.Get("outside_fulfillment") == "on"
		s.FulfillmentLocationID = fulfill
		s.Capture = form.Get("capture")
		return nil
	})
}

func (p *Page) distribute(ctx context.Context, id string, form url.Values) (string, error) {
	order, err := strconv.Atoi(form.Get("order"))
	if err != nil || order <= 0 {
		return "", fmt.Errorf("order: %q is not an order number", form.Get("order"))
	}
	loc, err := locationField("location_id", form.Get("location_id"))
	if err != nil {
		return "", fmt.Errorf("order %d: %w", order, err)
	}
	state, err := p.opts.Starter.DistributeOrder(ctx, id, order, workflows.DistributeOrderRequest{LocationID: loc})
	if err != nil {
		return "", fmt.Errorf("order %d: %w", order, err)
	}
	return fmt.Sprintf("Order %d distributed to location %d (now %s).", order, loc, state.Stage), nil
}

// retry asks the workflow behind an Errors item to try again, the way the
// CLI does for its kind.
func (p *Page) retry(ctx context.Context, id string, form url.Values) (string, error) {
	it := starter.AttentionItem{WorkflowID: form.Get("workflow_id"), WorkflowType: form.Get("workflow_type"), ConnectionID: id}
	if order := orderOfWorkflow(it); order > 0 {
		if conn, _, _ := workflows.ParseOrderWorkflowID(it.WorkflowID); conn != id {
			return "", fmt.Errorf("order %d belongs to another connection", order)
		}
		state, err := p.opts.Starter.RetryOrder(ctx, id, order)
		if err != nil {
			return "", fmt.Errorf("order %d: %w", order, err)
		}
		return fmt.Sprintf("Order %d is being retried (now %s).", order, state.Stage), nil
	}
	if kind := catalogKindOfWorkflow(it); kind != "" && it.WorkflowID == workflows.CatalogWorkflowID(id, kind) {
		if err := p.opts.Starter.StartCatalogSync(ctx, id, kind, workflows.CatalogRunOptions{}); err != nil {
			return "", err
		}
		return "Catalog " + kind + " started again.", nil
	}
	switch it.WorkflowType {
	case "Connection":
		return p.check(ctx, id, form)
	case "InventorySync":
		if err := p.opts.Starter.RequestFullInventorySync(ctx, id, workflows.InventoryOptions{}, false); err != nil {
			return "", err
		}
		return "Full inventory sync started again.", nil
	}
	return "", fmt.Errorf("workflow_id: %q cannot be retried from here", it.WorkflowID)
}

func (p *Page) check(ctx context.Context, id string, _ url.Values) (string, error) {
	rep, err := p.opts.Starter.CheckConnection(ctx, id, starter.CheckOptions{Record: true})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Connection checked: %d failed, %d warnings.", rep.Fails, rep.Warns), nil
}

func (p *Page) saveHeartland(ctx context.Context, id string, form url.Values) (string, error) {
	if p.opts.SaveHeartland == nil {
		return "", errors.New("Heartland credentials come from the worker's configuration on this installation")
	}
	sub, token := strings.TrimSpace(form.Get("subdomain")), strings.TrimSpace(form.Get("token"))
	if sub == "" || token == "" {
		return "", errors.New("subdomain and token: both are required")
	}
	if err := p.opts.SaveHeartland(ctx, id, sub, token); err != nil {
		return "", err
	}
	return "Heartland account " + sub + " connected.", nil
}

// locationField reads one Heartland location number of a form field.
func locationField(name, v string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%s: %q is not a Heartland location number", name, v)
	}
	return n, nil
}

// locationList reads the comma-separated location numbers of location_ids.
func locationList(v string) ([]int64, error) {
	var out []int64
	for f := range strings.SplitSeq(v, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := locationField("location_ids", f)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}
