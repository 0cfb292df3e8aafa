package main

import (
	"path/filepath"
	"strings"
	"testing"

	"go.temporal.io/server/common/config"
)

func TestParsePostgresURL(t *testing.T) {
	p, err := ParsePostgresURL("postgres://alice:s3cret@db.example:6543/admin?sslmode=require", "hrbc_bench")
	if err != nil {
		t.Fatal(err)
	}
	want := Postgres{Host: "db.example", Port: "6543", User: "alice", Password: "s3cret", SSLMode: "require",
		Database: "hrbc_bench_temporal", Visibility: "hrbc_bench_visibility", Admin: "admin"}
	if p != want {
		t.Fatalf("got %+v, want %+v", p, want)
	}
	d, err := ParsePostgresURL(defaultPostgresURL, "x")
	if err != nil {
		t.Fatal(err)
	}
	if d.Address() != "127.0.0.1:5432" || d.User != "postgres" || d.Admin != "postgres" || d.SSLMode != "disable" {
		t.Fatalf("defaults: %+v", d)
	}
}

func TestParsePostgresURLRefusesBadInput(t *testing.T) {
	for _, tc := range []struct{ url, prefix, want string }{
		{"mysql://root@127.0.0.1/", "hrbc", "not a postgres://"},
		{"postgres://u:pw@/", "hrbc", "not a postgres://"},
		{"postgres://u@127.0.0.1/", "Bad-Name", "database name"},
	} {
		_, err := ParsePostgresURL(tc.url, tc.prefix)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %s: got %v, want an error with %q", tc.url, tc.prefix, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "pw") {
			t.Errorf("the error shows the password: %v", err)
		}
	}
}

// TestServerConfigRenders loads deployments/temporal/config.yaml the way
// the server does, with the environment bench cluster gives it.
func TestServerConfigRenders(t *testing.T) {
	pg, err := ParsePostgresURL(defaultPostgresURL, "hrbc_bench")
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range append(pg.ServerEnv(), "FRONTEND_GRPC_PORT=27233", "DYNAMIC_CONFIG_FILE_PATH=/dev/null") {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	cfg, err := config.Load(config.WithConfigFile(filepath.Join("..", "..", "deployments", "temporal", "config.yaml")))
	if err != nil {
		t.Fatal(err)
	}
	store := cfg.Persistence.DataStores[cfg.Persistence.DefaultStore].SQL
	vis := cfg.Persistence.DataStores[cfg.Persistence.VisibilityStore].SQL
	if store == nil || vis == nil || store.PluginName != "postgres12" || vis.PluginName != "postgres12" {
		t.Fatalf("stores: %+v / %+v", store, vis)
	}
	if store.DatabaseName != "hrbc_bench_temporal" || vis.DatabaseName != "hrbc_bench_visibility" || store.ConnectAddr != "127.0.0.1:5432" {
		t.Fatalf("store %s at %s, visibility %s", store.DatabaseName, store.ConnectAddr, vis.DatabaseName)
	}
	if got := cfg.Services["frontend"].RPC.GRPCPort; got != 27233 {
		t.Fatalf("frontend port %d", got)
	}
}
