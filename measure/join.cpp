/* The measurement joiner (join.h). */
#include "join.h"

#include "rpvp/mbox_channels.h"

#include <algorithm>
#include <deque>
#include <numeric>
#include <tuple>

namespace rpvp::measure {

const char *stamp_name(unsigned s)
{
    static const char *const names[NUM_STAMPS] = {
        "app_send", "kick", "mbox_write", "m3_irq", "rx_filled", "remote_kick",
        "mbox_read", "irq_raise", "irq_ack", "repost", "app_recv", "tx_consumed"};
    return s < NUM_STAMPS ? names[s] : "?";
}

const std::vector<unsigned> &chain(const std::string &kind)
{
    static const std::vector<unsigned> rt = {APP_SEND, KICK, MBOX_WRITE, M3_IRQ,
                                             RX_FILLED, REMOTE_KICK, MBOX_READ, IRQ_RAISE,
                                             IRQ_ACK, REPOST, APP_RECV};
    static const std::vector<unsigned> tx = {APP_SEND, KICK, MBOX_WRITE, M3_IRQ, TX_CONSUMED};
    static const std::vector<unsigned> rx = {RX_FILLED, REMOTE_KICK, MBOX_READ, IRQ_RAISE,
                                             IRQ_ACK, REPOST, APP_RECV};
    return kind == "round_trip" ? rt : kind == "to_remote" ? tx : rx;
}

std::vector<std::pair<unsigned, unsigned>> Message::hops() const
{
    std::vector<std::pair<unsigned, unsigned>> h;
    int prev = -1;
    for (unsigned s : chain(kind)) {
        if (t[s] < 0)
            continue;
        if (prev >= 0)
            h.emplace_back(static_cast<unsigned>(prev), s);
        prev = static_cast<int>(s);
    }
    return h;
}

int64_t Message::first() const
{
    for (unsigned s : chain(kind))
        if (t[s] >= 0)
            return t[s];
    return -1;
}

int64_t Message::last() const
{
    int64_t l = -1;
    for (unsigned s : chain(kind))
        if (t[s] >= 0)
            l = t[s];
    return l;
}

namespace {

struct SeriesSet {
    std::map<std::string, Series> by_name;
    void add(const std::string &name, const char *unit, uint64_t t, int64_t v)
    {
        Series &s = by_name[name];
        if (s.name.empty()) {
            s.name = name;
            s.unit = unit;
        }
        if (!s.pts.empty() && s.pts.back().v == v)
            return; /* a step series: only changes */
        s.pts.push_back({t, v});
    }
};

/* The vring a host -> M3 kick FIFO stands for (rpvp/mbox_channels.h: the FIFO, never
 * the message, names it); -1 for the other channels. */
int kick_vring(uint32_t fifo)
{
    for (unsigned ch = 0; ch < RPVP_MBOX_NUM_VQ_CHANNELS; ch++)
        if (fifo == RPVP_MBOX_CH_TX_FIFO(ch))
            return static_cast<int>(ch);
    return -1;
}

/* A stamp is only taken while no later one of the chain is known: e.g. Linux may reap
 * and re-post a buffer in the interrupt handler of an earlier kick, before the
 * interrupt that this buffer's own kick raises (then that message has no irq stamps). */
bool later_known(const Message &m, unsigned stamp)
{
    const auto &c = chain("round_trip");
    auto it = std::find(c.begin(), c.end(), stamp);
    for (++it; it < c.end(); ++it)
        if (m.t[*it] >= 0)
            return true;
    return stamp == M3_IRQ && m.t[TX_CONSUMED] >= 0;
}

/* A message as first seen on a vring: its header and the stamp of that sighting. */
Message sighted(const char *kind, const rpvp_ev &e, unsigned stamp)
{
    Message m;
    m.kind = kind;
    m.src = e.src;
    m.dst = e.dst;
    m.size = e.len;
    (stamp == RX_FILLED ? m.rx_desc : m.tx_desc) = e.desc;
    m.t[stamp] = static_cast<int64_t>(e.t_ps);
    return m;
}

void set_all(std::vector<Message> &m, std::vector<size_t> &idx, unsigned stamp, uint64_t t)
{
    for (size_t i : idx)
        if (m[i].t[stamp] < 0 && !later_known(m[i], stamp))
            m[i].t[stamp] = static_cast<int64_t>(t);
}

} // namespace

Joined join(const rpvp_ev *ev, size_t n, const JoinOptions &o)
{
    Joined J;
    J.events = n;
    std::vector<size_t> ord(n);
    std::iota(ord.begin(), ord.end(), 0);
    /* At one instant, the avail entries a host kick revealed come first: they were posted
     * before the kick. (The observer reads them in reaction to the kick, so they are
     * emitted after it; on Linux's remoteproc route the kick IS the mailbox write, and
     * the message must be known when its write is joined.) */
    std::stable_sort(ord.begin(), ord.end(), [ev](size_t a, size_t b) {
        const bool av_a = ev[a].kind == RPVP_EV_AVAIL, av_b = ev[b].kind == RPVP_EV_AVAIL;
        return ev[a].t_ps < ev[b].t_ps || (ev[a].t_ps == ev[b].t_ps && av_a && !av_b);
    });
    if (n) {
        J.t_begin = ev[ord.front()].t_ps;
        J.t_end = ev[ord.back()].t_ps;
    }

    std::vector<Message> tx, rx;
    std::vector<size_t> wait_tx_kick, wait_m3_irq, wait_remote_kick, wait_raise, wait_ack;
    std::map<uint32_t, std::deque<std::vector<size_t>>> to_m3, to_host; /* per FIFO */
    std::map<int, size_t> tx_unconsumed, rx_unreposted;                  /* by desc */
    std::vector<rpvp_ev> sends, recvs;
    SeriesSet S;
    bool irq_high = false;
    int64_t exhausted_since = -1;

    for (size_t k : ord) {
        const rpvp_ev &e = ev[k];
        const uint64_t t = e.t_ps;
        switch (e.kind) {
        case RPVP_EV_AVAIL:
            if (e.q == o.tx_vring) {
                Message m = sighted("to_remote", e, KICK);
                tx_unconsumed[e.desc] = tx.size();
                wait_tx_kick.push_back(tx.size());
                tx.push_back(m);
            } else if (e.q == o.rx_vring) {
                auto it = rx_unreposted.find(e.desc);
                if (it != rx_unreposted.end()) {
                    rx[it->second].t[REPOST] = static_cast<int64_t>(t);
                    rx_unreposted.erase(it);
                }
            }
            break;
        case RPVP_EV_MBOX_WRITE:
            S.add("fifo" + std::to_string(e.fifo) + ".depth", "messages", t, e.len);
            J.counters["fifo" + std::to_string(e.fifo) + ".messages"]++;
            if (e.fifo % 2 == 0) {
                std::vector<size_t> group;
                if (kick_vring(e.fifo) == static_cast<int>(o.tx_vring)) {
                    set_all(tx, wait_tx_kick, MBOX_WRITE, t);
                    group.swap(wait_tx_kick);
                    wait_m3_irq.insert(wait_m3_irq.end(), group.begin(), group.end());
                }
                to_m3[e.fifo].push_back(group);
            } else {
                set_all(rx, wait_remote_kick, REMOTE_KICK, t);
                to_host[e.fifo].push_back({});
                to_host[e.fifo].back().swap(wait_remote_kick);
            }
            break;
        case RPVP_EV_MBOX_READ:
            S.add("fifo" + std::to_string(e.fifo) + ".depth", "messages", t, e.len);
            if (e.fifo % 2 == 0) {
                auto &q = to_m3[e.fifo];
                if (q.empty())
                    break;
                /* The M3 took the kick: an interrupt entry after this is another one. */
                for (size_t i : q.front())
                    wait_m3_irq.erase(std::remove(wait_m3_irq.begin(), wait_m3_irq.end(), i),
                                      wait_m3_irq.end());
                q.pop_front();
            } else {
                auto &q = to_host[e.fifo];
                if (q.empty())
                    break;
                set_all(rx, q.front(), MBOX_READ, t);
                auto &next = irq_high ? wait_ack : wait_raise;
                next.insert(next.end(), q.front().begin(), q.front().end());
                q.pop_front();
            }
            break;
        case RPVP_EV_MBOX_FULL:
            J.counters["fifo" + std::to_string(e.fifo) + ".full_discards"]++;
            break;
        case RPVP_EV_IRQ_ENTRY:
            if (e.value == o.m3_mbox_exception) {
                J.counters["m3.mbox_irq_entries"]++;
                set_all(tx, wait_m3_irq, M3_IRQ, t);
                wait_m3_irq.clear();
            }
            break;
        case RPVP_EV_USED:
            if (e.q == o.tx_vring) {
                auto it = tx_unconsumed.find(e.desc);
                if (it != tx_unconsumed.end()) {
                    tx[it->second].t[TX_CONSUMED] = static_cast<int64_t>(t);
                    tx_unconsumed.erase(it);
                }
            } else if (e.q == o.rx_vring) {
                Message m = sighted("to_host", e, RX_FILLED);
                rx_unreposted[e.desc] = rx.size();
                wait_remote_kick.push_back(rx.size());
                rx.push_back(m);
            }
            break;
        case RPVP_EV_IRQ_RAISE:
            irq_high = true;
            J.counters["linux.interrupts"]++;
            set_all(rx, wait_raise, IRQ_RAISE, t);
            wait_ack.insert(wait_ack.end(), wait_raise.begin(), wait_raise.end());
            wait_raise.clear();
            break;
        case RPVP_EV_IRQ_ACK:
            if (e.value & 1)
                irq_high = false;
            set_all(rx, wait_ack, IRQ_ACK, t);
            wait_ack.clear();
            break;
        case RPVP_EV_NOTIFY:
            J.counters["vq" + std::to_string(e.q) + ".notifies"]++;
            break;
        case RPVP_EV_KICK_DEFERRED:
            J.counters["kicks_deferred"]++;
            break;
        case RPVP_EV_KICK_COALESCED:
            J.counters["kicks_coalesced"]++;
            break;
        case RPVP_EV_VRING: {
            const int64_t in_flight = static_cast<uint16_t>(e.idx - e.desc);
            const std::string vq = "vq" + std::to_string(e.q);
            S.add(vq + ".in_flight", "buffers", t, in_flight);
            if (e.q == o.tx_vring) {
                const int64_t free_tx = static_cast<int64_t>(e.len) - in_flight;
                S.add("linux.free_tx", "buffers", t, free_tx);
                if (free_tx <= 0 && exhausted_since < 0) {
                    exhausted_since = static_cast<int64_t>(t);
                } else if (free_tx > 0 && exhausted_since >= 0) {
                    J.exhaustion.push_back({"tx_exhausted", static_cast<uint64_t>(exhausted_since), t});
                    exhausted_since = -1;
                }
            } else if (e.q == o.rx_vring) {
                S.add(vq + ".filled_not_reposted", "buffers", t,
                      static_cast<int64_t>(e.len) - in_flight);
            }
            break;
        }
        case RPVP_EV_APP_SEND:
            sends.push_back(e);
            break;
        case RPVP_EV_APP_RECV:
            recvs.push_back(e);
            break;
        case RPVP_EV_DROPPED:
            J.events_dropped = rpvp_ev_dropped_count(&e);
            J.dropped_from_ps = static_cast<int64_t>(t);
            J.events--;
            break;
        default:
            break;
        }
    }
    if (exhausted_since >= 0)
        J.exhaustion.push_back({"tx_exhausted", static_cast<uint64_t>(exhausted_since), J.t_end});

    /* A cut event stream: messages the join still waited on lack their later stamps. */
    const bool cut = J.events_dropped > 0;
    std::vector<bool> tx_open(tx.size(), false), rx_open(rx.size(), false);
    if (cut) {
        auto mark = [](std::vector<bool> &open, const std::vector<size_t> &ids) {
            for (size_t i : ids)
                open[i] = true;
        };
        mark(tx_open, wait_tx_kick);
        mark(tx_open, wait_m3_irq);
        for (auto &kv : to_m3)
            for (auto &g : kv.second)
                mark(tx_open, g);
        for (auto &kv : tx_unconsumed)
            tx_open[kv.second] = true;
        mark(rx_open, wait_remote_kick); /* (the interrupt stamps are the virtio-mmio
                                            route's only: a repost follows them) */
        for (auto &kv : to_host)
            for (auto &g : kv.second)
                mark(rx_open, g);
        for (auto &kv : rx_unreposted)
            rx_open[kv.second] = true;
    }

    /* Round trips: each host -> remote message with the first later remote -> host one
     * that answers it (addresses swapped, same length). */
    std::map<std::tuple<uint32_t, uint32_t, uint32_t>, std::deque<size_t>> rx_by_key;
    for (size_t i = 0; i < rx.size(); i++)
        rx_by_key[{rx[i].src, rx[i].dst, rx[i].size}].push_back(i);
    std::vector<int> pair_of(tx.size(), -1);
    std::vector<bool> rx_paired(rx.size(), false);
    for (size_t i = 0; i < tx.size(); i++) {
        auto it = rx_by_key.find({tx[i].dst, tx[i].src, tx[i].size});
        if (it == rx_by_key.end())
            continue;
        auto &q = it->second;
        while (!q.empty() && rx[q.front()].t[RX_FILLED] < tx[i].t[KICK])
            q.pop_front();
        if (q.empty())
            continue;
        pair_of[i] = static_cast<int>(q.front());
        rx_paired[q.front()] = true;
        q.pop_front();
    }
    /* The application's stamps: send k -> the next host -> remote message of that
     * length seen after it; its reply's read -> the reply of the same sequence number. */
    std::map<uint32_t, size_t> tx_of_seq;
    size_t p = 0;
    for (const rpvp_ev &s : sends) {
        while (p < tx.size() && (tx[p].size != s.len || tx[p].t[KICK] < static_cast<int64_t>(s.t_ps)))
            p++;
        if (p == tx.size())
            break;
        tx[p].t[APP_SEND] = static_cast<int64_t>(s.t_ps);
        tx_of_seq[s.value] = p++;
    }
    for (const rpvp_ev &r : recvs) {
        auto it = tx_of_seq.find(r.value);
        if (it != tx_of_seq.end() && pair_of[it->second] >= 0)
            rx[static_cast<size_t>(pair_of[it->second])].t[APP_RECV] = static_cast<int64_t>(r.t_ps);
    }

    for (size_t i = 0; i < tx.size(); i++) {
        /* Cut: also a message whose kind is answered (an echo) but whose answer is missing. */
        if (cut && (tx_open[i] || (pair_of[i] >= 0 && rx_open[static_cast<size_t>(pair_of[i])]) ||
                    (pair_of[i] < 0 && rx_by_key.count({tx[i].dst, tx[i].src, tx[i].size})))) {
            J.messages_cut++;
            continue;
        }
        Message m = tx[i];
        if (pair_of[i] >= 0) {
            const Message &r = rx[static_cast<size_t>(pair_of[i])];
            m.kind = "round_trip";
            m.rx_desc = r.rx_desc;
            for (unsigned s : {RX_FILLED, REMOTE_KICK, MBOX_READ, IRQ_RAISE, IRQ_ACK, REPOST,
                               APP_RECV})
                m.t[s] = r.t[s];
        }
        J.messages.push_back(m);
    }
    for (size_t i = 0; i < rx.size(); i++) {
        if (rx_paired[i])
            continue;
        if (cut && rx_open[i])
            J.messages_cut++;
        else
            J.messages.push_back(rx[i]);
    }
    std::stable_sort(J.messages.begin(), J.messages.end(),
                     [](const Message &a, const Message &b) { return a.first() < b.first(); });
    for (size_t i = 0; i < J.messages.size(); i++)
        J.messages[i].id = i;
    /* Pipelined: a round trip whose life overlaps another's (queueing is in its hops). */
    int64_t reach = -1;
    Message *prev = nullptr;
    for (Message &m : J.messages) {
        if (m.kind != "round_trip")
            continue;
        if (m.first() < reach) {
            m.pipelined = true;
            if (prev)
                prev->pipelined = true;
        }
        if (m.last() >= reach) {
            reach = m.last();
            prev = &m;
        }
    }

    for (auto &kv : S.by_name) {
        int64_t hw = 0;
        for (const Point &pt : kv.second.pts)
            hw = std::max(hw, pt.v);
        J.high_water[kv.first] = hw;
        J.series.push_back(std::move(kv.second));
    }
    J.counters["tx_exhaustion_events"] = J.exhaustion.size();
    return J;
}

} // namespace rpvp::measure
