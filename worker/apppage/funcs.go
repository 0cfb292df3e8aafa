package apppage

import (
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/hrbc/hrbc/starter"
)

// templateFuncs are the helpers the templates use.
var templateFuncs = template.FuncMap{
	"ids": func(ids []int64) string {
		s := make([]string, len(ids))
		for i, id := range ids {
			s[i] = strconv.FormatInt(id, 10)
		}
		return strings.Join(s, ", ")
	},
	"loc": func(id int64) string {
		if id == 0 {
			return ""
		}
		return strconv.FormatInt(id, 10)
	},
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "never"
		}
		return t.UTC().Format("2006-01-02 15:04:05 UTC")
	},
	"orderOf":     func(it starter.AttentionItem) int { return orderOfWorkflow(it) },
	"retryable":   func(it starter.AttentionItem) bool { return retryable(it) },
	"retryLabel":  func(it starter.AttentionItem) string { return retryLabel(it) },
	"statusClass": func(s string) string { return "st-" + strings.ToLower(s) },
}

// retryable says whether the Errors tab offers a retry for an item.
func retryable(it starter.AttentionItem) bool {
	switch {
	case orderOfWorkflow(it) > 0, catalogKindOfWorkflow(it) != "":
		return true
	}
	return it.WorkflowType == "Connection" || it.WorkflowType == "InventorySync"
}

// retryLabel is the retry button's words for an item.
func retryLabel(it starter.AttentionItem) string {
	switch {
	case orderOfWorkflow(it) > 0:
		return "Retry order"
	case it.WorkflowType == "Connection":
		return "Check again"
	}
	return "Run again"
}
