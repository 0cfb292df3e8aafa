// Package codecserver serves Temporal's remote-codec protocol for hrbc's
// payload codec, so the Temporal Web UI (and `temporal` with
// --codec-endpoint) shows decrypted payloads while the server keeps only
// ciphertext: POST {"payloads":[...]} to /codec/encode or /codec/decode,
// with X-Namespace naming the namespace, answered with the same shape. The
// worker serves it on the intake's listener. It imports starter/codec and
// worker/intake (for the failed-authentication guard).
package codecserver

import (
	"crypto/subtle"
	"net/http"
	"slices"
	"strings"

	"go.temporal.io/sdk/converter"

	"github.com/hrbc/hrbc/starter/codec"
	"github.com/hrbc/hrbc/worker/intake"
)

// Prefix is where the codec server is mounted on the intake.
const Prefix = "/codec"

// maxBody bounds one request: the UI decodes a page of history at a time.
const maxBody = 4 << 20

// Options configure the handler.
type Options struct {
	// Keys are the payload keys, the worker's own.
	Keys *codec.KeyRing
	// Token authorizes requests: "Authorization: Bearer <token>", or the
	// path /codec/t/<token>/... for the Web UI, which without single
	// sign-on cannot send a header of its own.
	Token string
	// Namespace is the only namespace answered (X-Namespace).
	Namespace string
	// Origins are the browser origins allowed by CORS (the Web UI's).
	Origins []string
	// Guard rate-limits failed authentications per client address.
	Guard *intake.AuthGuard
}

// Handler returns the codec server.
func Handler(o Options) http.Handler {
	return &handler{opts: o, codec: converter.NewPayloadCodecHTTPHandler(codec.NewCodec(o.Keys))}
}

type handler struct {
	opts  Options
	codec http.Handler
}

// ServeHTTP answers CORS preflights without authentication (browsers send
// none with them), then authenticates, checks the namespace and hands the
// payloads to the SDK's codec handler.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.cors(w, r)
	if r.Method == http.MethodOptions {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	op, pathToken := h.route(r.URL.Path)
	if op == "" {
		http.NotFound(w, r)
		return
	}
	if !h.opts.Guard.Check(w, r, "codec "+op, func() bool { return h.authorized(r, pathToken) }) {
		return
	}
	if ns := r.Header.Get("X-Namespace"); ns != "" && ns != h.opts.Namespace {
		http.Error(w, "unknown namespace", http.StatusNotFound)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	h.codec.ServeHTTP(w, r)
}

// route returns "encode" or "decode" and the token carried in the path,
// if any; "" for any other path.
func (h *handler) route(path string) (op, token string) {
	rest, ok := strings.CutPrefix(path, Prefix+"/")
	if !ok {
		return "", ""
	}
	if t, ok := strings.CutPrefix(rest, "t/"); ok {
		token, rest, _ = strings.Cut(t, "/")
	}
	if rest != "encode" && rest != "decode" {
		return "", ""
	}
	return rest, token
}

// authorized compares the presented token in constant time.
func (h *handler) authorized(r *http.Request, pathToken string) bool {
	got := pathToken
	if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		got = bearer
	}
	return h.opts.Token != "" && got != "" && subtle.ConstantTimeCompare([]byte(h.opts.Token), []byte(got)) == 1
}

// cors lets the Web UI's origin call from the browser; other origins get
// no CORS headers, so browsers keep their pages out.
func (h *handler) cors(w http.ResponseWriter, r *http.Request) {
	origin := r.Header.Get("Origin")
	if origin == "" || !slices.Contains(h.opts.Origins, origin) {
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", origin)
	w.Header().Set("Access-Control-Allow-Methods", "POST, OPTIONS")
	w.Header().Set("Access-Control-Allow-Headers", "Content-Type, X-Namespace, Authorization")
	w.Header().Set("Access-Control-Allow-Credentials", "true")
	w.Header().Set("Access-Control-Max-Age", "600")
	w.Header().Add("Vary", "Origin")
}
