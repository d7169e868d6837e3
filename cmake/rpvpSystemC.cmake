# SystemC 2.3.4 / TLM 2.0.6 from Debian's libsystemc-dev: pkg-config only.
# The prefix is RPVP_SC, not SYSTEMC: Verilator reads SYSTEMC_INCLUDEDIR/LIBDIR.
find_package(PkgConfig REQUIRED)
pkg_check_modules(RPVP_SC REQUIRED IMPORTED_TARGET GLOBAL systemc>=2.3.4 tlm)
if(NOT TARGET rpvp_systemc)
  add_library(rpvp_systemc INTERFACE)
  target_link_libraries(rpvp_systemc INTERFACE PkgConfig::RPVP_SC)
  # libsystemc was built with -std=c++17: every user TU must be C++17 too.
  target_compile_features(rpvp_systemc INTERFACE cxx_std_17)
  target_compile_definitions(rpvp_systemc INTERFACE SC_INCLUDE_DYNAMIC_PROCESSES)
endif()

# rpvp_gtest_systemc(<target> sources...): a GoogleTest binary with rpvp's sc_main
# (never GTest::gtest_main: libsystemc's main() would win and run zero tests), each
# TEST in its own process because SystemC elaborates only once per process.
function(rpvp_add_gtest target)
  add_executable(${target} ${ARGN})
  target_link_libraries(${target} PRIVATE rpvp_gtest_main GTest::gtest rpvp_systemc)
  rpvp_warnings(${target})
  gtest_discover_tests(${target} DISCOVERY_MODE PRE_TEST
    PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1" TIMEOUT 120)
endfunction()
