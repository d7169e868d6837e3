# The sources of the portable rpmsg remote stack, for the host build (firmware/rpmsg) and
# the Cortex-M3 image (firmware/image), which compile the same files.
set(RPVP_RPMSG_REMOTE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/rpmsg_remote.c
  ${CMAKE_CURRENT_LIST_DIR}/rpr_virtqueue.c)
