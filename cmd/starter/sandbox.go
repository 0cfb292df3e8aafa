package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// sandboxClient speaks to the control endpoints (/__fake/...) of the fake
// store and fake POS that `go run ./cmd/worker` serves in the embedded
// default: what a shopper and store staff would do, by command.
type sandboxClient struct {
	bigCommerce, heartland string
	http                   *http.Client
}

func newSandboxCommand(a *app) *cobra.Command {
	sb := &sandboxClient{http: &http.Client{Timeout: 15 * time.Second}}
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Act as a shopper or store staff on the embedded default's fake store and POS",
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&sb.bigCommerce, "bigcommerce", envOr("HRBC_SANDBOX_BIGCOMMERCE_URL", "http://127.0.0.1:8234"), "fake BigCommerce store root (env HRBC_SANDBOX_BIGCOMMERCE_URL)")
	pf.StringVar(&sb.heartland, "heartland", envOr("HRBC_SANDBOX_HEARTLAND_URL", "http://127.0.0.1:8235"), "fake Heartland account root (env HRBC_SANDBOX_HEARTLAND_URL)")
	cmd.AddCommand(sb.orderCommand(a), sb.distributeCommand(a), sb.invoiceCommand(a), sb.sellCommand(a), sb.receiveCommand(a), sb.stockCommand(a), sb.statusCommand(a), sb.installCommand(a))
	return cmd
}

func (sb *sandboxClient) orderCommand(a *app) *cobra.Command {
	var skus []string
	var qty int
	var email string
	var attn orderAttention
	cmd := &cobra.Command{
		Use:   "order --sku SKU [--sku SKU ...] [--qty N]",
		Short: "Place an order on the sandbox store (authorized payment, Awaiting Fulfillment)",
		Long: "Places an order as a shopper would. The options below make the orders hrbc hands to a person\n" +
			"(stage attention): --gift-wrap, --engrave TEXT, --partial-refund; an unknown SKU is one the\n" +
			"store sells and Heartland lacks, such as --sku STK-A. --authorize-only checks out through an\n" +
			"authorize-only gateway: the order waits Awaiting Payment, imported only with capture on_first_shipment.",
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(skus) == 0 || qty < 1 {
				return &usageError{fmt.Errorf("give at least one --sku and a --qty of 1 or more")}
			}
			var lines []map[string]any
			for _, s := range skus {
				lines = append(lines, attn.line(s, qty))
			}
			var out struct {
				ID int `json:"id"`
			}
			if err := sb.call(cmd.Context(), http.MethodPost, sb.bigCommerce+"/__fake/orders",
				map[string]any{"customer_email": email, "lines": lines, "partial_refund": attn.partialRefund, "authorize_only": attn.authorizeOnly}, &out); err != nil {
				return err
			}
			if a.json {
				return a.printJSON(out)
			}
			fmt.Fprintf(a.out, "placed BigCommerce order %d\nwatch it: go run ./cmd/starter orders show %d\n", out.ID, out.ID)
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&skus, "sku", nil, "SKU to buy (repeatable)")
	cmd.Flags().IntVar(&qty, "qty", 1, "quantity of each SKU")
	cmd.Flags().StringVar(&email, "email", "shopper@example.com", "customer email")
	attn.flags(cmd)
	return cmd
}

func (sb *sandboxClient) statusCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "status <order> <status>",
		Short: "Change a sandbox order's BigCommerce status, by id or name (5 or cancelled)",
		Args:  exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := orderArg(args)
			if err != nil {
				return err
			}
			status, err := parseBigCommerceStatus(args[1])
			if err != nil {
				return err
			}
			var out struct {
				ID       int `json:"id"`
				StatusID int `json:"status_id"`
			}
			if err := sb.call(cmd.Context(), http.MethodPut, fmt.Sprintf("%s/__fake/orders/%d/status", sb.bigCommerce, id),
				map[string]int{"status_id": status}, &out); err != nil {
				return err
			}
			if a.json {
				return a.printJSON(out)
			}
			fmt.Fprintf(a.out, "BigCommerce order %d is now %s\n", out.ID, describeBigCommerceStatus(out.StatusID))
			return nil
		},
	}
}

