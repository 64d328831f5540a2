/* berth_image_load, inside: an archive (archive_src.h) is turned into a plan — the images it
 * holds, each with its manifest bytes, config bytes, the archive entry behind every layer and
 * the names to tag — by the format's planner (load_docker.c: docker-archive manifest.json;
 * load_oci.c: OCI image layout index.json). Planning reads only metadata and checks every
 * digest, size and count it can before a byte enters the store; load.c then ingests the
 * wanted entries through the content store and commits each image in one transaction. */
#ifndef BERTH_IMAGE_LOAD_H
#define BERTH_IMAGE_LOAD_H
#include "image/archive_src.h"
#include "image/manifest.h"

typedef struct {
    archive_entry_info *src;     /* the archive file with the blob's bytes */
    int check_diff_id;           /* compressed docker-archive layer: verify its diff_id after ingest */
} load_layer;

typedef struct {
    char *manifest;              /* exact bytes; OCI: as in the layout; docker-archive: built here */
    size_t manifest_len;
    berth_digest manifest_digest;
    manifest_doc doc;
    char *config;                /* exact bytes; their digest is the image id */
    size_t config_len;
    image_config cfg;
    load_layer *layers;          /* doc.n of them */
    char **names;                /* normalised references with a tag, to point at the image */
    size_t n_names;
    char *index;                 /* OCI: the nested index the manifest was chosen from, or NULL */
    size_t index_len;
    berth_digest index_digest;
} load_image;

typedef struct {
    load_image *images;
    size_t n;
    const char *format;          /* "docker-archive" or "oci-layout" */
} load_plan;

int load_plan_docker(load_plan *plan, archive_src *src);
int load_plan_oci(load_plan *plan, archive_src *src);
void load_plan_clear(load_plan *plan);

/* Shared by the planners. */
load_image *load_plan_add(load_plan *plan);
/* Adds a name ("repo:tag", any accepted form) after normalising it; BERTH_EINVAL if malformed. */
int load_image_add_name(load_image *img, const char *name);
/* Parses cfg and checks that the manifest's layers and the config's diff_ids agree in number. */
int load_image_check(load_image *img);

#endif
