package codec

import (
	"bytes"
	"strings"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
)

// ring returns a parsed ring of the given "id=key" entries.
func ring(t *testing.T, entries ...string) *KeyRing {
	t.Helper()
	r, err := ParseKeyRing(strings.Join(entries, ","))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func newEntry(t *testing.T, id string) string {
	t.Helper()
	e, err := NewKey(id)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

type customer struct {
	Email string `json:"email"`
	Name  string `json:"name"`
}

func TestCodecEncryptsAndDecrypts(t *testing.T) {
	dc := DataConverter(ring(t, newEntry(t, "k1")))
	p, err := dc.ToPayload(customer{Email: "ada@example.com", Name: "Ada Lovelace"})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(p.Data, []byte("ada@example.com")) || bytes.Contains(p.Data, []byte("json")) {
		t.Fatalf("payload data carries clear text: %q", p.Data)
	}
	if string(p.Metadata["encoding"]) != Encoding || string(p.Metadata[MetadataKeyID]) != "k1" {
		t.Fatalf("metadata = %q", p.Metadata)
	}
	var got customer
	if err := dc.FromPayload(p, &got); err != nil || got.Email != "ada@example.com" {
		t.Fatalf("decoded %+v, %v", got, err)
	}
}

// TestKeyRotation: a ring whose new key comes first encrypts with it and
// still opens what the old key wrote; a ring without the old key cannot.
func TestKeyRotation(t *testing.T) {
	oldKey, newKey := newEntry(t, "old"), newEntry(t, "new")
	before := DataConverter(ring(t, oldKey))
	p, err := before.ToPayload("running workflow's input")
	if err != nil {
		t.Fatal(err)
	}
	rotated := DataConverter(ring(t, newKey, oldKey))
	var s string
	if err := rotated.FromPayload(p, &s); err != nil || s != "running workflow's input" {
		t.Fatalf("rotated ring reads old payload: %q, %v", s, err)
	}
	q, err := rotated.ToPayload("new input")
	if err != nil {
		t.Fatal(err)
	}
	if id := string(q.Metadata[MetadataKeyID]); id != "new" {
		t.Fatalf("rotated ring encrypts with %q, want new", id)
	}
	retired := DataConverter(ring(t, newKey))
	if err := retired.FromPayload(p, &s); err == nil || !strings.Contains(err.Error(), `"old"`) {
		t.Fatalf("ring without the old key: %v, want an error naming it", err)
	}
}

// TestPlainPayloadsPassThrough: histories written before encryption was
// turned on still decode.
func TestPlainPayloadsPassThrough(t *testing.T) {
	plain, err := converter.GetDefaultDataConverter().ToPayload(customer{Email: "old@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	var got customer
	if err := DataConverter(ring(t, newEntry(t, "k1"))).FromPayload(plain, &got); err != nil || got.Email != "old@example.com" {
		t.Fatalf("plain payload: %+v, %v", got, err)
	}
}

func TestTamperedPayloadRefused(t *testing.T) {
	c := NewCodec(ring(t, newEntry(t, "k1")))
	enc, err := c.Encode([]*commonpb.Payload{{Data: []byte("x")}})
	if err != nil {
		t.Fatal(err)
	}
	enc[0].Data[len(enc[0].Data)-1] ^= 1
	if _, err := c.Decode(enc); err == nil {
		t.Fatal("tampered payload decoded")
	}
}

func TestParseKeyRingRefusesBadRingsWithoutKeys(t *testing.T) {
	good := newEntry(t, "k1")
	_, key, _ := strings.Cut(good, "=")
	for _, s := range []string{"", "k1", "k1=notbase64!", "k1=" + key[:10], "a b=" + key, good + "," + good} {
		_, err := ParseKeyRing(s)
		if err == nil {
			t.Errorf("ParseKeyRing(%q) accepted", s)
			continue
		}
		if strings.Contains(err.Error(), key) {
			t.Errorf("error leaks the key: %v", err)
		}
	}
	r := ring(t, good, newEntry(t, "k2"))
	if s := r.String(); strings.Contains(s, key) || r.EncryptingID() != "k1" {
		t.Errorf("ring %s encrypting %s", s, r.EncryptingID())
	}
}