func (sb *sandboxClient) invoiceCommand(a *app) *cobra.Command {
	var location string
	cmd := &cobra.Command{
		Use:   "invoice <order> --location L",
		Short: "Invoice an order's lines distributed to a location, as store staff do",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			order := heartlandOrderKey(args[0])
			var out sandboxInvoice
			if err := sb.call(cmd.Context(), http.MethodPost, sb.heartland+"/__fake/invoice",
				map[string]any{"order": order, "location": location}, &out); err != nil {
				return err
			}
			if a.json {
				return a.printJSON(out)
			}
			fmt.Fprintf(a.out, "invoiced %s at %s: Heartland invoice %d, total %s\nwatch it: go run ./cmd/starter orders show %s\n",
				order, location, out.InvoiceID, out.Total, strings.TrimPrefix(order, "BC-"))
			return nil
		},
	}
	cmd.Flags().StringVar(&location, "location", "", "location id or name")
	_ = cmd.MarkFlagRequired("location")
	return cmd
}

func (sb *sandboxClient) sellCommand(a *app) *cobra.Command {
	return sb.stockChange(a, "sell", "/__fake/sale", "Ring up a sale at a location of the sandbox POS")
}

func (sb *sandboxClient) receiveCommand(a *app) *cobra.Command {
	return sb.stockChange(a, "receive", "/__fake/receive", "Receive stock at a location of the sandbox POS")
}

func (sb *sandboxClient) stockChange(a *app, use, path, short string) *cobra.Command {
	var location string
	var qty int
	cmd := &cobra.Command{
		Use:   use + " <sku> --location L [--qty N]",
		Short: short,
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var sale sandboxSale
			var stock heartlandStock
			out := any(&stock) // receive answers the SKU's stock, sell its ticket
			if use == "sell" {
				out = &sale
			}
			if err := sb.call(cmd.Context(), http.MethodPost, sb.heartland+path,
				map[string]any{"sku": args[0], "qty": qty, "location": location}, out); err != nil {
				return err
			}
			if a.json {
				return a.printJSON(out)
			}
			if use == "sell" {
				fmt.Fprintf(a.out, "sold %d × %s at %s: Heartland ticket %d, total %s\nthe store follows within seconds: go run ./cmd/starter sandbox stock %s\n",
					qty, args[0], location, sale.TicketID, sale.Total, args[0])
				return nil
			}
			fmt.Fprintf(a.out, "received %d × %s at %s\n", qty, args[0], location)
			return printStock(a.out, &stock, nil)
		},
	}
	cmd.Flags().StringVar(&location, "location", "", "location id or name")
	cmd.Flags().IntVar(&qty, "qty", 1, "quantity")
	_ = cmd.MarkFlagRequired("location")
	return cmd
}

func (sb *sandboxClient) stockCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "stock <sku>",
		Short: "Show a SKU's quantities on both sandbox sides",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var hl heartlandStock
			var bc bigCommerceStock
			q := "?sku=" + url.QueryEscape(args[0])
			if err := sb.call(cmd.Context(), http.MethodGet, sb.heartland+"/__fake/stock"+q, nil, &hl); err != nil {
				return fmt.Errorf("heartland: %w", err)
			}
			if err := sb.call(cmd.Context(), http.MethodGet, sb.bigCommerce+"/__fake/inventory"+q, nil, &bc); err != nil {
				return fmt.Errorf("bigcommerce: %w", err)
			}
			if a.json {
				return a.printJSON(map[string]any{"heartland": hl, "bigcommerce": bc})
			}
			return printStock(a.out, &hl, &bc)
		},
	}
}

// call sends one control request and decodes the answer into out.
func (sb *sandboxClient) call(ctx context.Context, method, target string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := sb.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s (is `go run ./cmd/worker` running with the sandbox?): %w", method, target, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %s: %s", method, target, resp.Status, strings.TrimSpace(string(data)))
	}
	if out != nil && len(data) > 0 {
		return json.Unmarshal(data, out)
	}
	return nil
}
