/* Windows ingest files: the exclusive lock is the share mode — the file is opened without
 * FILE_SHARE_WRITE, so a second writer (in any process) fails with a sharing violation —
 * plus FILE_SHARE_DELETE so the committed file can be renamed while still open. */
#include "store/ingest_file.h"
#include "core/error.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

struct ingest_file {
    HANDLE h;
    char *path;
};

static wchar_t *wide(const char *s)
{
    int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
    wchar_t *w = n > 0 ? malloc((size_t)n * sizeof *w) : NULL;
    if (w && MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n) <= 0) {
        free(w);
        w = NULL;
    }
    return w;
}

static int win_fail(int code, const char *what, const char *path)
{
    return berth_fail(code, "%s %s: Windows error %lu", what, path, (unsigned long)GetLastError());
}

static int open_mode(ingest_file **out, const char *path, DWORD disposition)
{
    *out = NULL;
    wchar_t *w = wide(path);
    ingest_file *f = calloc(1, sizeof *f);
    if (!w || !f || !(f->path = _strdup(path))) {
        free(w);
        free(f);
        return berth_fail_oom();
    }
    f->h = CreateFileW(w, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL, disposition,
                       FILE_ATTRIBUTE_NORMAL, NULL);
    free(w);
    if (f->h == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        int rc = e == ERROR_SHARING_VIOLATION || e == ERROR_LOCK_VIOLATION
                     ? berth_fail(BERTH_EBUSY, "ingest file %s is locked: another pull is writing this blob right now; "
                                  "wait for it to finish (the blob will then be present) or retry", path)
                 : e == ERROR_FILE_EXISTS ? BERTH_EEXISTS
                                          : win_fail(BERTH_ERROR, "open ingest file", path);
        free(f->path);
        free(f);
        return rc;
    }
    *out = f;
    return 0;
}

int ingest_file_open(ingest_file **out, const char *path)
{
    return open_mode(out, path, OPEN_ALWAYS);
}

int ingest_file_create_temp(ingest_file **out, const char *dir)
{
    char name[MAX_PATH + 64];
    for (unsigned attempt = 0; attempt < 100; attempt++) {
        snprintf(name, sizeof name, "%s\\put-%lu-%llu-%u", dir, (unsigned long)GetCurrentProcessId(),
                 (unsigned long long)GetTickCount64(), attempt);
        int rc = open_mode(out, name, CREATE_NEW);
        if (rc != BERTH_EEXISTS)
            return rc;
    }
    return berth_fail(BERTH_ERROR, "create a temporary file in %s: every name tried exists", dir);
}

const char *ingest_file_path(const ingest_file *f) { return f->path; }

int ingest_file_read(ingest_file *f, void *buf, size_t len, size_t *got)
{
    DWORD n = 0;
    if (!ReadFile(f->h, buf, len > 0x40000000 ? 0x40000000 : (DWORD)len, &n, NULL))
        return win_fail(BERTH_ERROR, "read ingest file", f->path);
    *got = n;
    return 0;
}

int ingest_file_write(ingest_file *f, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        DWORD n = 0, want = len > 0x40000000 ? 0x40000000 : (DWORD)len;
        if (!WriteFile(f->h, p, want, &n, NULL))
            return win_fail(BERTH_ERROR, "write ingest file", f->path);
        p += n;
        len -= n;
    }
    return 0;
}

int ingest_file_truncate(ingest_file *f)
{
    LARGE_INTEGER zero = { 0 };
    if (!SetFilePointerEx(f->h, zero, NULL, FILE_BEGIN) || !SetEndOfFile(f->h))
        return win_fail(BERTH_ERROR, "truncate ingest file", f->path);
    return 0;
}

int ingest_file_sync(ingest_file *f)
{
    return FlushFileBuffers(f->h) ? 0 : win_fail(BERTH_ERROR, "flush ingest file", f->path);
}

int64_t ingest_file_size(ingest_file *f)
{
    LARGE_INTEGER size;
    return GetFileSizeEx(f->h, &size) ? (int64_t)size.QuadPart : -1;
}

void ingest_file_close(ingest_file *f)
{
    if (!f)
        return;
    CloseHandle(f->h);
    free(f->path);
    free(f);
}

void ingest_file_remove(ingest_file *f)
{
    if (!f)
        return;
    FILE_DISPOSITION_INFO del = { TRUE };   /* deleted when this, the only handle, closes */
    SetFileInformationByHandle(f->h, FileDispositionInfo, &del, sizeof del);
    ingest_file_close(f);
}
