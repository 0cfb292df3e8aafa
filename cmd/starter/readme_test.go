package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hrbc/hrbc/worker/workertest"
)

// readmeSkipped are README commands this test cannot run, by prefix, each
// with why. Every other command of a ```sh block must be a `go run
// ./cmd/starter` command, and runs.
var readmeSkipped = []struct{ prefix, why string }{
	{"go run ./cmd/worker", "the test runs the worker process itself, in-process"},
	{"go test ", "the tests themselves"},
	{"HRBC_TEST_CLOCK=", "the tests themselves, under a shifted clock"},
	{"go run ./cmd/bench", "benchmarks and the crash test take minutes"},
	{"temporal ", "the temporal CLI is not part of hrbc"},
}

// readmeRetryFor bounds how long a command that fails is tried again: the
// README's steps follow workflows that take a moment (an order is imported
// after checkout, shipped after its invoice), as a person pasting them
// would wait. Usage errors are never retried.
const readmeRetryFor = 60 * time.Second

// TestREADMECommands runs every command of the README's ```sh blocks, in
// order, against a fresh sandbox (the embedded default of cmd/worker), so
// the README cannot drift from the CLI: a command that does not parse,
// needs a placeholder filled in or fails on the sandbox fails here.
func TestREADMECommands(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the embedded server and every README command")
	}
	start := time.Now()
	commands := readmeCommands(t, "../../README.md")
	frontend, bcPort, hlPort := workertest.FreePort(t), workertest.FreePort(t), workertest.FreePort(t)
	p := workertest.RunProcess(t, []string{
		"HRBC_DEV_DB=" + filepath.Join(t.TempDir(), ".hrbc", "temporal.db"),
		"HRBC_DEV_FRONTEND_PORT=" + strconv.Itoa(frontend),
		"HRBC_DEV_UI_PORT=-1",
		"HRBC_HTTP_ADDR=127.0.0.1:" + strconv.Itoa(workertest.FreePort(t)),
		"HRBC_SANDBOX_BIGCOMMERCE_PORT=" + strconv.Itoa(bcPort),
		"HRBC_SANDBOX_HEARTLAND_PORT=" + strconv.Itoa(hlPort),
	})
	defer p.Stop()
	t.Setenv("TEMPORAL_ADDRESS", fmt.Sprintf("127.0.0.1:%d", frontend))
	t.Setenv("TEMPORAL_NAMESPACE", "default")
	t.Setenv("HRBC_TASK_QUEUE", "hrbc")
	t.Setenv("HRBC_SANDBOX_BIGCOMMERCE_URL", fmt.Sprintf("http://127.0.0.1:%d", bcPort))
	t.Setenv("HRBC_SANDBOX_HEARTLAND_URL", fmt.Sprintf("http://127.0.0.1:%d", hlPort))

	ran := 0
	for _, c := range commands {
		if why := skipReason(c.line); why != "" {
			t.Logf("README:%d skipped (%s): %s", c.at, why, c.line)
			continue
		}
		args, ok := strings.CutPrefix(c.line, "go run ./cmd/starter ")
		if !ok {
			t.Fatalf("README:%d %q is neither a starter command nor in readmeSkipped", c.at, c.line)
		}
		words, err := shellWords(args)
		if err != nil {
			t.Fatalf("README:%d %q: %v", c.at, c.line, err)
		}
		for _, w := range words {
			if strings.ContainsAny(w, "<>[]…") || strings.Contains(w, "...") {
				t.Fatalf("README:%d %q: %q is a placeholder or syntax summary; use a real value or move it out of the ```sh block", c.at, c.line, w)
			}
		}
		out := runREADMECommand(t, c, words)
		ran++
		if ran == 1 && !strings.Contains(out, "order 102") {
			t.Errorf("README:%d the first sandbox order should be 102 as the README says:\n%s", c.at, out)
		}
	}
	// The README's walk-through ends with order 102 shipped and closed.
	eventually(t, "order 102 closed", []string{"orders", "show", "102"}, func(out string) bool {
		return strings.Contains(out, "closed")
	})
	t.Logf("ran %d README commands in %s", ran, time.Since(start).Round(time.Second))
}

// runREADMECommand runs one command in-process until it succeeds.
func runREADMECommand(t *testing.T, c readmeCommand, words []string) string {
	t.Helper()
	deadline := time.Now().Add(readmeRetryFor)
	for {
		out, errOut, err := runCLI(words...)
		if err == nil {
			t.Logf("README:%d $ %s\n%s", c.at, c.line, out)
			return out
		}
		var usage *usageError
		if errors.As(err, &usage) || time.Now().After(deadline) {
			t.Fatalf("README:%d %s\nfailed: %v\n%s%s", c.at, c.line, err, out, errOut)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func skipReason(line string) string {
	for _, s := range readmeSkipped {
		if strings.HasPrefix(line, s.prefix) {
			return s.why
		}
	}
	return ""
}

// readmeCommand is one command line of a ```sh block and its line number.
type readmeCommand struct {
	at   int
	line string
}

// readmeCommands returns the commands of the file's ```sh blocks, with
// backslash continuations joined and comments kept (shellWords drops them).
func readmeCommands(t *testing.T, path string) []readmeCommand {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []readmeCommand
	inSh, cont := false, ""
	for i, l := range strings.Split(string(b), "\n") {
		switch {
		case !inSh && strings.TrimSpace(l) == "```sh":
			inSh = true
		case inSh && strings.TrimSpace(l) == "```":
			inSh = false
		case inSh:
			l = strings.TrimSpace(l)
			if strings.HasSuffix(l, `\`) {
				cont += strings.TrimSuffix(l, `\`) + " "
				continue
			}
			if line := strings.TrimSpace(cont + l); line != "" && !strings.HasPrefix(line, "#") {
				out = append(out, readmeCommand{at: i + 1, line: line})
			}
			cont = ""
		}
	}
	if len(out) == 0 {
		t.Fatal("no ```sh commands in the README")
	}
	return out
}

// shellWords splits a command line as a POSIX shell does for the simple
// commands the README shows: words separated by blanks, '…' and "…"
// quoting, and a # that starts a word starting a comment.
func shellWords(line string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case r == '#' && !inWord:
			return words, nil
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated %c quote", quote)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
