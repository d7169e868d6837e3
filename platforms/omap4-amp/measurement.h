/*
 * rpvp::Measurement — the platform's measurement wiring: one event sink
 * (rpvp/measure.h) that the mailbox, the virtio-rpmsg device and the Cortex-M3 shell
 * emit into, and the vring observer (rpvp/vring_observer.h) that reads the vrings
 * through the firmware's resource table, watches the used.idx of each vring on the M3,
 * and reacts to host kicks (QueueNotify, mailbox writes into host -> M3 FIFOs).
 * One per remote (several remotes: each its own events, joined and reported apart).
 * Observation only: reads are debug reads of the DDR file, no bus time, so simulated
 * results are the same with measurement on or off.
 */
#ifndef RPVP_MEASUREMENT_H
#define RPVP_MEASUREMENT_H

#include <string>

#include "cm3_tlm.h"
#include "omap4_amp.h"
#include "rpvp/measure.h"
#include "rpvp/vring_observer.h"

namespace rpvp {

class Measurement {
public:
    /* Remote r's measurement (its own sink, mailbox instance, device and M3): m3 is
     * remote r's core, rsc_da/rsc_size its firmware's resource table in its addresses. */
    Measurement(Omap4Amp &soc, Cm3Cpu &m3, uint32_t rsc_da, uint32_t rsc_size,
                unsigned remote = 0, uint64_t max_events = RPVP_EV_DEFAULT_LIMIT);
    ~Measurement();
    Measurement(const Measurement &) = delete;
    Measurement &operator=(const Measurement &) = delete;

    rpvp_ev_sink *sink() const { return sink_; }
    /* Write the events to `path` (rpvp_ev_save); false with the reason in *why. */
    bool save(const std::string &path, std::string *why) const;

private:
    static int read(void *ctx, uint32_t da, void *buf, uint32_t len);
    static void arm(void *ctx, unsigned slot, uint32_t da, uint32_t len);
    static void on_used(void *ctx, unsigned slot, uint64_t t_ps);
    static void tap(void *ctx, const rpvp_ev *e);

    Omap4Amp &soc_;
    Cm3Cpu &m3_;
    unsigned remote_;
    rpvp_ev_sink *sink_;
    rpvp_vring_obs *obs_ = nullptr;
    uint32_t to_remote_fifos_;
};

} // namespace rpvp
#endif
