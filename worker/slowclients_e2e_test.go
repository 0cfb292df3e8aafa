package worker_test

import (
	"net"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/worker/intake"
	"github.com/hrbc/hrbc/workflows"
)

// slowClients is how many connections the test holds open on the intake,
// each having sent half a request line and then nothing.
const slowClients = 1000

// TestEndToEndOrderImportsWhileSlowClientsHoldTheIntake holds 1000 slow
// connections to the intake (loopback) while a web order arrives: the
// intake accepts at most intake.MaxConnections of them and drops each
// after its header timeout, so the process keeps the file descriptors the
// Temporal server and SQLite need, and the order is imported. The figures
// are logged (go test -v -run SlowClients ./worker), not asserted.
func TestEndToEndOrderImportsWhileSlowClientsHoldTheIntake(t *testing.T) {
	if testing.Short() {
		t.Skip("opens 1000 connections")
	}
	sh := newOrderShop(t, func(s *workflows.Settings, _ *orderShop) { s.OrderSweepSeconds = 5 })
	u, err := url.Parse(sh.Intake.URL)
	if err != nil {
		t.Fatal(err)
	}
	fdsBefore := openFDs()
	conns := make([]net.Conn, 0, slowClients)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range slowClients {
		c, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
		if err != nil {
			t.Fatalf("slow client %d: %v", len(conns)+1, err)
		}
		_, _ = c.Write([]byte("POST /webhooks/bigcommerce/shop HTTP/1.1\r\nHost: x\r\n"))
		conns = append(conns, c)
	}
	fdsHeld := openFDs()

	start := time.Now()
	id := sh.order(t, bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 1}}})
	sh.waitStage(t, id, workflows.OrderStageAwaitingDistribution)
	t.Logf("%d slow clients held (intake cap %d, header timeout %s): order imported in %s; this process's open files %d before, %d holding (the test's own %d client sockets included)",
		slowClients, intake.MaxConnections, intake.ReadHeaderTimeout, time.Since(start).Round(time.Millisecond), fdsBefore, fdsHeld, slowClients)
	if fdsHeld-fdsBefore > slowClients+intake.MaxConnections+64 {
		t.Errorf("open files grew by %d for %d slow clients: the intake holds more than its cap", fdsHeld-fdsBefore, slowClients)
	}
}

// openFDs counts this process's open file descriptors (-1 where /proc is
// missing).
func openFDs() int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(entries)
}
