package workflows_test

import (
	"bytes"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// knownViolations are imports that break a rule today and are on their way
// out; each is "importer -> imported", module-relative. The test fails when
// a new violation appears and when one listed here is gone, so the list
// only ever shrinks. Empty since starter stopped importing activities.
var knownViolations = []string{}

// clientTrees are the API clients with their fakes under <tree>/...
var clientTrees = []string{"activities/bigcommerce", "activities/heartland"}

// importRule is one layering rule: a package that applies must not import
// what forbids names. Paths are module-relative for hrbc packages and full
// for others.
type importRule struct {
	name    string
	applies func(pkg string) bool
	forbids func(pkg, imp string) bool
}

// TestImportRules keeps the module's layering true, reading the import
// graph with go list (nothing is built, so it takes a second or two):
//   - the API clients and their fakes import nothing from go.temporal.io,
//     and of hrbc only their own client tree or a shared package under
//     activities/ (which is then held to the same rule);
//   - activities never import workflows, worker, starter or cmd;
//   - workflows never import the API clients, worker, starter or cmd;
//   - starter imports nothing under activities (see knownViolations);
//   - nothing imports cmd; worker may import everything.
//
// Only the packages' own imports count, not their tests': a test may
// reach across layers to set a scene up.
func TestImportRules(t *testing.T) {
	var found []string
	for _, v := range violations(moduleImports(t)) {
		found = append(found, v.edge)
		if !slices.Contains(knownViolations, v.edge) {
			t.Errorf("%s, breaking the rule: %s", strings.Replace(v.edge, " -> ", " imports ", 1), v.rule)
		}
	}
	for _, edge := range knownViolations {
		if !slices.Contains(found, edge) {
			t.Errorf("known violation %q no longer occurs: remove it from knownViolations in workflows/imports_test.go", edge)
		}
	}
}

// TestImportRulesCatch feeds the rules a made-up module that breaks each
// once, so a rule that stopped matching cannot pass unnoticed.
func TestImportRulesCatch(t *testing.T) {
	imports := map[string][]string{
		"activities":                             {"activities/heartland", "go.temporal.io/sdk/activity", "workflows"},
		"activities/bigcommerce":                 {"net/http", "activities/secret", "activities/heartland"},
		"activities/bigcommerce/bigcommercetest": {"activities/bigcommerce"},
		"activities/heartland":                   {"go.temporal.io/sdk/temporal"},
		"activities/secret":                      {"activities"},
		"cmd/worker":                             {"worker"},
		"starter":                                {"workflows", "activities/secret", "go.temporal.io/sdk/client"},
		"worker":                                 {"activities", "activities/heartland", "starter", "workflows", "cmd/worker"},
		"workflows":                              {"activities", "activities/bigcommerce/bigcommercetest", "go.temporal.io/sdk/workflow"},
	}
	var got []string
	for _, v := range violations(imports) {
		got = append(got, v.edge)
	}
	want := []string{
		"activities -> workflows",
		"activities/bigcommerce -> activities/heartland",
		"activities/heartland -> go.temporal.io/sdk/temporal",
		"activities/secret -> activities",
		"starter -> activities/secret",
		"worker -> cmd/worker",
		"workflows -> activities/bigcommerce/bigcommercetest",
	}
	if !slices.Equal(got, want) {
		t.Errorf("violations\n got %q\nwant %q", got, want)
	}
}

// violation is one import that breaks a rule.
type violation struct {
	edge, rule string
}

// violations checks every import of every package against the rules, in
// package order.
func violations(imports map[string][]string) []violation {
	leaves := clientLeaves(imports)
	// hrbc reports whether a module-relative path is one of the module's
	// packages, so a standard-library path can never look like one.
	hrbc := func(path string) bool { _, ok := imports[path]; return ok }
	rules := []importRule{
		{
			name:    "the API clients are leaves: no Temporal, no hrbc package but their own tree and shared activities/ packages",
			applies: func(pkg string) bool { return leaves[pkg] },
			forbids: func(pkg, imp string) bool {
				if strings.HasPrefix(imp, "go.temporal.io/") {
					return true
				}
				if !hrbc(imp) {
					return false
				}
				own := clientTree(pkg)
				return !(own != "" && under(imp, own)) && !isSharedActivities(imp)
			},
		},
		{
			name:    "activities run below the orchestration: never import workflows, worker, starter or cmd",
			applies: func(pkg string) bool { return under(pkg, "activities") },
			forbids: func(_, imp string) bool {
				return hrbc(imp) && underAny(imp, "workflows", "worker", "starter", "cmd")
			},
		},
		{
			name:    "workflows call activities, never the API clients, worker, starter or cmd",
			applies: func(pkg string) bool { return under(pkg, "workflows") },
			forbids: func(_, imp string) bool {
				return hrbc(imp) && underAny(imp, append(slices.Clone(clientTrees), "worker", "starter", "cmd")...)
			},
		},
		{
			name:    "starter talks to Temporal only: it imports nothing under activities",
			applies: func(pkg string) bool { return under(pkg, "starter") },
			forbids: func(_, imp string) bool { return hrbc(imp) && under(imp, "activities") },
		},
		{
			name:    "cmd holds binaries: nothing imports them",
			applies: func(string) bool { return true },
			forbids: func(_, imp string) bool { return hrbc(imp) && under(imp, "cmd") },
		},
	}

	var found []violation
	for _, pkg := range sortedKeys(imports) {
		for _, imp := range imports[pkg] {
			for _, r := range rules {
				if r.applies(pkg) && r.forbids(pkg, imp) {
					found = append(found, violation{edge: pkg + " -> " + imp, rule: r.name})
				}
			}
		}
	}
	return found
}

// modulePath is the module path, stripped from hrbc import paths.
const modulePath = "github.com/hrbc/hrbc"

// moduleImports lists every package of the module with its imports,
// module-relative where they are hrbc's.
func moduleImports(t *testing.T) map[string][]string {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH; the import rules are read with go list")
	}
	root := run(t, goCmd, ".", "list", "-m", "-f", "{{.Dir}}")
	out := run(t, goCmd, root, "list", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}", "./...")
	imports := map[string][]string{}
	for line := range strings.Lines(out) {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		pkg := rel(fields[0])
		for _, imp := range fields[1:] {
			imports[pkg] = append(imports[pkg], rel(imp))
		}
		if _, ok := imports[pkg]; !ok {
			imports[pkg] = nil
		}
	}
	if len(imports) == 0 {
		t.Fatal("go list found no packages")
	}
	return imports
}

