# rpvp-synthetic: `rpvp --host=synthetic` (the firmware on the M3 ISS against the
# synthetic host, in one process), and the session library it is built on.
if(NOT TARGET rpvp_synthetic_host AND EXISTS ${PROJECT_SOURCE_DIR}/models/synthetic-host/CMakeLists.txt)
  add_subdirectory(${PROJECT_SOURCE_DIR}/models/synthetic-host
    ${CMAKE_BINARY_DIR}/models/synthetic-host)
endif()
if(NOT TARGET rpvp_synthetic_host_port)
  message(STATUS "omap4-amp: synthetic host not in this build; rpvp-synthetic skipped")
  return()
endif()

add_library(rpvp_synthetic_session STATIC ${CMAKE_CURRENT_LIST_DIR}/synthetic_session.cpp)
target_include_directories(rpvp_synthetic_session PUBLIC
  $<BUILD_INTERFACE:${CMAKE_CURRENT_LIST_DIR}>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/rpvp/platform>)
target_link_libraries(rpvp_synthetic_session PUBLIC rpvp_omap4_amp rpvp_synthetic_host_port)
rpvp_warnings(rpvp_synthetic_session)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/synthetic_session.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/rpvp/platform)
set_property(GLOBAL APPEND PROPERTY RPVP_EXPORT_TARGETS rpvp_synthetic_session)

add_executable(rpvp-synthetic ${CMAKE_CURRENT_LIST_DIR}/rpvp_synthetic.cpp)
target_link_libraries(rpvp-synthetic PRIVATE rpvp_synthetic_session rpvp_stats rpvp_run_config
  rpvp_measure_report rpvp_install_paths)
target_include_directories(rpvp-synthetic PRIVATE ${PROJECT_SOURCE_DIR}/firmware/apps)

set_target_properties(rpvp-synthetic PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
if(TARGET rpvp_firmware)
  add_dependencies(rpvp-synthetic rpvp_firmware)
endif()
rpvp_warnings(rpvp-synthetic)
install(TARGETS rpvp-synthetic RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
