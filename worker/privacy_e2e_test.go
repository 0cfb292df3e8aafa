package worker_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	historypb "go.temporal.io/api/history/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/starter/codec"
	"github.com/hrbc/hrbc/worker/codecserver"
	"github.com/hrbc/hrbc/worker/intake"
	"github.com/hrbc/hrbc/worker/workertest"
	"github.com/hrbc/hrbc/workflows"
)

// customerEmail is a shopper's address no other scenario uses, so finding
// it means finding this order's customer.
const customerEmail = "private.shopper@example.org"

// TestEndToEndServerStoresNoCustomerDataInClear runs an order through the
// real worker and reads its history as the server stores it (raw events,
// no data converter): the e-mail, name and phone appear nowhere in the
// bytes, while the same history decrypted with the worker's keys does
// carry the e-mail, so the check looks where the data is.
func TestEndToEndServerStoresNoCustomerDataInClear(t *testing.T) {
	sh := newOrderShop(t, nil)
	id := sh.order(t, bigcommercetest.OrderSeed{CustomerEmail: customerEmail, FirstName: "Private", LastName: "Shopperson",
		Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 1}}})
	sh.waitStage(t, id, workflows.OrderStageAwaitingDistribution)

	hist := sh.history(workflows.OrderWorkflowID(sh.ConnectionID, id), "")
	raw, err := proto.Marshal(hist)
	if err != nil {
		t.Fatal(err)
	}
	for _, clear := range []string{customerEmail, "Shopperson", "555-123-4567"} {
		if bytes.Contains(raw, []byte(clear)) {
			t.Errorf("the server's history holds %q in clear", clear)
		}
	}
	if !bytes.Contains(decryptedPayloads(t, hist), []byte(customerEmail)) {
		t.Fatal("decrypted history lacks the customer's e-mail: the check above proves nothing")
	}

	// What the Temporal UI does: post the stored payloads to the codec
	// server's decode path; the answer carries the e-mail again.
	srv := httptest.NewServer(codecserver.Handler(codecserver.Options{Keys: workertest.TestKeyRing(), Token: "ui-token",
		Namespace: sh.Namespace, Guard: intake.NewAuthGuard(slog.New(slog.DiscardHandler))}))
	defer srv.Close()
	body, err := protojson.Marshal(&commonpb.Payloads{Payloads: payloadsOf(hist)})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/codec/decode", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer ui-token")
	req.Header.Set("X-Namespace", sh.Namespace)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var decoded commonpb.Payloads
	if err := json.NewDecoder(resp.Body).Decode(&decoded); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("codec server: %d, %v", resp.StatusCode, err)
	}
	var all []byte
	for _, p := range decoded.Payloads {
		all = append(all, p.Data...)
	}
	if !bytes.Contains(all, []byte(customerEmail)) {
		t.Error("the codec server's decode path does not return the customer's e-mail")
	}
}

// decryptedPayloads is every payload of hist run through the worker's
// codec, concatenated.
func decryptedPayloads(t *testing.T, hist *historypb.History) []byte {
	t.Helper()
	c := codec.NewCodec(workertest.TestKeyRing())
	var out bytes.Buffer
	for _, ev := range hist.Events {
		for _, p := range payloadsOf(ev) {
			dec, err := c.Decode([]*commonpb.Payload{p})
			if err != nil {
				t.Fatal(err)
			}
			out.Write(dec[0].Data)
		}
	}
	return out.Bytes()
}

// payloadsOf finds every Payload inside m, however deeply nested (inputs,
// results, signals, updates, markers, failures' details).
func payloadsOf(m proto.Message) []*commonpb.Payload {
	var out []*commonpb.Payload
	var walk func(protoreflect.Message)
	walk = func(msg protoreflect.Message) {
		if p, ok := msg.Interface().(*commonpb.Payload); ok {
			out = append(out, p)
			return
		}
		msg.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			switch {
			case fd.IsList() && fd.Message() != nil:
				for i := range v.List().Len() {
					walk(v.List().Get(i).Message())
				}
			case fd.IsMap() && fd.MapValue().Message() != nil:
				v.Map().Range(func(_ protoreflect.MapKey, mv protoreflect.Value) bool {
					walk(mv.Message())
					return true
				})
			case !fd.IsList() && !fd.IsMap() && fd.Message() != nil:
				walk(v.Message())
			}
			return true
		})
	}
	walk(m.ProtoReflect())
	return out
}
