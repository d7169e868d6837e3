# The firmware ELF loader (C, no SystemC): included by platforms/omap4-amp/CMakeLists.txt
# and by tests/firmware when the platform is not built.
if(NOT TARGET rpvp_fw_loader)
  add_library(rpvp_fw_loader STATIC ${CMAKE_CURRENT_LIST_DIR}/loader.c)
  target_include_directories(rpvp_fw_loader PUBLIC $<BUILD_INTERFACE:${CMAKE_CURRENT_LIST_DIR}>
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/rpvp/platform>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  rpvp_warnings(rpvp_fw_loader)
endif()
