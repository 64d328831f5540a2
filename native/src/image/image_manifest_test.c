/* Unit tests for image/manifest.c (named image_manifest_test: unit binaries share one folder) — image document parsing: the shapes registries serve, and hostile ones. */
#include "check.h"
#include "core/error.h"
#include "image/manifest.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define D1 "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define D2 "sha256:2222222222222222222222222222222222222222222222222222222222222222"

static int parse(manifest_doc *m, const char *s, const char *ct) { return manifest_parse(m, s, strlen(s), ct); }

static void oci_image(void)
{
    manifest_doc m;
    const char *s = "{\"schemaVersion\":2,\"mediaType\":\"" MT_OCI_MANIFEST "\",\"config\":{\"mediaType\":\"" MT_OCI_CONFIG
                    "\",\"digest\":\"" D1 "\",\"size\":12},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                    "\"digest\":\"" D2 "\",\"size\":34}]}";
    CHECK_OK(parse(&m, s, MT_OCI_MANIFEST));
    CHECK(m.kind == MANIFEST_IMAGE);
    CHECK(m.n == 1 && m.entries[0].size == 34 && !m.entries[0].foreign);
    CHECK_STREQ(m.config.digest.text, D1);
    manifest_doc_clear(&m);
    /* served as application/json: the document's mediaType decides */
    CHECK_OK(parse(&m, s, "application/json"));
    manifest_doc_clear(&m);
}

static void docker_list_with_platforms(void)
{
    manifest_doc m;
    const char *s = "{\"schemaVersion\":2,\"mediaType\":\"" MT_DOCKER_LIST "\",\"manifests\":["
                    "{\"mediaType\":\"" MT_DOCKER_MANIFEST "\",\"digest\":\"" D1 "\",\"size\":1,\"platform\":{\"os\":\"linux\",\"architecture\":\"x86_64\"}},"
                    "{\"mediaType\":\"" MT_DOCKER_MANIFEST "\",\"digest\":\"" D2 "\",\"size\":2,\"platform\":{\"os\":\"windows\",\"architecture\":\"amd64\",\"os.version\":\"10.0.20348.2340\"}}]}";
    CHECK_OK(parse(&m, s, MT_DOCKER_LIST));
    CHECK(m.kind == MANIFEST_INDEX && m.n == 2);
    CHECK_STREQ(m.entries[0].platform.arch, "amd64"); /* normalised */
    CHECK_STREQ(m.entries[1].platform.os_version, "10.0.20348.2340");
    manifest_doc_clear(&m);
}

static void foreign_layers(void)
{
    manifest_doc m;
    const char *s = "{\"schemaVersion\":2,\"mediaType\":\"" MT_DOCKER_MANIFEST "\",\"config\":{\"mediaType\":\"" MT_DOCKER_CONFIG
                    "\",\"digest\":\"" D1 "\",\"size\":12},\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip\","
                    "\"digest\":\"" D2 "\",\"size\":34,\"urls\":[\"https://mcr.microsoft.com/v2/x/blobs/" D2 "\"]}]}";
    CHECK_OK(parse(&m, s, NULL));
    CHECK(m.entries[0].foreign && m.entries[0].n_urls == 1);
    manifest_doc_clear(&m);
}

static void schema1_refused(void)
{
    manifest_doc m;
    CHECK_RC(BERTH_EUNSUPPORTED, parse(&m, "{\"schemaVersion\":1,\"name\":\"x\",\"fsLayers\":[]}",
                                       "application/vnd.docker.distribution.manifest.v1+prettyjws"));
    CHECK_MSG("schema 1");
    CHECK_RC(BERTH_EUNSUPPORTED, parse(&m, "{\"schemaVersion\":1,\"name\":\"x\"}", "application/json"));
}

