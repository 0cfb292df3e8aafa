package metrics_test

import (
	"net"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The deployment files that must agree on where /metrics is served.
const (
	composePath    = "../../deployments/compose.yaml"
	prometheusPath = "../../deployments/prometheus/prometheus.yml"
	dockerfilePath = "../../deployments/Dockerfile"
	providerPath   = "../../deployments/grafana/provisioning/dashboards/hrbc.yaml"
)

// composeFile is the part of compose.yaml the tests read.
type composeFile struct {
	Services map[string]struct {
		Environment map[string]string `yaml:"environment"`
		Ports       []string          `yaml:"ports"`
		Volumes     []string          `yaml:"volumes"`
	} `yaml:"services"`
}

func readYAML(t *testing.T, file string, into any) {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(raw, into); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

// portOf is the port of a host:port address.
func portOf(t *testing.T, what, addr string) string {
	t.Helper()
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("%s: %q is not host:port: %v", what, addr, err)
	}
	return port
}

// TestMetricsPortAgreesAcrossDeployment: Prometheus scrapes the port the
// worker listens on in compose and in the image, or the dashboard is empty.
func TestMetricsPortAgreesAcrossDeployment(t *testing.T) {
	var compose composeFile
	readYAML(t, composePath, &compose)
	hrbc, ok := compose.Services["hrbc"]
	if !ok {
		t.Fatal("compose.yaml has no hrbc service")
	}
	port := portOf(t, "compose hrbc HRBC_METRICS_ADDR", hrbc.Environment["HRBC_METRICS_ADDR"])

	var prom struct {
		ScrapeConfigs []struct {
			JobName       string `yaml:"job_name"`
			StaticConfigs []struct {
				Targets []string `yaml:"targets"`
			} `yaml:"static_configs"`
		} `yaml:"scrape_configs"`
	}
	readYAML(t, prometheusPath, &prom)
	var targets []string
	for _, sc := range prom.ScrapeConfigs {
		for _, st := range sc.StaticConfigs {
			targets = append(targets, st.Targets...)
		}
	}
	if !slices.Contains(targets, "hrbc:"+port) {
		t.Errorf("prometheus.yml scrapes %v, not the compose worker's hrbc:%s", targets, port)
	}

	raw, err := os.ReadFile(dockerfilePath)
	if err != nil {
		t.Fatal(err)
	}
	dockerfile := string(raw)
	env := regexp.MustCompile(`HRBC_METRICS_ADDR=(\S+)`).FindStringSubmatch(dockerfile)
	if env == nil {
		t.Fatal("the Dockerfile sets no HRBC_METRICS_ADDR")
	}
	if p := portOf(t, "Dockerfile HRBC_METRICS_ADDR", env[1]); p != port {
		t.Errorf("the Dockerfile's HRBC_METRICS_ADDR port %s differs from compose's %s", p, port)
	}
	expose := regexp.MustCompile(`(?m)^EXPOSE\s+(.*)$`).FindStringSubmatch(dockerfile)
	if expose == nil || !slices.Contains(strings.Fields(expose[1]), port) {
		t.Errorf("the Dockerfile does not EXPOSE %s", port)
	}
}

// TestComposePublishesOnLoopbackOnly: nothing in compose.yaml, /metrics,
// Prometheus and Grafana included, has authentication worth the internet.
func TestComposePublishesOnLoopbackOnly(t *testing.T) {
	var compose composeFile
	readYAML(t, composePath, &compose)
	for name, svc := range compose.Services {
		for _, p := range svc.Ports {
			if !strings.HasPrefix(p, "127.0.0.1:") {
				t.Errorf("service %s publishes %q beyond loopback", name, p)
			}
		}
	}
}

// TestGrafanaLoadsTheDashboardFile: the provider's folder is where compose
// mounts hrbc-dashboard.json.
func TestGrafanaLoadsTheDashboardFile(t *testing.T) {
	var compose composeFile
	readYAML(t, composePath, &compose)
	var provider struct {
		Providers []struct {
			Options struct {
				Path string `yaml:"path"`
			} `yaml:"options"`
		} `yaml:"providers"`
	}
	readYAML(t, providerPath, &provider)
	if len(provider.Providers) != 1 {
		t.Fatalf("want one dashboard provider, got %d", len(provider.Providers))
	}
	var mounted string
	for _, v := range compose.Services["grafana"].Volumes {
		if src, dst, ok := strings.Cut(v, ":"); ok && src == "./grafana/hrbc-dashboard.json" {
			mounted, _, _ = strings.Cut(dst, ":")
		}
	}
	if mounted == "" {
		t.Fatal("compose's grafana does not mount ./grafana/hrbc-dashboard.json")
	}
	if dir := provider.Providers[0].Options.Path; path.Dir(mounted) != dir {
		t.Errorf("the dashboard is mounted at %s, the provider reads %s", mounted, dir)
	}
}
