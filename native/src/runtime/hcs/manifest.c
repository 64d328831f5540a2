/* Reading the layer unpacker's Windows manifest (<layer>/berth-windows-layer.jsonl, format in
 * docs/architecture.md "Layers") for the import, and the small conversions the import needs —
 * portable, so that every rule is tested on Linux; layers_win32.c only applies the results.
 * Nothing from the manifest is trusted: paths are checked again, numbers and base64 bounded. */
#include "runtime/hcs/hcs.h"
#include "core/error.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAWSD_MAX (64u * 1024u)   /* a security descriptor is far smaller; bound the decode */

void hcs_manifest_entry_free(hcs_manifest_entry *e)
{
    free(e->path);
    free(e->link);
    free(e->rawsd);
    memset(e, 0, sizeof *e);
}

static int dup_field(char **dst, json_object *o, const char *key, size_t lineno)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
        return 0;
    if (!json_object_is_type(v, json_type_string))
        return berth_fail(BERTH_EINVAL, "layer manifest line %zu: \"%s\" is not a string", lineno, key);
    *dst = strdup(json_object_get_string(v));
    return *dst ? 0 : berth_fail_oom();
}

int hcs_manifest_parse_line(hcs_manifest_entry *out, const char *line, size_t len, size_t lineno)
{
    memset(out, 0, sizeof *out);
    json_object *o = NULL, *v;
    char what[64];
    snprintf(what, sizeof what, "layer manifest line %zu", lineno);
    int rc = json_parse_limited(&o, line, len, what);
    if (rc)
        return rc;
    if (!json_object_is_type(o, json_type_object)) {
        rc = berth_fail(BERTH_EINVAL, "%s: not a JSON object", what);
        goto out;
    }
    if (json_object_object_get_ex(o, "end", &v) && json_object_get_boolean(v)) {
        const char *fmt = json_str(o, "format");
        if (!fmt || strcmp(fmt, "berth-windows-layer") != 0 || json_int(o, "version", 0) != 1) {
            rc = berth_fail(BERTH_EUNSUPPORTED, "%s: manifest format %s version %lld is not one this Berth "
                            "reads (berth-windows-layer 1); pull the image again with this version",
                            what, fmt ? fmt : "(none)", (long long)json_int(o, "version", 0));
            goto out;
        }
        out->is_end = 1;
        out->entries = json_int(o, "entries", -1);
        out->is_base = json_object_object_get_ex(o, "base", &v) && json_object_get_boolean(v);
        goto out;
    }
    const char *type = json_str(o, "type");
    static const char *const types[] = { "file", "dir", "symlink", "hardlink", "whiteout", "opaque" };
    out->type = -1;
    for (int i = 0; type && i < 6; i++)
        if (strcmp(type, types[i]) == 0)
            out->type = i;
    if (out->type < 0) {
        rc = berth_fail(BERTH_EINVAL, "%s: unknown type \"%s\"", what, type ? type : "(none)");
        goto out;
    }
    if ((rc = dup_field(&out->path, o, "path", lineno)) || (rc = dup_field(&out->link, o, "link", lineno)) ||
        (rc = dup_field(&out->rawsd, o, "rawsd", lineno)))
        goto out;
    if (!out->path) {
        rc = berth_fail(BERTH_EINVAL, "%s: no path", what);
        goto out;
    }
    if ((rc = hcs_layer_path_check(out->path)) != 0 ||
        (out->link && out->type == HCS_ENTRY_HARDLINK && (rc = hcs_layer_path_check(out->link)) != 0)) {
        berth_wrap(rc, "%s", what);
        goto out;
    }
    if (out->rawsd && strlen(out->rawsd) > RAWSD_MAX * 4 / 3 + 4) {
        rc = berth_fail(BERTH_EINVAL, "%s: security descriptor larger than %u bytes", what, RAWSD_MAX);
        goto out;
    }
    if (json_object_object_get_ex(o, "fileattr", &v)) {
        int64_t a = json_object_get_int64(v);
        if (!json_object_is_type(v, json_type_int) || a < 0 || a > 0xffffffffll) {
            rc = berth_fail(BERTH_EINVAL, "%s: fileattr is not a 32-bit number", what);
            goto out;
        }
        out->has_fileattr = 1;
        out->fileattr = (uint32_t)a;
    }
    out->mtime_ns = json_int(o, "mtime_ns", 0);
    out->ctime_ns = json_int(o, "ctime_ns", 0);
out:
    json_object_put(o);
    if (rc)
        hcs_manifest_entry_free(out);
    return rc;
}

int hcs_layer_path_check(const char *p)
{
    /* relative, '/'-separated, under Files/, Hives/ or UtilityVM/, no empty, "." or ".."
     * component, nothing Windows would read as a drive, stream or device path */
    static const char *const roots[] = { "Files", "Hives", "UtilityVM" };
    if (!p || !*p || p[0] == '/' || strchr(p, '\\') || strchr(p, ':'))
        goto bad;
    int rooted = 0;
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(roots[i]);
        if (strncmp(p, roots[i], n) == 0 && (p[n] == '/' || p[n] == '\0'))
            rooted = 1;
    }
    if (!rooted)
        goto bad;
    for (const char *c = p; *c;) {
        const char *e = strchr(c, '/');
        size_t n = e ? (size_t)(e - c) : strlen(c);
        if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
            goto bad;
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)c[i] < 0x20)
                goto bad;
        c += n + (e ? 1 : 0);
        if (e && !*c)
            goto bad;   /* trailing slash */
    }
    return 0;
