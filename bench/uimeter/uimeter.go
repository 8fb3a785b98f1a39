// Package uimeter measures how long a Fyne window's UI goroutine keeps a person waiting: it posts a fyne.Do
// every 5 ms and records the longest wait for one to run. The window benchmarks (bench/bigbody, bench/listrun)
// use it.
package uimeter

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// Meter records the longest stall of the UI goroutine between Start and the stop it returns.
type Meter struct {
	mu       sync.Mutex
	max      time.Duration
	phaseMax time.Duration // since the last Phase call
}

// Phase returns the longest stall since the last call (or Start).
func (m *Meter) Phase() time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	d := m.phaseMax
	m.phaseMax = 0
	return d
}

// Start starts measuring; stop ends it and returns the longest stall.
func (m *Meter) Start() (stop func() time.Duration) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case sent := <-t.C:
				fyne.Do(func() {
					d := time.Since(sent)
					m.mu.Lock()
					m.max = max(m.max, d)
					m.phaseMax = max(m.phaseMax, d)
					m.mu.Unlock()
				})
			}
		}
	}()
	return func() time.Duration {
		close(done)
		wg.Wait()
		m.mu.Lock()
		defer m.mu.Unlock()
		return m.max
	}
}
