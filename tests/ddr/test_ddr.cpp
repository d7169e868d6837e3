/* Shared DDR: byte-exact at every width, seen from a second process, and clear errors. */
#include <gtest/gtest.h>
#include <systemc>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <string>

#include "bridge_initiator.h"
#include "ddr_tlm.h"

using namespace sc_core;
using namespace rpvp;

namespace {
std::string uniq(const char *what)
{
    return std::string("rpvp-test-ddr-") + what + "-" + std::to_string(getpid());
}

std::string error_of(const std::string &file, uint64_t size, const char *dir = nullptr)
{
    try {
        SharedDdr d(sc_gen_unique_name("bad"), file, size, RPVP_DDR_TIMING_DEFAULT, dir);
    } catch (const std::runtime_error &e) {
        return e.what();
    }
    return "";
}
} // namespace

TEST(SharedDdr, EveryWidthByteExactAndSeenByASecondProcess)
{
    BridgeInitiator ini("ini");
    SharedDdr ddr("ddr", uniq("peer"), 1 << 20);
    ini.isock.bind(ddr.tsock);
    sc_start(SC_ZERO_TIME);
    rpvp_port *p = ini.port();

    /* Every access width from 1 to 64 bytes at every alignment 0..7. */
    uint64_t base = 0x1000;
    for (unsigned len = 1; len <= 64; len++) {
        for (unsigned align = 0; align < 8; align++) {
            uint8_t out[64], in[64];
            for (unsigned i = 0; i < len; i++)
                out[i] = static_cast<uint8_t>(len * 13 + align * 7 + i);
            uint64_t a = base + align;
            ASSERT_EQ(rpvp_write(p, a, out, len, nullptr), RPVP_OK);
            ASSERT_EQ(rpvp_read(p, a, in, len, nullptr), RPVP_OK);
            ASSERT_EQ(0, std::memcmp(in, out, len)) << "len " << len << " align " << align;
            EXPECT_EQ(0, std::memcmp(ddr.data() + a, out, len)) << "backing store differs";
            base += 128;
        }
    }
    /* Little-endian layout of a 32-bit store, as both CPUs will see it. */
    uint32_t word = 0x11223344;
    rpvp_write(p, 0x40, &word, 4, nullptr);
    EXPECT_EQ(ddr.data()[0x40], 0x44);
    EXPECT_EQ(ddr.data()[0x43], 0x11);

    /* A pattern for the peer process, which maps the same file. */
    const unsigned len = 4096, off = 0x20000;
    uint8_t pat[len];
    for (unsigned i = 0; i < len; i++)
        pat[i] = static_cast<uint8_t>(i * 37 + 11);
    ASSERT_EQ(rpvp_write(p, off, pat, len, nullptr), RPVP_OK);
    std::string cmd = std::string(RPVP_SHM_PEER) + " " + ddr.path() + " " +
                      std::to_string(off) + " " + std::to_string(len);
    int rc = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(rc));
    EXPECT_EQ(WEXITSTATUS(rc), 0) << "the peer saw different bytes";
    uint8_t back[len];
    ASSERT_EQ(rpvp_read(p, off + len, back, len, nullptr), RPVP_OK);
    for (unsigned i = 0; i < len; i++)
        ASSERT_EQ(back[i], static_cast<uint8_t>(0xff - i)) << "byte " << i << " from the peer";
}

TEST(SharedDdr, ByteEnablesAndBoundsAndDmi)
{
    BridgeInitiator ini("ini");
    SharedDdr ddr("ddr", uniq("be"), 4096);
    ini.isock.bind(ddr.tsock);
    sc_start(SC_ZERO_TIME);
    std::memset(ddr.data(), 0xEE, 16);
    uint8_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    unsigned char be[4] = {TLM_BYTE_ENABLED, TLM_BYTE_DISABLED, TLM_BYTE_ENABLED,
                           TLM_BYTE_DISABLED};
    tlm::tlm_generic_payload tx;
    sc_time d = SC_ZERO_TIME;
    tx.set_command(tlm::TLM_WRITE_COMMAND);
    tx.set_address(0);
    tx.set_data_ptr(data);
    tx.set_data_length(8);
    tx.set_streaming_width(8);
    tx.set_byte_enable_ptr(be);
    tx.set_byte_enable_length(4); /* pattern repeats over the 8 bytes */
    ini.isock->b_transport(tx, d);
    ASSERT_EQ(tx.get_response_status(), tlm::TLM_OK_RESPONSE);
    const uint8_t want[8] = {1, 0xEE, 3, 0xEE, 5, 0xEE, 7, 0xEE};
    EXPECT_EQ(0, std::memcmp(ddr.data(), want, 8));

    tx.set_byte_enable_ptr(nullptr);
    tx.set_address(4090); /* 8 bytes from 4090 run past the end */
    ini.isock->b_transport(tx, d);
    EXPECT_EQ(tx.get_response_status(), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    tx.set_address(4088);
    tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    ini.isock->b_transport(tx, d);
    EXPECT_EQ(tx.get_response_status(), tlm::TLM_OK_RESPONSE);

    tlm::tlm_dmi dmi;
    tx.set_address(100);
    ASSERT_TRUE(ini.isock->get_direct_mem_ptr(tx, dmi));
    EXPECT_EQ(dmi.get_dmi_ptr(), ddr.data());
    EXPECT_EQ(dmi.get_end_address(), 4095u);
    EXPECT_TRUE(dmi.is_read_write_allowed());
}

TEST(SharedDdr, ClearErrors)
{
    SharedDdr first("first", uniq("twice"), 4096);
    std::string e = error_of(uniq("twice"), 4096);
    EXPECT_NE(e.find("already exists"), std::string::npos) << e;

    e = error_of(uniq("huge"), 1ull << 50);
    EXPECT_NE(e.find("does not fit"), std::string::npos) << e;
    EXPECT_NE(access(("/dev/shm/" + uniq("huge")).c_str(), F_OK), 0) << "no file left behind";

    e = error_of(uniq("zero"), 0);
    EXPECT_NE(e.find("not usable"), std::string::npos) << e;

    e = error_of(uniq("nodir"), 4096, "/nonexistent-rpvp-shm");
    EXPECT_NE(e.find("missing"), std::string::npos) << e;

    e = error_of("bad/name", 4096);
    EXPECT_NE(e.find("plain file name"), std::string::npos) << e;
}

TEST(SharedDdr, FileIsRemovedWhenTheModelGoesAway)
{
    std::string path;
    {
        SharedDdr d("d", uniq("gone"), 4096);
        path = d.path();
        EXPECT_EQ(access(path.c_str(), F_OK), 0);
    }
    EXPECT_NE(access(path.c_str(), F_OK), 0);
}
