# What `cmake --install` puts under <prefix> for the platform and its programs
# (docs/building.md, "Installing"):
#   include/rpvp/platform/   the platform's headers (omap4_amp.h, platform_desc.h, ...)
#   lib/rpvp/                librpvp_plugin.so (bridge/plugin)
#   share/rpvp/firmware/     the reference firmware images
#   share/rpvp/tools/, bridge/qemu/, include/rpvp/plugin.h, firmware/linux/, firmware/apps/
#                            the QEMU and guest-image scripts with exactly the files their
#                            cache keys hash, so an installed rpvp finds the same cache entries
#   share/rpvp/scenarios/    the example scenarios
# The installed programs find all of it from their own location (install_paths.h).
set(rpvp_data ${RPVP_INSTALL_DATA})
install(FILES omap4_amp.h amp_system.h measurement.h crash_monitor.h platform_desc.h loader.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/rpvp/platform)
install(PROGRAMS ${PROJECT_SOURCE_DIR}/tools/build-qemu.sh ${PROJECT_SOURCE_DIR}/tools/build-guest.sh
  DESTINATION ${rpvp_data}/tools)
install(FILES ${PROJECT_SOURCE_DIR}/bridge/qemu/rpvp-bridge.c DESTINATION ${rpvp_data}/bridge/qemu)
install(FILES ${PROJECT_SOURCE_DIR}/include/rpvp/plugin.h DESTINATION ${rpvp_data}/include/rpvp)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/firmware/linux/ DESTINATION ${rpvp_data}/firmware/linux
  USE_SOURCE_PERMISSIONS)
install(FILES ${PROJECT_SOURCE_DIR}/firmware/apps/ctrl_proto.h DESTINATION ${rpvp_data}/firmware/apps)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/scenarios/ DESTINATION ${rpvp_data}/scenarios
  FILES_MATCHING PATTERN "*.yaml")
# The images are built by an ExternalProject (firmware/): whichever exist at install time.
install(CODE "file(GLOB rpvp_fws \"${RPVP_FIRMWARE_DIR}/rpvp-m3-*.elf\")
  file(INSTALL \${rpvp_fws} DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${rpvp_data}/firmware\")")
# find_package(rpvp): the platform (rpvp::omap4_amp) and what it is built from.
set_property(GLOBAL APPEND PROPERTY RPVP_EXPORT_TARGETS rpvp_fw_loader rpvp_stats
  rpvp_platform_desc rpvp_omap4_amp)
