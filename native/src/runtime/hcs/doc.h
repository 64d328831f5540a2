/* The document builders' json-c interface (portable code only: the *_win32.c files use the
 * serialised strings of hcs.h and never include json-c). */
#ifndef BERTH_RUNTIME_HCS_DOC_H
#define BERTH_RUNTIME_HCS_DOC_H
#include "runtime/hcs/hcs.h"
#include <json-c/json.h>

#define HCS_CONSOLE_HEIGHT 25   /* the console's size until the client resizes it */
#define HCS_CONSOLE_WIDTH 80

/* The whole plan: {"runtime":"hcs","isolation", "compute_system", "utility_vm"?, "process",
 * "network"?: {"name","endpoint_id","namespace_id","endpoint","namespace","namespace_add_endpoint"},
 * "layers"} — docs/windows.md describes every key. */
int hcs_plan_object(json_object **out, const runtime_spec *spec, const hcs_docs_options *opts);

/* One published port, "[ip:]host:container[/tcp|udp]", as HNS's PortMappingPolicySetting. */
typedef struct {
    char vip[64];
    unsigned host_port, container_port;
    unsigned protocol;   /* 6 tcp, 17 udp */
} hcs_port;
int hcs_port_parse(hcs_port *out, const char *s);

#endif
