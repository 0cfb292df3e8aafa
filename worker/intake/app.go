package intake

import (
	"context"
	"net/http"
	"regexp"
	"time"

	"github.com/hrbc/hrbc/workflows"
)

// AppPage opens hrbc's app page for a verified store user: the auth
// callback hands over to it after an install, the load callback every
// time the merchant opens the app in the control panel. The page lives in
// its own package (worker/apppage); the intake only proves who is asking.
type AppPage interface {
	// Open renders (or redirects to) the page of connectionID for the
	// control-panel user userEmail.
	Open(w http.ResponseWriter, r *http.Request, connectionID string, userEmail string)
}

// Connector is what the app callbacks ask of hrbc's workflows;
// *starter.Client is the real one.
type Connector interface {
	// SetCredentials verifies and saves a connection's credentials,
	// creating the connection when it does not exist.
	SetCredentials(ctx context.Context, connectionID string, req workflows.CredentialsRequest) (workflows.CredentialsSummary, error)
	// UninstallConnection stops a connection's syncs and deletes its credentials.
	UninstallConnection(ctx context.Context, connectionID, reason string) (workflows.ConnectionStatus, error)
	// ConnectionStatus reads a connection's status.
	ConnectionStatus(ctx context.Context, connectionID string) (workflows.ConnectionStatus, error)
}

// App is the BigCommerce single-click app as the intake serves it.
type App struct {
	// ClientID is the app's OAuth client id, the audience of its JWTs.
	ClientID string
	// ClientSecret exchanges codes and verifies the signed payloads.
	ClientSecret string
	// TokenURL is BigCommerce's token endpoint (login URL + /oauth2/token).
	TokenURL string
	// RedirectURI is the auth callback URL registered with the app; the
	// exchange must name it exactly.
	RedirectURI string
	// StoreBaseURL is an installed store's API root.
	StoreBaseURL func(storeHash string) string
	// ConnectionID names the connection of an installed store; nil is
	// ConnectionIDForStore. The sandbox maps its store to "demo".
	ConnectionID func(storeHash string) string
	// Connector saves credentials and uninstalls.
	Connector Connector
	// Page opens the app page; nil renders a short plain page saying the
	// connection is ready.
	Page AppPage
	// HTTPClient makes the token exchange; nil uses one with a 15 s timeout.
	HTTPClient *http.Client
	// Now is the clock JWTs are checked against; nil is time.Now.
	Now func() time.Time
}

// appCallTimeout bounds the workflow calls of one callback: saving
// credentials verifies them against the store first.
const appCallTimeout = 25 * time.Second

// storeContextPattern is BigCommerce's "stores/<hash>" context and subject.
var storeContextPattern = regexp.MustCompile(`^stores/([a-z0-9]{1,32})$`)

// ConnectionIDForStore is the connection an installed store gets: "bc-"
// and the store hash. Store hashes are lowercase letters and digits and
// never change, so the same store always lands on the same connection (a
// re-install re-authorizes it), and the ID is a valid connection ID.
func ConnectionIDForStore(storeHash string) string { return "bc-" + storeHash }

// ServeApp adds the app's callbacks to the intake: GET /bigcommerce/auth,
// /bigcommerce/load, /bigcommerce/uninstall and /bigcommerce/remove_user.
// Call it before serving.
func (in *Intake) ServeApp(app App) {
	if app.HTTPClient == nil {
		app.HTTPClient = &http.Client{Timeout: 15 * time.Second}
	}
	if app.Now == nil {
		app.Now = time.Now
	}
	if app.ConnectionID == nil {
		app.ConnectionID = ConnectionIDForStore
	}
	a := &appCallbacks{in: in, app: app}
	in.mux.HandleFunc("GET /bigcommerce/auth", a.auth)
	in.mux.HandleFunc("GET /bigcommerce/load", a.load)
	in.mux.HandleFunc("GET /bigcommerce/uninstall", a.uninstall)
	in.mux.HandleFunc("GET /bigcommerce/remove_user", a.removeUser)
}

// appCallbacks serves the app's callbacks.
type appCallbacks struct {
	in  *Intake
	app App
}
