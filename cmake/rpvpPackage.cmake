# Install rules and the exported CMake package: find_package(rpvp) gives rpvp::bridge,
# every model, platform and host library of this build under its name without the
# "rpvp_" prefix (rpvp::omap4_amp, rpvp::cm3, rpvp::cm3_tlm, rpvp::synthetic_session, ...:
# the same names as the in-tree aliases), and rpvp::models, all of them together.
include(CMakePackageConfigHelpers)

get_property(rpvp_export GLOBAL PROPERTY RPVP_EXPORT_TARGETS)
list(REMOVE_DUPLICATES rpvp_export)
add_library(rpvp_models INTERFACE)
foreach(t IN LISTS rpvp_export)
  string(REGEX REPLACE "^rpvp_" "" name ${t})
  set_target_properties(${t} PROPERTIES EXPORT_NAME ${name})
  if(NOT t STREQUAL "rpvp_bridge")
    target_link_libraries(rpvp_models INTERFACE ${t})
  endif()
endforeach()
set_target_properties(rpvp_models PROPERTIES EXPORT_NAME models)
add_library(rpvp::models ALIAS rpvp_models)

# rpvp_systemc is an INTERFACE target over pkg-config's imported target; consumers
# re-create it in rpvpConfig.cmake, so export it as a plain interface too.
install(TARGETS ${rpvp_export} rpvp_models rpvp_systemc EXPORT rpvpTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/rpvp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")
install(EXPORT rpvpTargets NAMESPACE rpvp:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/rpvp)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/rpvpConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/rpvpConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/rpvp
  PATH_VARS RPVP_INSTALL_DATA RPVP_INSTALL_PLUGIN RPVP_INSTALL_FIRMWARE)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/rpvpConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/rpvpConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/rpvpConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/rpvp)
