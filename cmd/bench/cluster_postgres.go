package main

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/log"
	// The postgres12 plugin the SQL tool's connection is opened with.
	_ "go.temporal.io/server/common/persistence/sql/sqlplugin/postgresql"
	schematool "go.temporal.io/server/tools/common/schema"
	sqltool "go.temporal.io/server/tools/sql"
)

// PostgresURLEnv names the variable holding the PostgreSQL URL of
// `bench cluster`.
const PostgresURLEnv = "HRBC_BENCH_POSTGRES_URL"

// defaultPostgresURL is this machine's PostgreSQL (and CI's): trust auth.
const defaultPostgresURL = "postgres://postgres@127.0.0.1:5432/?sslmode=disable"

// Postgres is where the cluster keeps its state: a server reached as
// User at Host:Port, and the two databases the bench creates afresh.
type Postgres struct {
	Host, Port     string
	User, Password string
	SSLMode        string
	// Database and Visibility are the names of the Temporal store and its
	// visibility store.
	Database, Visibility string
	// Admin is the database connected to while the two are dropped and
	// created (the URL's path, else "postgres").
	Admin string
}

// ParsePostgresURL reads postgres://user[:password]@host[:port]/[admin]?sslmode=…;
// prefix names the two databases (prefix_temporal, prefix_visibility).
func ParsePostgresURL(raw, prefix string) (Postgres, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
		return Postgres{}, fmt.Errorf("%s: %q is not a postgres://user@host:port/ URL", PostgresURLEnv, redactURL(raw))
	}
	p := Postgres{Host: u.Hostname(), Port: u.Port(), User: u.User.Username(), SSLMode: u.Query().Get("sslmode"),
		Admin: strings.TrimPrefix(u.Path, "/"), Database: prefix + "_temporal", Visibility: prefix + "_visibility"}
	p.Password, _ = u.User.Password()
	if p.Port == "" {
		p.Port = "5432"
	}
	if p.User == "" {
		p.User = "postgres"
	}
	if p.SSLMode == "" {
		p.SSLMode = "disable"
	}
	if p.Admin == "" {
		p.Admin = "postgres"
	}
	for _, name := range []string{p.Database, p.Visibility} {
		if !validDatabaseName(name) {
			return Postgres{}, fmt.Errorf("database name %q: letters, digits and _ only, starting with a letter", name)
		}
	}
	return p, nil
}

// validDatabaseName keeps the names the bench drops and creates to plain
// identifiers (the SQL tool puts them in the statement as they are).
func validDatabaseName(s string) bool {
	if s == "" || len(s) > 63 || !(s[0] >= 'a' && s[0] <= 'z') {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// redactURL hides a URL's password.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// postgresFromEnv reads HRBC_BENCH_POSTGRES_URL (or the default).
func postgresFromEnv(prefix string) (Postgres, error) {
	raw := os.Getenv(PostgresURLEnv)
	if raw == "" {
		raw = defaultPostgresURL
	}
	return ParsePostgresURL(raw, prefix)
}

// Address is host:port.
func (p Postgres) Address() string { return net.JoinHostPort(p.Host, p.Port) }

// sqlConfig is the SQL tool's connection to database name.
func (p Postgres) sqlConfig(name string) *config.SQL {
	return &config.SQL{
		PluginName:        "postgres12",
		DatabaseName:      name,
		ConnectAddr:       p.Address(),
		ConnectProtocol:   "tcp",
		User:              p.User,
		Password:          p.Password,
		ConnectAttributes: map[string]string{"sslmode": p.SSLMode},
	}
}

// ServerEnv is the environment deployments/temporal/config.yaml reads
// the store's location from.
func (p Postgres) ServerEnv() []string {
	return []string{
		"POSTGRES_SEEDS=" + p.Host, "DB_PORT=" + p.Port, "POSTGRES_USER=" + p.User, "POSTGRES_PWD=" + p.Password,
		"POSTGRES_SSLMODE=" + p.SSLMode, "DBNAME=" + p.Database, "VISIBILITY_DBNAME=" + p.Visibility,
	}
}

// Reachable fails with a clear message when nothing answers at the
// address or PostgreSQL refuses the user.
func (p Postgres) Reachable(ctx context.Context) error {
	d := net.Dialer{Timeout: 3 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", p.Address())
	if err != nil {
		return fmt.Errorf("PostgreSQL is not reachable at %s (set %s, default %s): %w", p.Address(), PostgresURLEnv, defaultPostgresURL, err)
	}
	_ = conn.Close()
	c, err := sqltool.NewConnection(p.sqlConfig(p.Admin), log.NewNoopLogger())
	if err != nil {
		return fmt.Errorf("PostgreSQL at %s refused user %q on database %q (set %s): %w", p.Address(), p.User, p.Admin, PostgresURLEnv, err)
	}
	c.Close()
	return nil
}

// Recreate drops the two databases (ending any session still on them, say
// a server left by an interrupted run) and creates them with the schema
// of the pinned server module: temporal-sql-tool's create-database,
// setup-schema -v 0.0 and update-schema over the embedded versioned
// directories, as the module's own tool does it.
func (p Postgres) Recreate() error {
	logger := log.NewNoopLogger()
	admin, err := sqltool.NewConnection(p.sqlConfig(p.Admin), logger)
	if err != nil {
		return fmt.Errorf("connect to %s/%s: %w", p.Address(), p.Admin, err)
	}
	defer admin.Close()
	for _, name := range []string{p.Database, p.Visibility} {
		if err := admin.Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", name); err != nil {
			return fmt.Errorf("end sessions on %s: %w", name, err)
		}
		if err := admin.DropDatabase(name); err != nil {
			return fmt.Errorf("drop database %s: %w", name, err)
		}
		if err := admin.CreateDatabase(name); err != nil {
			return fmt.Errorf("create database %s: %w", name, err)
		}
	}
	for name, schema := range map[string]string{p.Database: "postgresql/v12/temporal", p.Visibility: "postgresql/v12/visibility"} {
		if err := setupSchema(p.sqlConfig(name), schema, logger); err != nil {
			return fmt.Errorf("schema %s in database %s: %w", schema, name, err)
		}
	}
	return nil
}

// setupSchema creates the versioning tables at 0.0 and applies every
// versioned update of the embedded schema directory.
func setupSchema(cfg *config.SQL, schemaName string, logger log.Logger) error {
	conn, err := sqltool.NewConnection(cfg, logger)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := schematool.NewSetupSchemaTask(conn, &schematool.SetupConfig{InitialVersion: "0.0"}, logger).Run(); err != nil {
		return fmt.Errorf("setup-schema: %w", err)
	}
	if err := schematool.NewUpdateSchemaTask(conn, &schematool.UpdateConfig{DBName: cfg.DatabaseName, SchemaName: schemaName}, logger).Run(); err != nil {
		return fmt.Errorf("update-schema: %w", err)
	}
	return nil
}
