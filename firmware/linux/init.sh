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
# Prints RPVP-INIT when init runs and RPVP-DONE status=<n> at the end, then powers off
# (PSCI SYSTEM_OFF: QEMU exits).
/bin/busybox --install -s
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "RPVP-INIT uptime=$(cut -d' ' -f1 /proc/uptime)"

mode=boot; args=""; hang=0
for a in $(cat /proc/cmdline); do
    case "$a" in
    rpvp.mode=*) mode=${a#rpvp.mode=} ;;
    rpvp.args=*) args=$(echo "${a#rpvp.args=}" | sed 's/,--/ --/g') ;;
    rpvp.hang=*) hang=${a#rpvp.hang=} ;;
    esac
done

load() {
    for m in "$@"; do
        modprobe "$m" || echo "RPVP-ERROR modprobe $m failed"
    done
}

status=0
case "$mode" in
boot)
    load virtio_mmio
    echo "RPVP-MODULES $(cut -d' ' -f1 /proc/modules | tr '\n' ' ')"
    ;;
echo|exhaust|run)
    # With virtio-mmio, virtio_rpmsg_bus runs its receive path - the name service, which
    # creates channel devices and probes their drivers - in the device's hard interrupt
    # (under remoteproc on silicon the same callbacks run from the mailbox driver's
    # workqueue). rpmsg_char's probe sleeps (devtmpfs), so it must not meet an
    # announcement there ("scheduling while atomic"). So: the transport first, wait until
    # the remote's echo channel exists, and only then load rpmsg_char, whose probe then
    # runs in modprobe's process context. (The remote announces its channels a little
    # after DRIVER_OK, once modprobe's bind is done: docs/platform.md.)
    load virtio_mmio virtio_rpmsg_bus
    n=0
    usleep 100000
    until ls /sys/bus/rpmsg/devices 2>/dev/null | grep -q 'rpmsg-raw'; do
        n=$((n + 1))
        [ "$n" -gt 50 ] && { echo "RPVP-ERROR no rpmsg-raw channel announced"; break; }
        usleep 100000
    done
    load rpmsg_char rpmsg_ctrl
    echo "RPVP-MODULES $(cut -d' ' -f1 /proc/modules | tr '\n' ' ')"
    if [ "$mode" = run ]; then
        echo "RPVP-RUN /rpvp/run"
        sh /rpvp/run; status=$?
    else
        # shellcheck disable=SC2086
        /bin/rpvp-linux-bench "$mode" $args; status=$?
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
