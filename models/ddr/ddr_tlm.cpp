/* rpvp::SharedDdr: memory target with DMI, byte enables and the latency table. */
#include "ddr_tlm.h"

#include <cstring>
#include <stdexcept>

#include "sc_time_ps.h"

using namespace sc_core;

namespace rpvp {

SharedDdr::SharedDdr(sc_module_name name, const std::string &file_name, uint64_t size,
                     const rpvp_ddr_timing &timing, const char *dir)
    : sc_module(name), tsock("tsock"), ddr_(nullptr), timing_(timing)
{
    char err[512];
    ddr_ = rpvp_ddr_create(dir, file_name.c_str(), size, err, sizeof(err));
    if (!ddr_)
        throw std::runtime_error(std::string(this->name()) + ": " + err);
    tsock.register_b_transport(this, &SharedDdr::b_transport);
    tsock.register_get_direct_mem_ptr(this, &SharedDdr::get_direct_mem_ptr);
    tsock.register_transport_dbg(this, &SharedDdr::transport_dbg);
}

SharedDdr::SharedDdr(sc_module_name name, Attach, const std::string &path, uint64_t size,
                     const rpvp_ddr_timing &timing)
    : sc_module(name), tsock("tsock"), ddr_(nullptr), timing_(timing)
{
    char err[512];
    ddr_ = rpvp_ddr_open(path.c_str(), err, sizeof(err));
    if (!ddr_)
        throw std::runtime_error(std::string(this->name()) + ": " + err);
    if (rpvp_ddr_size(ddr_) != size) {
        std::string why = std::string(this->name()) + ": " + path + " holds " +
                          std::to_string(rpvp_ddr_size(ddr_)) + " bytes, the platform needs " +
                          std::to_string(size);
        rpvp_ddr_destroy(ddr_);
        throw std::runtime_error(why);
    }
    tsock.register_b_transport(this, &SharedDdr::b_transport);
    tsock.register_get_direct_mem_ptr(this, &SharedDdr::get_direct_mem_ptr);
    tsock.register_transport_dbg(this, &SharedDdr::transport_dbg);
}

SharedDdr::~SharedDdr() { rpvp_ddr_destroy(ddr_); }

void SharedDdr::invalidate_dmi() { tsock->invalidate_direct_mem_ptr(0, size() - 1); }

void SharedDdr::b_transport(tlm::tlm_generic_payload &tx, sc_time &delay)
{
    const uint64_t addr = tx.get_address();
    const unsigned len = tx.get_data_length();
    if (addr >= size() || len > size() - addr) {
        tx.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    if (tx.get_streaming_width() != len) {
        tx.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return;
    }
    uint8_t *mem = data() + addr;
    uint8_t *buf = tx.get_data_ptr();
    const uint8_t *be = tx.get_byte_enable_ptr();
    const unsigned be_len = tx.get_byte_enable_length();
    if (be && be_len == 0) {
        tx.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        return;
    }
    if (tx.is_read()) {
        if (!be)
            std::memcpy(buf, mem, len);
        else
            for (unsigned i = 0; i < len; i++)
                if (be[i % be_len] == TLM_BYTE_ENABLED)
                    buf[i] = mem[i];
    } else if (tx.is_write()) {
        if (!be)
            std::memcpy(mem, buf, len);
        else
            for (unsigned i = 0; i < len; i++)
                if (be[i % be_len] == TLM_BYTE_ENABLED)
                    mem[i] = buf[i];
    }
    if (tx.get_command() != tlm::TLM_IGNORE_COMMAND)
        delay += ps_time(rpvp_ddr_access_ps(&timing_, tx.is_write(), len));
    tx.set_dmi_allowed(true);
    tx.set_response_status(tlm::TLM_OK_RESPONSE);
}

bool SharedDdr::get_direct_mem_ptr(tlm::tlm_generic_payload &tx, tlm::tlm_dmi &dmi)
{
    dmi.set_dmi_ptr(data());
    dmi.set_start_address(0);
    dmi.set_end_address(size() - 1);
    dmi.allow_read_write();
    dmi.set_read_latency(ps_time(timing_.read_latency_ps));
    dmi.set_write_latency(ps_time(timing_.write_latency_ps));
    return tx.get_address() < size();
}

unsigned int SharedDdr::transport_dbg(tlm::tlm_generic_payload &tx)
{
    const uint64_t addr = tx.get_address();
    if (addr >= size())
        return 0;
    uint64_t n = tx.get_data_length();
    if (n > size() - addr)
        n = size() - addr;
    if (tx.is_read())
        std::memcpy(tx.get_data_ptr(), data() + addr, n);
    else if (tx.is_write())
        std::memcpy(data() + addr, tx.get_data_ptr(), n);
    return static_cast<unsigned>(n);
}

} // namespace rpvp