static void hostile_documents(void)
{
    manifest_doc m;
    /* nested index */
    CHECK_RC(BERTH_EUNSUPPORTED, parse(&m, "{\"schemaVersion\":2,\"mediaType\":\"" MT_OCI_INDEX "\",\"manifests\":[{\"mediaType\":\""
                                       MT_OCI_INDEX "\",\"digest\":\"" D1 "\",\"size\":1}]}", NULL));
    CHECK_MSG("nested");
    /* unknown media type, artifact config, bad digest, negative size, missing size */
    CHECK_RC(BERTH_EUNSUPPORTED, parse(&m, "{\"schemaVersion\":2,\"mediaType\":\"application/x-foo\"}", NULL));
    CHECK_RC(BERTH_EUNSUPPORTED, parse(&m, "{\"schemaVersion\":2,\"mediaType\":\"" MT_OCI_MANIFEST "\",\"config\":{\"mediaType\":"
                                       "\"application/vnd.cncf.helm.config.v1+json\",\"digest\":\"" D1 "\",\"size\":1},\"layers\":[]}", NULL));
    CHECK_MSG("artifact");
    CHECK_RC(BERTH_EINVAL, parse(&m, "{\"schemaVersion\":2,\"mediaType\":\"" MT_OCI_INDEX "\",\"manifests\":[{\"digest\":\"sha256:abc\",\"size\":1}]}", NULL));
    CHECK_RC(BERTH_EINVAL, parse(&m, "{\"schemaVersion\":2,\"mediaType\":\"" MT_OCI_INDEX "\",\"manifests\":[{\"digest\":\"" D1 "\",\"size\":-5}]}", NULL));
    CHECK_RC(BERTH_EINVAL, parse(&m, "{\"schemaVersion\":2,\"mediaType\":\"" MT_OCI_INDEX "\",\"manifests\":[{\"digest\":\"" D1 "\"}]}", NULL));
    CHECK_RC(BERTH_EINVAL, parse(&m, "{\"schemaVersion\":2,\"mediaType\":\"" MT_OCI_INDEX "\"}", NULL));
    /* served as one thing, claims to be another */
    CHECK_RC(BERTH_EINVAL, parse(&m, "{\"schemaVersion\":2,\"mediaType\":\"" MT_OCI_INDEX "\",\"manifests\":[]}", MT_OCI_MANIFEST));
    /* not JSON, JSON of the wrong type, deep nesting */
    CHECK_RC(BERTH_EINVAL, parse(&m, "<html>", NULL));
    CHECK_RC(BERTH_EINVAL, parse(&m, "[1,2]", NULL));
    char deep[2100];
    snprintf(deep, sizeof deep, "{\"schemaVersion\":2,\"x\":");
    size_t n = strlen(deep);
    for (int i = 0; i < 1000; i++) deep[n++] = '[';
    deep[n] = '\0';
    CHECK_RC(BERTH_EINVAL, parse(&m, deep, NULL));
    /* too many entries */
    size_t cap = 64 * 2000 + 200;
    char *big = malloc(cap);
    n = (size_t)snprintf(big, cap, "{\"schemaVersion\":2,\"mediaType\":\"" MT_OCI_INDEX "\",\"manifests\":[");
    for (int i = 0; i < MANIFEST_MAX_ENTRIES + 1; i++)
        n += (size_t)snprintf(big + n, cap - n, "%s{\"digest\":\"" D1 "\",\"size\":1}", i ? "," : "");
    snprintf(big + n, cap - n, "]}");
    CHECK_RC(BERTH_EINVAL, parse(&m, big, NULL));
    free(big);
}

/* The OCI image-spec's descriptor rules (schema/descriptor_test.go): mediaType is required
 * and is type/subtype, size an integer not below zero, digest algorithm:hex (we speak sha256
 * only, lowercase). Each case is one index entry. */
