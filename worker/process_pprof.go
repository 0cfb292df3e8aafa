package worker

import (
	"net/http"
	"net/http/pprof"
)

// pprofPath is where Go's profiles answer when HRBC_PPROF is on.
const pprofPath = "/debug/pprof/"

// servePprof mounts Go's profiling endpoints on the metrics listener's
// mux, never the intake's, which faces the internet. (Importing
// net/http/pprof also mounts them on http.DefaultServeMux; no server of
// hrbc serves that mux.)
func servePprof(mux *http.ServeMux) {
	mux.HandleFunc(pprofPath, pprof.Index)
	mux.HandleFunc(pprofPath+"cmdline", pprof.Cmdline)
	mux.HandleFunc(pprofPath+"profile", pprof.Profile)
	mux.HandleFunc(pprofPath+"symbol", pprof.Symbol)
	mux.HandleFunc(pprofPath+"trace", pprof.Trace)
}
