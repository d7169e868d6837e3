/*
 * rpvp measurement joiner: events (rpvp/measure.h) -> per-message hop records,
 * occupancy series and exhaustion intervals. The writers (report.h) read only this.
 * C++17, no SystemC. Times are simulated picoseconds.
 */
#ifndef RPVP_MEASURE_JOIN_H
#define RPVP_MEASURE_JOIN_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "rpvp/measure.h"

namespace rpvp::measure {

/* The instants a message passes, in the order a round trip passes them. */
enum Stamp : unsigned {
    APP_SEND,    /* the application called write() (rpvp's bench only) */
    KICK,        /* the platform first saw the buffer: QueueNotify, or the host's mailbox write */
    MBOX_WRITE,  /* the kick's message entered the host -> M3 mailbox FIFO */
    M3_IRQ,      /* the M3 entered its mailbox interrupt handler */
    RX_FILLED,   /* the firmware wrote the used entry of the filled RX buffer (vq0) */
    REMOTE_KICK, /* the M3's message entered the M3 -> host FIFO */
    MBOX_READ,   /* the host side popped it */
    IRQ_RAISE,   /* the device raised Linux's interrupt */
    IRQ_ACK,     /* Linux acknowledged it (InterruptACK) */
    REPOST,      /* Linux put the RX buffer back on vq0 (seen at its next kick) */
    APP_RECV,    /* read() returned the reply (rpvp's bench only) */
    TX_CONSUMED, /* the firmware returned the TX buffer (vq1 used entry); not in the chain */
    NUM_STAMPS
};
const char *stamp_name(unsigned s);
/* Chain of a round trip / host->remote / remote->host message (stamps in order). */
const std::vector<unsigned> &chain(const std::string &kind);

struct Message {
    uint64_t id = 0;
    std::string kind;            /* "round_trip", "to_remote", "to_host" */
    uint32_t src = 0, dst = 0;   /* of the first leg */
    uint32_t size = 0;           /* payload bytes */
    int tx_desc = -1, rx_desc = -1;
    bool pipelined = false;      /* its life overlapped another round trip's */
    int64_t t[NUM_STAMPS];       /* ps, -1 = not observed */
    Message() { for (auto &x : t) x = -1; }
    /* Consecutive present stamps of the chain: (from, to) pairs. */
    std::vector<std::pair<unsigned, unsigned>> hops() const;
    int64_t first() const; /* first present chain stamp */
    int64_t last() const;  /* last present chain stamp */
    /* "round_trip", "round_trip_pipelined", "to_remote" or "to_host": how reports group. */
    std::string group() const { return pipelined ? kind + "_pipelined" : kind; }
};

struct Point {
    uint64_t t;
    int64_t v;
};
struct Series {
    std::string name;  /* "vq1.in_flight", "vq1.free_tx", "fifo0.depth", ... */
    std::string unit;  /* "buffers", "messages" */
    std::vector<Point> pts;
};
struct Interval {
    std::string what;  /* "tx_exhausted" */
    uint64_t start, end;
};

/* What a guest-side scenario reported besides per-message stamps (exhaustion run). */
struct GuestFigures {
    std::map<std::string, std::string> kv;
};

struct Joined {
    std::vector<Message> messages;
    std::vector<Series> series;
    std::vector<Interval> exhaustion;
    std::map<std::string, uint64_t> counters;   /* kicks_deferred, fifo1.full, ... */
    std::map<std::string, int64_t> high_water;  /* vq1.in_flight, fifo0.depth, ... */
    uint64_t t_begin = 0, t_end = 0;            /* first / last event */
    uint64_t events = 0;
    /* The event store was full (rpvp_ev_sink_set_limit): events_dropped events from
     * dropped_from_ps on were counted, not stored; messages still in flight then are
     * left out (their later stamps are missing), the rest are exact. */
    uint64_t events_dropped = 0;
    int64_t dropped_from_ps = -1;
    uint64_t messages_cut = 0;                  /* messages left out for that reason */
};

struct JoinOptions {
    unsigned m3_mbox_exception = 16 + 34;  /* the M3's mailbox IRQ as an exception number */
    unsigned tx_vring = 1, rx_vring = 0;  /* Linux rpmsg: vq1 host->remote, vq0 back */
};

/* Events in any order (sorted here, stably by time). */
Joined join(const rpvp_ev *ev, size_t n, const JoinOptions &o = JoinOptions());

} // namespace rpvp::measure
#endif
