/*
 * rpvp::SharedDdr — TLM-2.0 target around the shared DDR (include/rpvp/ddr.h).
 *
 * Interface: tsock (local offsets 0..size-1). Grants DMI for read and write over the
 * whole array with the first-beat latencies; byte enables are honoured; streaming width
 * must equal the data length. Errors: out-of-range -> TLM_ADDRESS_ERROR_RESPONSE.
 * Construction fails with std::runtime_error carrying the reason (name taken, size does
 * not fit, directory missing).
 */
#ifndef RPVP_DDR_TLM_H
#define RPVP_DDR_TLM_H

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <string>

#include "rpvp/ddr.h"

namespace rpvp {

class SharedDdr : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<SharedDdr> tsock;

    /* name: file name under dir (default /dev/shm). */
    SharedDdr(sc_core::sc_module_name name, const std::string &file_name, uint64_t size,
              const rpvp_ddr_timing &timing = RPVP_DDR_TIMING_DEFAULT,
              const char *dir = nullptr);
    /* Attach to an existing file (created by someone else, e.g. the rpvp command before
     * it starts QEMU, which maps the same file): its size must be `size`. */
    struct Attach {};
    SharedDdr(sc_core::sc_module_name name, Attach, const std::string &path, uint64_t size,
              const rpvp_ddr_timing &timing = RPVP_DDR_TIMING_DEFAULT);
    ~SharedDdr() override;

    uint8_t *data() const { return rpvp_ddr_data(ddr_); }
    uint64_t size() const { return rpvp_ddr_size(ddr_); }
    const char *path() const { return rpvp_ddr_path(ddr_); }
    const rpvp_ddr_timing &timing() const { return timing_; }
    /* Withdraw every DMI grant (e.g. before the backing store changes). */
    void invalidate_dmi();

private:
    void b_transport(tlm::tlm_generic_payload &tx, sc_core::sc_time &delay);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload &tx, tlm::tlm_dmi &dmi);
    unsigned int transport_dbg(tlm::tlm_generic_payload &tx);

    rpvp_ddr *ddr_;
    rpvp_ddr_timing timing_;
};

} // namespace rpvp
#endif
