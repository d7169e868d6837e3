/* The firmware's endpoints (docs/firmware.md): echo, sink, source, slow consumer, ctrl. */
#ifndef FW_APPS_H
#define FW_APPS_H

/* Create the tasks that bring up rpmsg and serve the endpoints. 0 or negative errno. */
int apps_start(void);

#endif