bad:
    return berth_fail(BERTH_EUNSAFE, "layer path \"%s\" is not a clean path under Files/, Hives/ or UtilityVM/",
                      p ? p : "(null)");
}

char *hcs_layer_join(const char *root, const char *rel)
{
    size_t lr = strlen(root), ll = strlen(rel);
    while (lr > 1 && (root[lr - 1] == '\\' || root[lr - 1] == '/'))
        lr--;
    char *p = malloc(lr + 1 + ll + 1);
    if (!p) {
        berth_fail_oom();
        return NULL;
    }
    memcpy(p, root, lr);
    p[lr] = '\\';
    memcpy(p + lr + 1, rel, ll + 1);
    for (char *c = p + lr + 1; *c; c++)
        if (*c == '/')
            *c = '\\';
    return p;
}

static int b64val(int c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

int hcs_base64_decode(unsigned char **out, size_t *len_out, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n % 4 != 0 || n / 4 * 3 > RAWSD_MAX)
        return berth_fail(BERTH_EINVAL, "security descriptor: not base64 of at most %u bytes", RAWSD_MAX);
    unsigned char *b = malloc(n / 4 * 3);
    if (!b)
        return berth_fail_oom();
    size_t k = 0;
    for (size_t i = 0; i < n; i += 4) {
        int v[4];
        for (int j = 0; j < 4; j++) {
            v[j] = s[i + j] == '=' && i + 4 == n && j >= 2 ? -2 : b64val(s[i + j]);
            if (v[j] == -1 || (j == 2 && v[2] == -2 && s[i + 3] != '=')) {
                free(b);
                return berth_fail(BERTH_EINVAL, "security descriptor: not valid base64");
            }
        }
        b[k++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
        if (v[2] >= 0)
            b[k++] = (unsigned char)((v[1] & 15) << 4 | v[2] >> 2);
        if (v[2] >= 0 && v[3] >= 0)
            b[k++] = (unsigned char)((v[2] & 3) << 6 | v[3]);
    }
    *out = b;
    *len_out = k;
    return 0;
}

uint64_t hcs_filetime_from_unix_ns(int64_t ns)
{
    /* FILETIME counts 100 ns since 1601-01-01; Unix time starts 11644473600 s later */
    const int64_t epoch_delta = 116444736000000000ll;
    int64_t t = ns / 100 + epoch_delta;
    return t < 0 ? 0 : (uint64_t)t;
}

char *hcs_imported_layer_path(const char *staged)
{
    /* <root>\layers\<chain> (the unpacker's staging, which it owns) → <root>\hcs\layers\<chain>:
     * the same base name, so the same layer GUID, in a tree only this backend writes */
    size_t n = strlen(staged);
    while (n > 1 && (staged[n - 1] == '\\' || staged[n - 1] == '/'))
        n--;
    size_t base = n;
    while (base > 0 && staged[base - 1] != '\\' && staged[base - 1] != '/')
        base--;
    size_t parent = base ? base - 1 : 0;
    size_t root = parent;
    while (root > 0 && staged[root - 1] != '\\' && staged[root - 1] != '/')
        root--;
    if (base == 0 || base == n || root == 0) {
        berth_fail(BERTH_EINVAL, "layer folder \"%s\" is not <root>\\layers\\<chain>", staged);
        return NULL;
    }
    char sep = staged[base - 1];
    size_t len = root + strlen("hcs") + 1 + strlen("layers") + 1 + (n - base) + 1;
    char *p = malloc(len);
    if (!p) {
        berth_fail_oom();
        return NULL;
    }
    snprintf(p, len, "%.*shcs%clayers%c%.*s", (int)root, staged, sep, sep, (int)(n - base), staged + base);
    return p;
}

int hcs_spec_imported(runtime_spec *out, runtime_layer **mem_out, const runtime_spec *in)
{
    *out = *in;
    *mem_out = NULL;
    runtime_layer *m = calloc(in->n_layers ? in->n_layers : 1, sizeof *m);
    if (!m)
        return berth_fail_oom();
    for (size_t i = 0; i < in->n_layers; i++) {
        m[i].chain_id = in->layers[i].chain_id;
        m[i].path = in->layers[i].path ? hcs_imported_layer_path(in->layers[i].path) : NULL;
        if (!m[i].path) {
            hcs_spec_imported_free(m, i);
            return berth_wrap(BERTH_EINVAL, "container %s: layer %zu", in->id ? in->id : "", i);
        }
    }
    out->layers = m;
    *mem_out = m;
    return 0;
}

void hcs_spec_imported_free(runtime_layer *mem, size_t n)
{
    for (size_t i = 0; mem && i < n; i++)
        free((void *)mem[i].path);
    free(mem);
}
