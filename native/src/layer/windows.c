/* Windows layer validation and the sidecar manifest (format in docs/architecture.md). */
#include "layer/windows.h"
#include "core/error.h"
#include "core/fs.h"
#include "layer/path.h"
#include <errno.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const hive_deltas[] = { "DEFAULT_Delta", "SAM_Delta", "SECURITY_Delta", "SOFTWARE_Delta", "SYSTEM_Delta" };
#define N_HIVES (sizeof hive_deltas / sizeof hive_deltas[0])

struct layer_windows {
    FILE *f;
    char *path;
    uint64_t entries;
    int saw_hives, saw_uvm;
    int hives[N_HIVES];
};

static int is_root_name(const char *s, size_t n)
{
    return (n == 5 && memcmp(s, "Files", 5) == 0) || (n == 5 && memcmp(s, "Hives", 5) == 0) ||
           (n == 9 && memcmp(s, "UtilityVM", 9) == 0);
}

int windows_detect(const char *raw, const stream_winattrs *wa)
{
    if (wa && wa->present)
        return 1;
    if (!raw)
        return -1;
    while (raw[0] == '/' || raw[0] == '\\' || (raw[0] == '.' && (raw[1] == '/' || raw[1] == '\\')))
        raw += raw[0] == '.' ? 2 : 1;
    if (!*raw || strcmp(raw, ".") == 0)
        return -1;
    size_t n = strcspn(raw, "/\\");
    return is_root_name(raw, n);
}

int windows_check_path(const char *clean)
{
    size_t n = strcspn(clean, "/");
    if (!is_root_name(clean, n))
        return berth_fail(BERTH_EUNSAFE, "a Windows layer holds only Files/, Hives/ and UtilityVM/");
    char comp[LAYER_NAME_MAX + 1];
    for (const char *p = clean; *p;) {
        size_t k = strcspn(p, "/");
        memcpy(comp, p, k);
        comp[k] = '\0';
        const char *why = layer_windows_name_problem(comp);
        if (why)
            return berth_fail(BERTH_EUNSAFE, "\"%s\" cannot exist on Windows: %s", comp, why);
        p += k;
        if (*p)
            p++;
    }
    return 0;
}

int windows_begin(layer_windows **out, const char *dir)
{
    layer_windows *wl = calloc(1, sizeof *wl);
    if (!wl || !(wl->path = fs_join(dir, LAYER_WINDOWS_MANIFEST))) {
        free(wl);
        return berth_fail_oom();
    }
    /* "x": O_EXCL, so a name already there (a symlink planted in an apply target) is never
     * followed; one Windows layer per folder. */
    wl->f = fopen(wl->path, "wbx");
    if (!wl->f) {
        int rc = berth_fail_errno(BERTH_ERROR, errno, "create the Windows layer manifest %s (a Windows layer "
                                  "is staged into its own folder)", wl->path);
        windows_free(wl);
        return rc;
    }
    *out = wl;
    return 0;
}

static int is_base64(const char *s)
{
    size_t n = strlen(s);
    if (n % 4)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        int ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '+' || ch == '/' ||
                 (ch == '=' && i >= n - 2);
        if (!ok)
            return 0;
    }
    return 1;
}

/* Seconds and nanoseconds as one count of nanoseconds, saturated to int64: a tar may carry
 * any 64-bit time (base-256 or PAX), and seconds * 10^9 overflowed — undefined behaviour
 * (found by tests/fuzz/fuzz_layer_apply.c). Times past +-292 years of 1970 do not fit the
 * manifest's nanosecond fields; they become the nearest that does. */
static int64_t time_ns(int64_t sec, long nsec)
{
    const int64_t lim = INT64_MAX / 1000000000;
    if (sec > lim || (sec == lim && nsec > INT64_MAX % 1000000000))
        return INT64_MAX;
    if (sec < -lim || (sec == -lim && nsec < 0))
        return INT64_MIN;
    return sec * 1000000000 + nsec;
}

