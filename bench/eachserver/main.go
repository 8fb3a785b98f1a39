// Command eachserver is the local API for bench/each.sh: GET /customers/{id} answers one small JSON object, and
// GET /count says how many customer requests it has answered since the last /count, so the script can check that
// each tool sent one request per row. It prints its address on the first line of standard output.
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
)

func main() {
	var served atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("GET /customers/{id}", func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		id := r.PathValue("id")
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id":%q,"name":"Customer %s","email":"c%s@example.com","plan":"gold","active":true}`, id, id, strings.ToLower(id))
	})
	mux.HandleFunc("GET /count", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, served.Swap(0))
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("http://" + ln.Addr().String())
	if err := http.Serve(ln, mux); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
