package worker

import (
	"net"
	"net/http"
	"strings"

	"github.com/hrbc/hrbc/worker/codecserver"
	"github.com/hrbc/hrbc/worker/intake"
	"github.com/hrbc/hrbc/worker/sandbox"
)

// loadCodecToken decides whether the codec server runs: with
// HRBC_CODEC_TOKEN, or in the embedded default with a token kept beside
// the state (so the UI's endpoint survives restarts). A remote cluster
// without a token serves no codec: nobody could use it safely.
func (p *Process) loadCodecToken() error {
	switch {
	case p.cfg.CodecToken != "":
		p.codecToken = p.cfg.CodecToken.Reveal()
	case p.cfg.Embedded():
		t, err := codecserver.LoadOrCreateToken(sandbox.StateDir(p.cfg.DevDatabase))
		if err != nil {
			return err
		}
		p.codecToken = t
	default:
		p.logger.Info("codec server off: set HRBC_CODEC_TOKEN to decode payloads in the Temporal UI")
	}
	return nil
}

// uiCodecEndpoint is the codec endpoint the embedded Web UI calls from the
// browser: the intake, with the token in the path (the UI sends no header
// of its own without single sign-on; it is loopback-only by default).
func (p *Process) uiCodecEndpoint() string {
	if p.codecToken == "" {
		return ""
	}
	host, port, err := net.SplitHostPort(p.cfg.HTTPAddr)
	if err != nil {
		return ""
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + codecserver.Prefix + "/t/" + p.codecToken
}

// withCodecServer mounts the codec server beside the intake's routes, on
// the intake's own limited listener.
func (p *Process) withCodecServer(in *intake.Intake) http.Handler {
	if p.codecToken == "" {
		return in
	}
	var origins []string
	if p.dev != nil && p.dev.UIAddress() != "" {
		ui := p.dev.UIAddress()
		_, port, _ := net.SplitHostPort(ui)
		origins = []string{"http://" + ui, "http://localhost:" + port}
	}
	// UIs served elsewhere (deployments/compose.yaml's) are named.
	origins = append(origins, p.cfg.CodecOrigins...)
	mux := http.NewServeMux()
	mux.Handle(codecserver.Prefix+"/", codecserver.Handler(codecserver.Options{
		Keys: p.keys, Token: p.codecToken, Namespace: p.cfg.Namespace, Origins: origins, Guard: in.Guard(),
	}))
	mux.Handle("/", in)
	p.logger.Info("codec server on the intake", "path", codecserver.Prefix, "ui_origins", strings.Join(origins, ","))
	return mux
}
