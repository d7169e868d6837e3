#!/bin/busybox sh
# rpvp guest /init (initramfs; Debian's busybox-static + rpvp-linux-bench).
# Kernel command line parameters:
#   rpvp.mode=boot|echo|exhaust|mmio|run  what to run (default boot: reach init, probe,
#                              power off; echo, exhaust: rpvp-linux-bench <mode>;
#                              run: the transport as for echo, then `sh /rpvp/run`, the
#                              user's --guest-run command from the run's own archive)
#   rpvp.args=--a=1,--b=2,3    arguments for rpvp-linux-bench: its --options joined by
#                              commas (a comma before "--" separates, others stay:
#                              "--count=9,--sizes=16,496" -> --count=9 --sizes=16,496)
#   rpvp.hang=1                never finish (for the launcher's hang test)
#   rpvp.route=remoteproc      echo/exhaust/run over Linux's own remoteproc (stm32_rproc,
#                              omap-mailbox) instead of the virtio-mmio device
#   rpvp.remotes=N             several remotes (echo, interfere; both routes): bring up N
#                              transports (remoteproc: start every remoteprocK), wait for
#                              N rpmsg-raw channels, then run one benchmark process per
#                              remote at once, each line tagged "remote=<r>"
#   rpvp.mode=interfere        (N >= 2) remote 0's echo latency alone ("phase=alone"),
#                              then again while remote 1 streams ("phase=loaded")
#   rpvp.restarts=N            remoteproc: after the benchmark, stop the remote, check
#                              that it is offline and its channels are gone, start it
#                              again and repeat the benchmark, N times
#   rpvp.detach=1              remoteproc, attached remote: each restart detaches
#                              (`echo detach`: channels gone, the remote keeps running)
#                              and re-attaches (`echo start`) instead of stop and boot
# Prints RPVP-INIT when init runs and RPVP-DONE status=<n> at the end, then powers off
# (PSCI SYSTEM_OFF: QEMU exits).
/bin/busybox --install -s
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "RPVP-INIT uptime=$(cut -d' ' -f1 /proc/uptime)"

