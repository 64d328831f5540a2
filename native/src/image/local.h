/* A stored image read back for export (push, save): the user's name resolved to an image, its
 * manifest and config read from the content store (verified on read), the manifest parsed into
 * its descriptors, and the names the image carries (tags and the repositories it came from or
 * went to). A lease on every blob keeps garbage collection away while the export runs. */
#ifndef BERTH_IMAGE_LOCAL_H
#define BERTH_IMAGE_LOCAL_H
#include "berth.h"
#include "image/manifest.h"
#include <stddef.h>
#include <stdint.h>

typedef struct {
    berth_digest id;            /* config digest */
    berth_digest manifest_digest;
    char *manifest;             /* the exact bytes (their digest is manifest_digest) */
    size_t manifest_len;
    char *media_type;           /* the manifest's media type */
    manifest_doc doc;           /* config + layers */
    char *config;               /* the config bytes */
    size_t config_len;
    char **tags;                /* "repo:tag", normalised */
    size_t n_tags;
    char **repositories;        /* from repo_digests: repositories holding this manifest */
    size_t n_repositories;
    int64_t lease;              /* 0: none held */
} local_image;

/* Resolves name (reference, id, id prefix) and loads the image; lease_purpose non-NULL takes a
 * lease over the manifest, config and layer blobs. A missing blob fails BERTH_ENOTFOUND with a
 * message saying to run fsck and pull again. */
int local_image_load(local_image *out, berth_t *b, const char *name, const char *lease_purpose);
/* Ends the lease and frees. */
void local_image_clear(local_image *img, berth_t *b);

#endif