int windows_record(layer_windows *wl, const char *clean, const char *type, struct archive_entry *e,
                   const char *link, const stream_winattrs *wa)
{
    json_object *o = json_object_new_object();
    if (!o)
        return berth_fail_oom();
    int rc = 0;
    json_object_object_add(o, "path", json_object_new_string(clean));
    json_object_object_add(o, "type", json_object_new_string(type));
    if (link)
        json_object_object_add(o, "link", json_object_new_string(link));
    if (strcmp(type, "file") == 0)
        json_object_object_add(o, "size", json_object_new_int64(archive_entry_size(e)));
    if (strcmp(type, "whiteout") != 0 && strcmp(type, "opaque") != 0) {
        json_object_object_add(o, "mtime_ns", json_object_new_int64(time_ns(archive_entry_mtime(e), archive_entry_mtime_nsec(e))));
        if (archive_entry_birthtime_is_set(e))
            json_object_object_add(o, "ctime_ns", json_object_new_int64(time_ns(archive_entry_birthtime(e),
                                                                                archive_entry_birthtime_nsec(e))));
    }
    if (wa && wa->fileattr[0]) {
        char *end;
        unsigned long long v = strtoull(wa->fileattr, &end, 10);
        if (*end || v > 0xffffffffULL) {
            rc = berth_fail(BERTH_EUNSAFE, "MSWINDOWS.fileattr \"%s\" is not a 32-bit number", wa->fileattr);
            goto out;
        }
        json_object_object_add(o, "fileattr", json_object_new_int64((int64_t)v));
    }
    if (wa && wa->rawsd) {
        if (!is_base64(wa->rawsd)) {
            rc = berth_fail(BERTH_EUNSAFE, "MSWINDOWS.rawsd is not base64");
            goto out;
        }
        json_object_object_add(o, "rawsd", json_object_new_string(wa->rawsd));
    }
    if (wa && wa->mountpoint)
        json_object_object_add(o, "mountpoint", json_object_new_string(wa->mountpoint));
    const char *line = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    if (fputs(line, wl->f) < 0 || fputc('\n', wl->f) < 0) {
        rc = berth_fail(BERTH_ERROR, "write %s", wl->path);
        goto out;
    }
    wl->entries++;
    if (strncmp(clean, "UtilityVM", 9) == 0 && (clean[9] == '/' || clean[9] == '\0'))
        wl->saw_uvm = 1;
    if (strncmp(clean, "Hives/", 6) == 0) {
        wl->saw_hives = 1;
        for (size_t i = 0; i < N_HIVES; i++)
            if (strcmp(clean + 6, hive_deltas[i]) == 0 && strcmp(type, "file") == 0)
                wl->hives[i] = 1;
    }
out:
    json_object_put(o);
    return rc;
}

int windows_finish(layer_windows *wl, int base)
{
    if (base < 0)
        base = wl->saw_hives || wl->saw_uvm;
    if (base) {
        char missing[256] = "";
        for (size_t i = 0; i < N_HIVES; i++)
            if (!wl->hives[i])
                snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s", *missing ? ", " : "",
                         hive_deltas[i]);
        if (*missing)
            return berth_fail(BERTH_EUNSAFE, "this Windows base layer lacks its registry hives: Hives/ needs "
                              "%s — the layer is incomplete or not a base layer", missing);
    }
    if (fprintf(wl->f, "{\"end\":true,\"format\":\"berth-windows-layer\",\"version\":1,\"entries\":%llu,\"base\":%s}\n",
                (unsigned long long)wl->entries, base ? "true" : "false") < 0 || fflush(wl->f) != 0)
        return berth_fail(BERTH_ERROR, "write %s", wl->path);
    FILE *f = wl->f;
    wl->f = NULL;
    if (fclose(f) != 0)
        return berth_fail(BERTH_ERROR, "close %s", wl->path);
    return fs_fsync_path(wl->path);
}

void windows_free(layer_windows *wl)
{
    if (!wl)
        return;
    if (wl->f)
        fclose(wl->f);
    free(wl->path);
    free(wl);
}
