package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestUnknownSubcommandOfEveryGroup runs "GROUP frobnicate" for every command that has subcommands: each is bad
// usage (exit 2, one line on stderr, nothing on stdout), where cobra would print the group's help and exit 0.
// Plain "GROUP" still prints its help and exits 0.
func TestUnknownSubcommandOfEveryGroup(t *testing.T) {
	var groups [][]string
	var walk func(path []string, cmd *cobra.Command)
	walk = func(path []string, cmd *cobra.Command) {
		if cmd.HasSubCommands() {
			groups = append(groups, path)
		}
		for _, sub := range cmd.Commands() {
			walk(append(path[:len(path):len(path)], sub.Name()), sub)
		}
	}
	walk(nil, (&cli{}).rootCommand())
	if len(groups) < 5 { // the root, resource, query, import, export
		t.Fatalf("found only the groups %v", groups)
	}
	ws := t.TempDir()
	for _, path := range groups {
		t.Run(strings.Join(append([]string{"apidesk-cli"}, path...), " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"--workspace", ws}, path...)
			code := run(context.Background(), append(args, "frobnicate", "x"), strings.NewReader(""), &stdout, &stderr)
			want := `apidesk-cli: unknown command "frobnicate" for "` + strings.Join(append([]string{"apidesk-cli"}, path...), " ") + `"`
			if code != exitUsage || stdout.Len() != 0 || !strings.HasPrefix(stderr.String(), want+"\n") {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s\nwant exit 2 and stderr starting %q", code, &stdout, &stderr, want)
			}

			stdout.Reset()
			stderr.Reset()
			if code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr); code != exitOK ||
				!strings.Contains(stdout.String(), "Available Commands:") || stderr.Len() != 0 {
				t.Fatalf("bare group: exit %d\nstdout: %s\nstderr: %s\nwant its help and exit 0", code, &stdout, &stderr)
			}
		})
	}
}
