/* sc_main for every rpvp GoogleTest binary. libsystemc.so defines main() and calls
 * sc_main; linking GTest::gtest_main instead can silently run zero tests. */
#include <gtest/gtest.h>
#include <systemc>

int sc_main(int argc, char **argv)
{
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
