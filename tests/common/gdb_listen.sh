# Sourced by the gdb tests. start_listening LOG LAUNCH: run the shell function LAUNCH in
# the background (it must exec a program that listens for gdb on TCP port $port and
# writes its messages to LOG) until LOG says "waiting for gdb". A listener that ends
# without saying it (its port was taken) is retried on another port, five ports in all.
# The wait is for that line or the process's end, not a time: on a loaded host the
# listener may take long to start (the 300 s bound only turns a hang into a failure).
# Sets $port and $listener (the background job); returns 1 if no port worked.
. "$(dirname "$0")/../common/wait.sh"
start_listening() {
    for try in 1 2 3 4 5; do
        port=$((20000 + ($$ * 7 + try * 131) % 20000))
        "$2" &
        listener=$!
        wait_until 300 "$listener" grep -q "waiting for gdb" "$1" && return 0
        kill "$listener" 2>/dev/null; wait "$listener" 2>/dev/null
    done
    return 1
}