mode=boot; args=""; hang=0; route=virtio-mmio; restarts=0; remotes=1; detach=0
for a in $(cat /proc/cmdline); do
    case "$a" in
    rpvp.mode=*) mode=${a#rpvp.mode=} ;;
    rpvp.args=*) args=$(echo "${a#rpvp.args=}" | sed 's/,--/ --/g') ;;
    rpvp.hang=*) hang=${a#rpvp.hang=} ;;
    rpvp.route=*) route=${a#rpvp.route=} ;;
    rpvp.remotes=*) remotes=${a#rpvp.remotes=} ;;
    rpvp.restarts=*) restarts=${a#rpvp.restarts=} ;;
    rpvp.detach=*) detach=${a#rpvp.detach=} ;;
    esac
done

load() {
    for m in "$@"; do
        modprobe "$m" || echo "RPVP-ERROR modprobe $m failed"
    done
}

# The benchmark (or the user's command) once the transport is up.
bench() {
    if [ "$mode" = run ]; then
        echo "RPVP-RUN /rpvp/run"
        sh /rpvp/run; status=$?
    else
        # shellcheck disable=SC2086
        /bin/rpvp-linux-bench "$mode" $args; status=$?
    fi
}

# The remoteproc route: Linux's own remoteproc (stm32_rproc) loads the firmware from
# /lib/firmware, starts and stops it through rpvp's mailbox, syscon and reset models.
# Received messages - the name service included - are handled in the mailbox driver's
# workqueue (process context), so every rpmsg driver is loaded BEFORE the remote starts,
# as a distribution's udev would.
remoteproc() {
    load virtio_rpmsg_bus rpmsg_char rpmsg_ctrl stm32_rproc
    echo "RPVP-MODULES $(cut -d' ' -f1 /proc/modules | tr '\n' ' ')"
    r=/sys/class/remoteproc/remoteproc0
    mbox=$(ls /sys/bus/platform/drivers/omap-mailbox 2>/dev/null | grep mailbox)
    if [ -d "$r" ] && [ -n "$mbox" ]; then
        echo "RPVP-RPROC probed name=$(cat $r/name) state=$(cat $r/state)" \
             "firmware=$(cat $r/firmware) omap-mailbox=$mbox"
    else
        echo "RPVP-ERROR probe: remoteproc0=$([ -d "$r" ] && echo yes || echo no)" \
             "omap-mailbox=${mbox:-none}"
        status=1
        return
    fi
    i=0
    while :; do
        before=$(cat $r/state)
        # offline: load /lib/firmware/<firmware> and boot; detached: attach to the
        # remote rpvp started before Linux booted.
        echo start >$r/state || echo "RPVP-ERROR echo start failed (state $before)"
        echo "RPVP-RPROC start from=$before state=$(cat $r/state)"
        bench
        [ "$status" = 0 ] && [ "$i" -lt "$restarts" ] || break
        i=$((i + 1))
        # An attached remote may be left running (detach) and attached to again.
        how=stop
        [ "$detach" = 1 ] && [ "$(cat $r/state)" = attached ] && how=detach
        echo $how >$r/state || echo "RPVP-ERROR echo $how failed"
        n=$(ls /sys/bus/rpmsg/devices 2>/dev/null | wc -l)
        echo "RPVP-RPROC $how state=$(cat $r/state) channels=$n" \
             "rpmsg0=$([ -e /dev/rpmsg0 ] && echo present || echo gone)"
    done
}

# The rpmsg-raw channels as "<device> <rpmsg char dev> <channel>", in remote order: sorted
# by their sysfs path, which names the remote's virtio-mmio device (by bridge slot:
# b000000.virtio_mmio, b004000.virtio_mmio) or its remoteproc node (m3-bus, m3_1-bus).
# <device>: the remoteprocK, or the virtio-mmio platform device.
raw_channels() {
    for ch in /sys/bus/rpmsg/devices/*.rpmsg-raw.*; do
        [ -e "$ch" ] || continue
        real=$(readlink -f "$ch")
        dev=$(echo "$real" | sed -n 's,.*/\(remoteproc[0-9]*\)/.*,\1,p')
        [ -n "$dev" ] || dev=$(basename "$(dirname "$(dirname "$real")")")
        echo "$real $dev $(ls "$ch/rpmsg" 2>/dev/null) $(basename "$ch")"
    done | sort | cut -d' ' -f2-
}

# Several remotes on the remoteproc route: start every remote Linux probed (each loads its
# own /lib/firmware/rproc-<node>-fw, or attaches), then wait for $1 rpmsg-raw channels
# with their character devices.
start_remotes() {
    load virtio_rpmsg_bus rpmsg_char rpmsg_ctrl stm32_rproc
    echo "RPVP-MODULES $(cut -d' ' -f1 /proc/modules | tr '\n' ' ')"
    k=0
    for r in /sys/class/remoteproc/remoteproc*; do
        [ -d "$r" ] || continue
        before=$(cat "$r/state")
        echo start >"$r/state" || echo "RPVP-ERROR $(basename "$r"): echo start failed"
        echo "RPVP-RPROC start remoteproc=$(basename "$r") name=$(cat "$r/name")" \
             "from=$before state=$(cat "$r/state")"
        k=$((k + 1))
    done
    [ "$k" -ge "$1" ] || echo "RPVP-ERROR $k remote processors probed, $1 expected"
    n=0
    until [ "$(raw_channels | grep -c ' rpmsg[0-9]')" -ge "$1" ]; do
        n=$((n + 1))
        [ "$n" -gt 100 ] && { echo "RPVP-ERROR $1 rpmsg-raw channels not announced"; break; }
        usleep 50000
    done
}

# With virtio-mmio, virtio_rpmsg_bus runs its receive path - the name service, which
# creates channel devices and probes their drivers - in the device's hard interrupt
# (under remoteproc on silicon the same callbacks run from the mailbox driver's
# workqueue). rpmsg_char's probe sleeps (devtmpfs), so it must not meet an
# announcement there ("scheduling while atomic"). So: the transport first, wait until
# the remotes' $1 echo channels exist, and only then load rpmsg_char, whose probe then
# runs in modprobe's process context. (The remote announces its channels a little
# after DRIVER_OK, once modprobe's bind is done: docs/platform.md.)
load_transport() {
    load virtio_mmio virtio_rpmsg_bus
    n=0
    usleep 100000
    until [ "$(ls /sys/bus/rpmsg/devices 2>/dev/null | grep -c 'rpmsg-raw')" -ge "$1" ]; do
        n=$((n + 1))
        [ "$n" -gt 50 ] && { echo "RPVP-ERROR $1 rpmsg-raw channels not announced"; break; }
        usleep 100000
    done
    load rpmsg_char rpmsg_ctrl
    echo "RPVP-MODULES $(cut -d' ' -f1 /proc/modules | tr '\n' ' ')"
}

# Remote $1's benchmark: rpvp-linux-bench on its channel, each line tagged with the remote
# (and $3, a phase) by the program itself, straight to the console (a pipe through sed
# ran the console's work inside the next measured phase); its exit status in
# /tmp/rpvp-status-$1$3.
bench_remote() {
    # shellcheck disable=SC2086
    /bin/rpvp-linux-bench echo --dev="$2" --tag="remote=$1${3:+ phase=$3}" $args
    echo $? >"/tmp/rpvp-status-$1$3"
}

# rpmsg char device of remote $1 (0-based), e.g. /dev/rpmsg1.
remote_dev() {
    echo "/dev/$(raw_channels | sed -n "$(($1 + 1))p" | cut -d' ' -f2)"
}

status=0
# Several remotes: every remote's benchmark at once (echo-all).
[ "$mode" = echo ] && [ "$remotes" -gt 1 ] && mode=echo-all
case "$mode" in
boot)
    load virtio_mmio
    echo "RPVP-MODULES $(cut -d' ' -f1 /proc/modules | tr '\n' ' ')"
    ;;
