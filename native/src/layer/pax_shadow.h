/* The shadow PAX reader (pax_shadow.c): MSWINDOWS.* records per entry, read from the tar
 * bytes on their way to libarchive. */
#ifndef BERTH_LAYER_PAX_SHADOW_H
#define BERTH_LAYER_PAX_SHADOW_H
#include <stddef.h>
#include <stdint.h>

/* Windows attributes of one entry. Strings are NUL-terminated, "" / NULL when absent. */
typedef struct {
    int present;
    char fileattr[24];
    char *rawsd;        /* base64 security descriptor */
    char *mountpoint;
} stream_winattrs;

typedef struct shadow_reader shadow_reader;

shadow_reader *shadow_new(void);   /* NULL on OOM */
void shadow_feed(shadow_reader *sh, const unsigned char *p, size_t n);
/* The attributes of the index-th entry (0-based, libarchive's count), or NULL; earlier
 * entries' attributes are released. */
const stream_winattrs *shadow_attrs_for(shadow_reader *sh, uint64_t index);
int shadow_saw_windows(const shadow_reader *sh);
void shadow_free(shadow_reader *sh);

#endif