static void oci_descriptor_rules(void)
{
    static const struct { const char *entry; int ok; } t[] = {
        { "{\"mediaType\":\"" MT_OCI_MANIFEST "\",\"size\":7682,\"digest\":\"" D1 "\"}", 1 },
        { "{\"mediaType\":\"application/octet-stream\",\"size\":0,\"digest\":\"" D1 "\"}", 1 },
        { "{\"size\":7682,\"digest\":\"" D1 "\"}", 0 },
        { "{\"mediaType\":\"application\",\"size\":7682,\"digest\":\"" D1 "\"}", 0 },
        { "{\"mediaType\":\".foo/bar\",\"size\":7682,\"digest\":\"" D1 "\"}", 0 },
        { "{\"mediaType\":\"foo/.bar\",\"size\":7682,\"digest\":\"" D1 "\"}", 0 },
        { "{\"mediaType\":\"" MT_OCI_MANIFEST "; charset=utf-8\",\"size\":1,\"digest\":\"" D1 "\"}", 0 },
        { "{\"mediaType\":\"" MT_OCI_MANIFEST "\",\"digest\":\"" D1 "\"}", 0 },
        { "{\"mediaType\":\"" MT_OCI_MANIFEST "\",\"size\":\"7682\",\"digest\":\"" D1 "\"}", 0 },
        { "{\"mediaType\":\"" MT_OCI_MANIFEST "\",\"size\":7682.0,\"digest\":\"" D1 "\"}", 0 },
        { "{\"mediaType\":\"" MT_OCI_MANIFEST "\",\"size\":-7682,\"digest\":\"" D1 "\"}", 0 },
        { "{\"mediaType\":\"" MT_OCI_MANIFEST "\",\"size\":7682}", 0 },
        { "{\"mediaType\":\"" MT_OCI_MANIFEST "\",\"size\":7682,\"digest\":\":1111\"}", 0 },
        { "{\"mediaType\":\"" MT_OCI_MANIFEST "\",\"size\":7682,\"digest\":\"sha256\"}", 0 },
        { "{\"mediaType\":\"" MT_OCI_MANIFEST "\",\"size\":7682,\"digest\":\"SHA256:1111111111111111111111111111111111111111111111111111111111111111\"}", 0 },
        { "{\"mediaType\":\"" MT_OCI_MANIFEST "\",\"size\":7682,\"digest\":\"sha256:5B0BCABD1ED22E9FB1310CF6C2DEC7CDEF19F0AD69EFA1F392E94A4333501270\"}", 0 },
        { "{\"mediaType\":\"" MT_OCI_MANIFEST "\",\"size\":7682,\"digest\":\"sha256+b64:c86f7763873b6c0aae22d963bab59b4f5debbed6685761b5951584f6efb0633b\"}", 0 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char doc[1024];
        snprintf(doc, sizeof doc, "{\"schemaVersion\":2,\"mediaType\":\"" MT_OCI_INDEX "\",\"manifests\":[%s]}", t[i].entry);
        manifest_doc m;
        int rc = parse(&m, doc, MT_OCI_INDEX);
        if ((rc == 0) != t[i].ok)
            printf("# case %zu %s: rc %d %s\n", i, t[i].entry, rc, berth_errmsg());
        CHECK((rc == 0) == t[i].ok);
        if (rc == 0)
            manifest_doc_clear(&m);
    }
}

static void config_diff_ids(void)
{
    image_config c;
    const char *s = "{\"os\":\"windows\",\"architecture\":\"amd64\",\"os.version\":\"10.0.20348.1\",\"rootfs\":{\"type\":\"layers\","
                    "\"diff_ids\":[\"" D1 "\",\"" D2 "\"]}}";
    CHECK_OK(image_config_parse(&c, s, strlen(s)));
    CHECK(c.n_diff_ids == 2);
    CHECK_STREQ(c.platform.os_version, "10.0.20348.1");
    image_config_clear(&c);
    CHECK_RC(BERTH_EINVAL, image_config_parse(&c, "{\"os\":\"linux\"}", 15));
    CHECK_RC(BERTH_EINVAL, image_config_parse(&c, "{\"rootfs\":{\"diff_ids\":[\"md5:1\"]}}", 33));
}

int main(void)
{
    RUN(oci_image);
    RUN(docker_list_with_platforms);
    RUN(foreign_layers);
    RUN(schema1_refused);
    RUN(hostile_documents);
    RUN(oci_descriptor_rules);
    RUN(config_diff_ids);
    return check_done();
}
