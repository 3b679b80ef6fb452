// The self-benchmark's four workloads written for Go's own testing package, so that
// `slurmbench self -tools=...,go` can show what the reference implementation of the b.N method
// reads on the same machine in the same run: its empty-loop cost, its spread across invocations
// and its time to result. The JSON workload parses testdata/nodes.json, the very bytes the
// JavaScript tools parse (a slurmbench unit test holds the file equal to them); Go's regexp is
// RE2, not irregexp, so that workload's ns/op compares engines, not harnesses.
package selfreference

import (
	"encoding/json"
	"os"
	"regexp"
	"testing"
)

var sink any

func BenchmarkEmpty(b *testing.B) {
	for i := 0; i < b.N; i++ {
	}
}

func BenchmarkJSONParse(b *testing.B) {
	// Relative to the package folder, where `go test` and `slurmbench self` run the binary.
	text, err := os.ReadFile("testdata/nodes.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var v any
		if err := json.Unmarshal(text, &v); err != nil {
			b.Fatal(err)
		}
		sink = v
	}
}

var metricFilter = regexp.MustCompile(`^slurm_node_(cpu|mem)_\w+$`)

func BenchmarkRegExpTest(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink = metricFilter.MatchString("slurm_node_cpu_alloc")
	}
}

type item struct{ id, v int }

func BenchmarkAlloc(b *testing.B) {
	for i := 0; i < b.N; i++ {
		items := make([]*item, 100)
		for j := range items {
			items[j] = &item{id: j, v: j}
		}
		sink = items
	}
}