echo|exhaust|run)
    if [ "$route" = remoteproc ]; then
        remoteproc
    else
        load_transport 1
        bench
    fi
    ;;
echo-all|interfere)
    # Several remotes: one channel each.
    if [ "$route" = remoteproc ]; then
        start_remotes "$remotes"
    else
        load_transport "$remotes"
    fi
    r=0
    raw_channels | while read -r plat dev ch; do
        echo "RPVP-REMOTE remote=$r device=$plat dev=/dev/$dev channel=$ch"
        r=$((r + 1))
    done
    if [ "$mode" = echo-all ]; then
        r=0; pids=""
        while [ "$r" -lt "$remotes" ]; do
            bench_remote "$r" "$(remote_dev "$r")" &
            pids="$pids $!"
            r=$((r + 1))
        done
        # shellcheck disable=SC2086
        wait $pids
        r=0
        while [ "$r" -lt "$remotes" ]; do
            [ "$(cat "/tmp/rpvp-status-$r" 2>/dev/null)" = 0 ] || status=1
            r=$((r + 1))
        done
    else
        # Remote 0's latency alone, then while remote 1 streams full-size messages with
        # a full window, 20,000 of them (about 0.6 s: longer than the loaded phase; stopped
        # afterwards).
        bench_remote 0 "$(remote_dev 0)" alone
        /bin/rpvp-linux-bench echo --dev="$(remote_dev 1)" --count=1 --sizes=496 \
            --stream=20000 >/dev/null &
        load_pid=$!
        usleep 20000
        bench_remote 0 "$(remote_dev 0)" loaded
        kill "$load_pid"
        for p in alone loaded; do
            [ "$(cat "/tmp/rpvp-status-0$p" 2>/dev/null)" = 0 ] || status=1
        done
    fi
    ;;
mmio)
    # shellcheck disable=SC2086
    /bin/rpvp-linux-bench mmio $args; status=$?
    ;;
*)
    echo "RPVP-ERROR unknown rpvp.mode=$mode"; status=2
    ;;
esac
if [ "$hang" = 1 ]; then
    echo "RPVP-HANG on purpose"
    while :; do sleep 3600; done
fi
echo "RPVP-DONE status=$status uptime=$(cut -d' ' -f1 /proc/uptime)"
poweroff -f
