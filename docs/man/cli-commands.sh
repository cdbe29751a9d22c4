#!/bin/sh
# Writes a help2man include holding a COMMANDS section: one subsection per boxmark-cli command,
# made from that command's own --help, so the manual lists exactly the commands and options the
# built program has (a command added to the table shows up by itself).
# Usage: cli-commands.sh BOXMARK-CLI > commands.h2m
set -eu
cli=$1

commands=$("$cli" --help | sed -n '/^Commands:/,/^$/p' | awk 'NF && $1 != "Commands:" { print $1 }')
[ -n "$commands" ] || { echo "cli-commands.sh: no commands in $cli --help" >&2; exit 1; }

printf '%s\n' '[COMMANDS]' 'Each command also answers \fB\-\-help\fR with the text below.'
for command in $commands; do
  "$cli" "$command" --help | awk -v command="$command" '
    # troff: a backslash is \e, a minus \-, and a line may not start with . or an apostrophe.
    function esc(s) {
      gsub(/\\/, "\\e", s)
      gsub(/-/, "\\-", s)
      sub(/^[.\047]/, "\\\\\\&&", s)
      return s
    }
    # "-j, --threads=N": each name bold, each argument in italics.
    function option(s,    spec, text, parts, n, i, eq, out) {
      sub(/^ +/, "", s)
      if (match(s, /  +/)) { spec = substr(s, 1, RSTART - 1); text = substr(s, RSTART + RLENGTH) }
      else { spec = s; text = "" }
      n = split(spec, parts, /, /)
      out = ""
      for (i = 1; i <= n; i++) {
        eq = index(parts[i], "=")
        if (eq) out = out "\\fB" esc(substr(parts[i], 1, eq - 1)) "\\fR=\\fI" esc(substr(parts[i], eq + 1)) "\\fR"
        else out = out "\\fB" esc(parts[i]) "\\fR"
        if (i < n) out = out ", "
      }
      print ".TP"
      print out
      if (text != "") print esc(text)
    }
    function flush_pre() { if (pre) { print ".fi"; pre = 0 } }
    state == 0 && /^Usage:/ { state = 1; next }
    state == 1 && NF { sub(/^ +/, ""); print ".SS \"" esc($0) "\""; state = 2; next }
    state == 2 && /^[A-Z][A-Za-z ]* Options:$/ { state = 3 }
    state == 3 && /^[A-Z][A-Za-z ]* Options:$/ { flush_pre(); skip = ($0 == "Help Options:"); next }
    state == 3 && /^ +-/ { if (!skip) option($0); next }
    state == 3 && NF { if (!skip) { sub(/^ +/, ""); print esc($0) } next }
    state == 2 && !NF { flush_pre(); print ".PP"; next }
    state == 2 && /^ / { if (!pre) { print ".nf"; pre = 1 } print esc($0); next }
    state == 2 { flush_pre(); print esc($0); next }
    END { flush_pre() }
  '
done
