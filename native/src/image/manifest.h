/* OCI and Docker image documents: index / manifest list (one entry per platform), image
 * manifest (config + layers) and the image config (platform, rootfs.diff_ids). Parsing checks
 * what a hostile registry could get wrong: media types, digests, sizes, counts, nesting.
 * Docker schema1 is refused with a message saying so. */
#ifndef BERTH_IMAGE_MANIFEST_H
#define BERTH_IMAGE_MANIFEST_H
#include "core/digest.h"
#include "platform/platform.h"
#include <stddef.h>
#include <stdint.h>

#define MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_OCI_CONFIG "application/vnd.oci.image.config.v1+json"
#define MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define MT_DOCKER_CONFIG "application/vnd.docker.container.image.v1+json"

#define MANIFEST_MAX_ENTRIES 1024  /* layers of an image, or platforms of an index */
#define MANIFEST_MAX_URLS 16

typedef enum { MANIFEST_IMAGE = 1, MANIFEST_INDEX = 2 } manifest_kind;

typedef struct {
    berth_digest digest;
    int64_t size;
    char *media_type;
    char **urls;              /* foreign layers */
    size_t n_urls;
    int foreign;              /* non-distributable media type, or urls present */
    int has_platform;
    berth_platform platform;  /* index entries */
} manifest_desc;

typedef struct {
    manifest_kind kind;
    char *media_type;
    manifest_desc config;     /* images */
    manifest_desc *entries;   /* layers (images) or manifests (indexes) */
    size_t n;
} manifest_doc;

/* content_type: the registry's Content-Type (may be NULL; then the document's mediaType). */
int manifest_parse(manifest_doc *out, const char *data, size_t len, const char *content_type);
void manifest_doc_clear(manifest_doc *m);

typedef struct {
    berth_platform platform;
    berth_digest *diff_ids;
    size_t n_diff_ids;
} image_config;

int image_config_parse(image_config *out, const char *data, size_t len);
void image_config_clear(image_config *c);

#endif
