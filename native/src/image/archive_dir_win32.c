/* OCI layout directories on Windows: every component is checked for a reparse point (a
 * symbolic link or junction) before the file is opened without following one. */
#include "image/archive_dir.h"
#include "core/error.h"
#include "core/utf16.h"
#include <stdlib.h>
#include <string.h>
#include <windows.h>

struct archive_dir {
    char *path;
};

struct archive_dir_file {
    HANDLE h;
};

int archive_dir_is_dir(const char *path)
{
    wchar_t *w = utf8_to_long_path(path);
    DWORD attr = w ? GetFileAttributesW(w) : INVALID_FILE_ATTRIBUTES;
    free(w);
    return attr != INVALID_FILE_ATTRIBUTES && (attr & FILE_ATTRIBUTE_DIRECTORY);
}

int archive_dir_open(archive_dir **out, const char *path)
{
    *out = NULL;
    archive_dir *d = calloc(1, sizeof *d);
    if (!d || !(d->path = _strdup(path))) {
        free(d);
        return berth_fail_oom();
    }
    *out = d;
    return 0;
}

void archive_dir_close(archive_dir *d)
{
    if (!d)
        return;
    free(d->path);
    free(d);
}

int archive_dir_file_open(archive_dir_file **out, archive_dir *d, const char *rel, int64_t *size_out)
{
    *out = NULL;
    size_t n = strlen(d->path) + strlen(rel) + 2;
    char *full = malloc(n);
    int rc = 0;
    if (!full)
        return berth_fail_oom();
    /* Check d->path/<first>, d->path/<first>/<second>, … for reparse points. */
    size_t base = strlen(d->path);
    memcpy(full, d->path, base);
    full[base] = '/';
    const char *p = rel;
    size_t at = base + 1;
    while (rc == 0) {
        size_t c = strcspn(p, "/");
        memcpy(full + at, p, c);
        full[at + c] = '\0';
        wchar_t *w = utf8_to_long_path(full);
        if (!w) {
            rc = BERTH_ENOMEM;
            break;
        }
        DWORD attr = GetFileAttributesW(w);
        int last = p[c] == '\0';
        if (attr == INVALID_FILE_ATTRIBUTES) {
            rc = berth_fail(BERTH_ENOTFOUND, "%s/%s does not exist", d->path, rel);
        } else if (attr & FILE_ATTRIBUTE_REPARSE_POINT) {
            rc = berth_fail(BERTH_EUNSAFE, "%s is a link (reparse point): links are not followed", full);
        } else if (last && (attr & FILE_ATTRIBUTE_DIRECTORY)) {
            rc = berth_fail(BERTH_EUNSAFE, "%s/%s is not a regular file", d->path, rel);
        } else if (last) {
            HANDLE h = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                                   FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_SEQUENTIAL_SCAN, NULL);
            LARGE_INTEGER size;
            archive_dir_file *f = NULL;
            if (h == INVALID_HANDLE_VALUE) {
                rc = berth_fail(BERTH_ERROR, "open %s: Windows error %lu", full, (unsigned long)GetLastError());
            } else if (!GetFileSizeEx(h, &size) || !(f = malloc(sizeof *f))) {
                CloseHandle(h);
                rc = berth_fail(BERTH_ERROR, "open %s: cannot read its size", full);
            } else {
                f->h = h;
                if (size_out)
                    *size_out = (int64_t)size.QuadPart;
                *out = f;
            }
        }
        free(w);
        if (last || rc)
            break;
        full[at + c] = '/';
        at += c + 1;
        p += c + 1;
    }
    free(full);
    return rc;
}

int archive_dir_file_read(archive_dir_file *f, void *buf, size_t len, size_t *got)
{
    DWORD n = 0;
    if (len > 0x40000000u)
        len = 0x40000000u;
    if (!ReadFile(f->h, buf, (DWORD)len, &n, NULL))
        return berth_fail(BERTH_ERROR, "read a layout file: Windows error %lu", (unsigned long)GetLastError());
    *got = n;
    return 0;
}

void archive_dir_file_close(archive_dir_file *f)
{
    if (!f)
        return;
    CloseHandle(f->h);
    free(f);
}
