# Sourced by the shell tests: the one way they wait. Never a fixed sleep: a test waits
# for a condition, and its bound only turns a hang into a failure (the suite must pass on
# a loaded 2-core host, so bounds are generous).
#
# wait_until SECONDS PID COMMAND...: run COMMAND (quietly) every 0.1 s until it succeeds
# (returns 0). If PID is not empty and that process ends first, COMMAND gets one last try
# and its status is returned: a child that died will never make it true. Returns 1 when
# SECONDS have passed.
wait_until() {
    _wu_n=$(($1 * 10)) _wu_pid=$2
    shift 2
    while [ "$_wu_n" -gt 0 ]; do
        "$@" >/dev/null 2>&1 && return 0
        if [ -n "$_wu_pid" ] && ! kill -0 "$_wu_pid" 2>/dev/null; then
            "$@" >/dev/null 2>&1
            return $?
        fi
        sleep 0.1
        _wu_n=$((_wu_n - 1))
    done
    return 1
}
