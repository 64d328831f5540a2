/* Entry names from a tar header, made safe before anything touches the disk: a cleaned name is
 * relative, has no empty, "." or ".." components, fits PATH_MAX and NAME_MAX, and is what the
 * writer walks component by component below its root. */
#ifndef BERTH_LAYER_PATH_H
#define BERTH_LAYER_PATH_H
#include <stddef.h>

#define LAYER_PATH_MAX 4096
#define LAYER_NAME_MAX 255

/* Cleans name into out (LAYER_PATH_MAX bytes): "./a//b/" → "a/b"; "." or "./" → "" (the root).
 * windows: '\\' separates components too. Returns 0, or BERTH_EUNSAFE with a message saying
 * why (absolute, climbs with "..", too long) — the caller adds which entry. */
int layer_path_clean(char *out, const char *name, int windows);

/* The last component of a cleaned path ("" for the root). */
const char *layer_path_leaf(const char *clean);

#define LAYER_WHITEOUT_PREFIX ".wh."
#define LAYER_WHITEOUT_OPAQUE ".wh..wh..opq"
#define LAYER_WHITEOUT_META   ".wh..wh."   /* aufs bookkeeping (.wh..wh.plnk, ...): ignored */

/* Why a Windows file system cannot hold this one component (reserved device name, trailing
 * dot or space, one of <>:"|?* or a control character), or NULL when it can. */
const char *layer_windows_name_problem(const char *component);

#endif
