# Install rules and the exported CMake package: find_package(rpvp) gives rpvp::bridge and
# rpvp::models (every model library that is part of this build).
include(CMakePackageConfigHelpers)

get_property(rpvp_export GLOBAL PROPERTY RPVP_EXPORT_TARGETS)
add_library(rpvp_models INTERFACE)
foreach(t IN LISTS rpvp_export)
  if(NOT t STREQUAL "rpvp_bridge")
    target_link_libraries(rpvp_models INTERFACE ${t})
  endif()
endforeach()
set_target_properties(rpvp_models PROPERTIES EXPORT_NAME models)
set_target_properties(rpvp_bridge PROPERTIES EXPORT_NAME bridge)
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
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/rpvp)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/rpvpConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/rpvpConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/rpvpConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/rpvp)
