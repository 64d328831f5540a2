/* Windows layers staged on any host: the files go below the layer folder as they are
 * (Files/, Hives/, UtilityVM/), and what a Linux file system cannot keep — file attributes,
 * security descriptors, reparse points, whiteouts — goes into a sidecar manifest,
 * <layer>/berth-windows-layer.jsonl, that the Windows backend reads when it imports the layer
 * with HcsImportLayer. Format: docs/architecture.md, "Layers". */
#ifndef BERTH_LAYER_WINDOWS_H
#define BERTH_LAYER_WINDOWS_H
#include "layer/stream.h"
#include "layer/archive_lib.h"

#define LAYER_WINDOWS_MANIFEST "berth-windows-layer.jsonl"

typedef struct layer_windows layer_windows;

/* Whether an entry name (raw, from the tar) or its attributes mark a Windows layer. */
int windows_detect(const char *raw_name, const stream_winattrs *wa);
/* Checks one cleaned entry path: it must sit under Files/, Hives/ or UtilityVM/ and every
 * component must be a name Windows can hold. BERTH_EUNSAFE saying why. */
int windows_check_path(const char *clean);

int windows_begin(layer_windows **out, const char *dir);
/* Records one entry. type: "file", "dir", "symlink", "hardlink", "whiteout", "opaque". */
int windows_record(layer_windows *wl, const char *clean, const char *type, struct archive_entry *e,
                   const char *link, const stream_winattrs *wa);
/* base: 1 base layer (needs the hive deltas), 0 not, -1 unknown (decided by its content).
 * Writes the end line, syncs and closes the manifest. */
int windows_finish(layer_windows *wl, int base);
void windows_free(layer_windows *wl);

#endif
