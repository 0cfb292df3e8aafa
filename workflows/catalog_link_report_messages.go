package workflows

import "github.com/hrbc/hrbc/activities"

// CatalogLinksInput starts a CatalogLinkReport.
type CatalogLinksInput struct {
	// ConnectionID names the connection.
	ConnectionID string `json:"connection_id"`
	// MaxNames bounds each list of SKUs (0: 200).
	MaxNames int `json:"max_names,omitempty"`
}

// CatalogLinksReport is the answer of `catalog links`, the activity's
// report as it is.
type CatalogLinksReport = activities.CatalogLinksReport
