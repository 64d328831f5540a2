/* The load plan's common parts: adding images and names, checking a planned image. */
#include "image/load.h"
#include "core/error.h"
#include "reference/reference.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

load_image *load_plan_add(load_plan *plan)
{
    load_image *g = realloc(plan->images, (plan->n + 1) * sizeof *g);
    if (!g) {
        berth_fail_oom();
        return NULL;
    }
    plan->images = g;
    memset(&g[plan->n], 0, sizeof g[plan->n]);
    return &g[plan->n++];
}

int load_image_add_name(load_image *img, const char *name)
{
    berth_ref r = { 0 };
    int rc = reference_parse(&r, name);
    if (rc)
        return berth_wrap(rc, "the archive names an image \"%.200s\"", name);
    char *repo = NULL, *full = NULL;
    size_t n = 0;
    if (!r.tag) {
        /* a digest-only name cannot be a tag: the image stays reachable by id */
        reference_clear(&r);
        return 0;
    }
    if ((repo = reference_repository(&r)) != NULL) {
        n = strlen(repo) + strlen(r.tag) + 2;
        full = malloc(n);
    }
    if (!full) {
        free(repo);
        reference_clear(&r);
        return berth_fail_oom();
    }
    snprintf(full, n, "%s:%s", repo, r.tag);
    free(repo);
    reference_clear(&r);
    for (size_t i = 0; i < img->n_names; i++)
        if (strcmp(img->names[i], full) == 0) {
            free(full);
            return 0;
        }
    char **g = realloc(img->names, (img->n_names + 1) * sizeof *g);
    if (!g) {
        free(full);
        return berth_fail_oom();
    }
    img->names = g;
    img->names[img->n_names++] = full;
    return 0;
}

int load_image_check(load_image *img)
{
    int rc = image_config_parse(&img->cfg, img->config, img->config_len);
    if (rc)
        return berth_wrap(rc, "image config %s", img->doc.config.digest.text);
    if (img->cfg.n_diff_ids != img->doc.n)
        return berth_fail(BERTH_EINVAL, "image %s: the manifest lists %zu layers but the config %zu diff_ids — the "
                          "archive is malformed", img->doc.config.digest.text, img->doc.n, img->cfg.n_diff_ids);
    return 0;
}

void load_plan_clear(load_plan *plan)
{
    for (size_t i = 0; i < plan->n; i++) {
        load_image *img = &plan->images[i];
        free(img->manifest);
        manifest_doc_clear(&img->doc);
        free(img->config);
        image_config_clear(&img->cfg);
        free(img->layers);
        for (size_t k = 0; k < img->n_names; k++)
            free(img->names[k]);
        free(img->names);
        free(img->index);
    }
    free(plan->images);
    memset(plan, 0, sizeof *plan);
}
