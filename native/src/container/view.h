/* The "container" JSON object (docs/api.md) that inspect, list and create return. */
#ifndef BERTH_CONTAINER_VIEW_H
#define BERTH_CONTAINER_VIEW_H
#include "container/container.h"

/* full: with "config" (the resolved spec) — inspect and create; list leaves it out. */
json_object *container_view(berth_t *b, const container_rec *r, int full);
/* The state users see: "restarting" for a "running" row whose monitor backs off between runs. */
const char *container_display_state(const container_rec *r);
int container_view_json(char **out, berth_t *b, const container_rec *r);

#endif
