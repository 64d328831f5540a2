/* Name-based GUIDs (RFC 4122 §4.3, version 5: SHA-1). Windows tooling names layers by GUIDs
 * derived from the layer folder's name, so the same folder always gets the same id; hcsshim
 * (internal/wclayer/layerid.go) takes only the base name of the path. */
#include "runtime/hcs/hcs.h"
#include "core/error.h"
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

/* Berth's namespace for layer and network ids: a v5 GUID of "berth.dev/hcs" under the RFC's
 * URL namespace, fixed forever (changing it would rename every layer). */
static const unsigned char berth_ns[16] = {   /* 9d32abf4-fa3b-5669-9cb7-70620d04b4f7 */
    0x9d, 0x32, 0xab, 0xf4, 0xfa, 0x3b, 0x56, 0x69, 0x9c, 0xb7, 0x70, 0x62, 0x0d, 0x04, 0xb4, 0xf7
};

static void guid_format(char *out, const unsigned char g[16])
{
    snprintf(out, HCS_GUID_LEN + 1,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13],
             g[14], g[15]);
}

int hcs_guid_v5(char *out, const unsigned char ns[16], const void *name, size_t len)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        return berth_fail_oom();
    int ok = EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) && EVP_DigestUpdate(ctx, ns, 16) &&
             EVP_DigestUpdate(ctx, name, len) && EVP_DigestFinal_ex(ctx, md, &mdlen);
    EVP_MD_CTX_free(ctx);
    if (!ok || mdlen < 16)
        return berth_fail(BERTH_ERROR, "derive a name-based GUID: SHA-1 is not available from OpenSSL");
    md[6] = (unsigned char)((md[6] & 0x0f) | 0x50);  /* version 5 */
    md[8] = (unsigned char)((md[8] & 0x3f) | 0x80);  /* RFC 4122 variant */
    guid_format(out, md);
    return 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int hcs_guid_parse(unsigned char out[16], const char *s)
{
    const char *p = s;
    size_t n = s ? strlen(s) : 0;
    int braces = n == (size_t)HCS_GUID_LEN + 2 && s[0] == '{' && s[n - 1] == '}';
    if (braces)
        p++;
    if (!s || n != (size_t)HCS_GUID_LEN + (braces ? 2u : 0u))
        goto bad;
    for (int i = 0, k = 0; i < HCS_GUID_LEN; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (p[i] != '-')
                goto bad;
            continue;
        }
        int hi = hexval(p[i]), lo = hexval(p[i + 1]);
        if (hi < 0 || lo < 0)
            goto bad;
        out[k++] = (unsigned char)(hi << 4 | lo);
        i++;
    }
    return 0;
bad:
    return berth_fail(BERTH_EINVAL, "\"%s\" is not a GUID (want xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
                      s ? s : "(null)");
}

int hcs_layer_id(char *out, const char *folder)
{
    if (!folder || !*folder)
        return berth_fail(BERTH_EINVAL, "layer id: empty layer folder path");
    /* the last element, ignoring trailing separators of either kind */
    size_t end = strlen(folder);
    while (end > 1 && (folder[end - 1] == '\\' || folder[end - 1] == '/'))
        end--;
    size_t start = end;
    while (start > 0 && folder[start - 1] != '\\' && folder[start - 1] != '/')
        start--;
    if (start == end)
        return berth_fail(BERTH_EINVAL, "layer id: \"%s\" has no folder name", folder);
    return hcs_guid_v5(out, berth_ns, folder + start, end - start);
}

int hcs_derived_id(char *out, const char *kind, const char *container_id)
{
    char name[256];
    int n = snprintf(name, sizeof name, "%s/%s", kind, container_id ? container_id : "");
    if (n < 0 || (size_t)n >= sizeof name)
        return berth_fail(BERTH_EINVAL, "derive %s id: container id too long", kind);
    return hcs_guid_v5(out, berth_ns, name, (size_t)n);
}
