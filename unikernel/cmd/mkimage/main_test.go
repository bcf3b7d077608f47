package main

import "testing"

func TestParseDepends(t *testing.T) {
	out := "linux-image-cloud-amd64\n  Depends: linux-image-6.1.0-56-cloud-amd64\n"
	if got, err := parseDepends(out); err != nil || got != "linux-image-6.1.0-56-cloud-amd64" {
		t.Errorf("got %q, %v", got, err)
	}
	out = "linux-image-cloud-amd64\n |Depends: <linux-image-6.1.0-57-cloud-amd64>\n  Recommends: firmware\n"
	if got, err := parseDepends(out); err != nil || got != "linux-image-6.1.0-57-cloud-amd64" {
		t.Errorf("got %q, %v", got, err)
	}
	if _, err := parseDepends("linux-image-cloud-amd64\n"); err == nil {
		t.Error("empty output accepted")
	}
}