// run runs the go command in dir and returns its trimmed output.
func run(t *testing.T, goCmd, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(goCmd, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

// clientLeaves are the client packages and the shared activities/
// packages they import, transitively: a client is only as free of
// Temporal as what it imports.
func clientLeaves(imports map[string][]string) map[string]bool {
	leaves := map[string]bool{}
	var todo []string
	for pkg := range imports {
		if clientTree(pkg) != "" {
			todo = append(todo, pkg)
		}
	}
	for len(todo) > 0 {
		pkg := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if leaves[pkg] {
			continue
		}
		leaves[pkg] = true
		for _, imp := range imports[pkg] {
			if isSharedActivities(imp) {
				todo = append(todo, imp)
			}
		}
	}
	return leaves
}

// rel makes an hrbc import path module-relative ("." for the root).
func rel(path string) string {
	if path == modulePath {
		return "."
	}
	if r, ok := strings.CutPrefix(path, modulePath+"/"); ok {
		return r
	}
	return path
}

// under reports whether path is dir or inside it.
func under(path, dir string) bool {
	return path == dir || strings.HasPrefix(path, dir+"/")
}

// underAny reports whether path is under one of dirs.
func underAny(path string, dirs ...string) bool {
	return slices.ContainsFunc(dirs, func(d string) bool { return under(path, d) })
}

// clientTree is the client tree path belongs to, or "".
func clientTree(path string) string {
	for _, tree := range clientTrees {
		if under(path, tree) {
			return tree
		}
	}
	return ""
}

// isSharedActivities reports whether path is a package under activities/
// that belongs to no client (a shared helper both clients may use).
func isSharedActivities(path string) bool {
	return strings.HasPrefix(path, "activities/") && clientTree(path) == ""
}

// sortedKeys returns m's keys in order, so failures read the same each run.
func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
