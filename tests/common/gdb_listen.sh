# Sourced by the gdb tests. start_listening LOG LAUNCH: run the shell function LAUNCH in
# the background (it must exec a program that listens for gdb on TCP port $port and
# writes its messages to LOG) until LOG says "waiting for gdb"; tries five ports, waits
# up to 10 s for each. Sets $port and $listener (the background job); returns 1 if no
# port worked.
start_listening() {
    for try in 1 2 3 4 5; do
        port=$((20000 + ($$ * 7 + try * 131) % 20000))
        "$2" &
        listener=$!
        for _ in $(seq 1 50); do
            grep -q "waiting for gdb" "$1" 2>/dev/null && return 0
            kill -0 "$listener" 2>/dev/null || break
            sleep 0.2
        done
        kill "$listener" 2>/dev/null; wait "$listener" 2>/dev/null
    done
    return 1
}
