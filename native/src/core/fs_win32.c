/* core/fs.h on Windows, through the wide APIs with \\?\ paths (no MAX_PATH limit, no code
 * page surprises). Modes are ignored: files inherit the ACL of their folder, which for the
 * store root (%ProgramData%\berth) grants Administrators and SYSTEM. NTFS journals its
 * metadata, so a rename made with MOVEFILE_WRITE_THROUGH is durable without a directory
 * flush (there is no directory fsync on Windows). */
#include "core/fs.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/utf16.h"
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail_win(int code, DWORD err, const char *step, const char *path)
{
    char msg[256] = "";
    FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, err, 0, msg,
                   sizeof msg, NULL);
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r' || msg[n - 1] == '.'))
        msg[--n] = '\0';
    if (code == BERTH_ERROR && (err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND))
        code = BERTH_ENOTFOUND;
    return berth_fail(code, "%s %s: %s (error %lu)", step, path, n ? msg : "failed", (unsigned long)err);
}

char *fs_join(const char *a, const char *b)
{
    size_t la = strlen(a), lb;
    while (la > 1 && (a[la - 1] == '/' || a[la - 1] == '\\'))
        la--;
    while (*b == '/' || *b == '\\')
        b++;
    lb = strlen(b);
    char *p = malloc(la + 1 + lb + 1);
    if (!p) {
        berth_fail_oom();
        return NULL;
    }
    memcpy(p, a, la);
    p[la] = '\\';
    memcpy(p + la + 1, b, lb + 1);
    return p;
}

int fs_mkdir_p(const char *path, int mode)
{
    (void)mode;
    wchar_t *w = utf8_to_long_path(path);
    if (!w)
        return berth_wrap(0, "create directory %s", path);
    int rc = 0;
    /* skip the root: \\?\C:\ or \\?\UNC\server\share\ */
    wchar_t *s = w + 4;
    if (wcsncmp(s, L"UNC\\", 4) == 0) {
        s += 4;
        for (int seps = 0; *s && seps < 2; s++)
            if (*s == L'\\')
                seps++;
    } else {
        s += 3;
    }
    for (;; s++) {
        if (*s == L'\\' || *s == L'\0') {
            wchar_t saved = *s;
            *s = L'\0';
            if (!CreateDirectoryW(w, NULL)) {
                DWORD err = GetLastError();
                if (err != ERROR_ALREADY_EXISTS) {
                    rc = fail_win(BERTH_ERROR, err, "create directory", path);
                    break;
                }
            }
            *s = saved;
            if (saved == L'\0')
                break;
        }
    }
    free(w);
    return rc;
}

int fs_exists(const char *path)
{
    wchar_t *w = utf8_to_long_path(path);
    if (!w) {
        berth_error_clear();
        return 0;
    }
    DWORD a = GetFileAttributesW(w);
    free(w);
    return a != INVALID_FILE_ATTRIBUTES;
}

int64_t fs_size(const char *path)
{
    wchar_t *w = utf8_to_long_path(path);
    WIN32_FILE_ATTRIBUTE_DATA d;
    int ok = w && GetFileAttributesExW(w, GetFileExInfoStandard, &d);
    free(w);
    if (!ok || (d.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY))
        return -1;
    return (int64_t)(((uint64_t)d.nFileSizeHigh << 32) | d.nFileSizeLow);
}

int fs_fsync_path(const char *path)
{
    wchar_t *w = utf8_to_long_path(path);
    if (!w)
        return berth_wrap(0, "flush %s", path);
    DWORD a = GetFileAttributesW(w);
    if (a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_DIRECTORY)) {
        free(w);
        return 0;   /* NTFS journals directory changes */
    }
    HANDLE h = CreateFileW(w, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    free(w);
    if (h == INVALID_HANDLE_VALUE)
        return fail_win(BERTH_ERROR, GetLastError(), "open for flush", path);
    int rc = FlushFileBuffers(h) ? 0 : fail_win(BERTH_ERROR, GetLastError(), "flush", path);
    CloseHandle(h);
    return rc;
}

int fs_fsync_dir_of(const char *path)
{
    (void)path;
    return 0;   /* see the top of this file */
}

int fs_rename_durable(const char *from, const char *to)
{
    wchar_t *wf = utf8_to_long_path(from), *wt = wf ? utf8_to_long_path(to) : NULL;
    int rc = 0;
    if (!wf || !wt)
        rc = berth_wrap(0, "rename %s to %s", from, to);
    else if (!MoveFileExW(wf, wt, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
        rc = fail_win(BERTH_ERROR, GetLastError(), "rename to", to);
    free(wf);
    free(wt);
    return rc;
}

int fs_write_atomic(const char *path, const void *data, size_t len, int mode)
{
    (void)mode;
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (!tmp)
        return berth_fail_oom();
    snprintf(tmp, n, "%s.tmp.%lu", path, (unsigned long)GetCurrentProcessId());
    wchar_t *w = utf8_to_long_path(tmp);
    int rc = 0;
    HANDLE h = INVALID_HANDLE_VALUE;
    if (!w) {
        rc = berth_wrap(0, "write %s", path);
        goto out;
    }
    h = CreateFileW(w, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        rc = fail_win(BERTH_ERROR, GetLastError(), "create", tmp);
        goto out;
    }
    const char *p = data;
    while (len > 0 && rc == 0) {
        DWORD chunk = len > (1u << 30) ? (1u << 30) : (DWORD)len, wrote = 0;
        if (!WriteFile(h, p, chunk, &wrote, NULL))
            rc = fail_win(BERTH_ERROR, GetLastError(), "write", tmp);
        p += wrote;
        len -= wrote;
    }
    if (rc == 0 && !FlushFileBuffers(h))
        rc = fail_win(BERTH_ERROR, GetLastError(), "flush", tmp);
    CloseHandle(h);
    if (rc == 0)
        rc = fs_rename_durable(tmp, path);
    if (rc != 0)
        DeleteFileW(w);
out:
    free(w);
    free(tmp);
    return rc;
}

int fs_read_file(char **out, size_t *len_out, const char *path, size_t max)
{
    wchar_t *w = utf8_to_long_path(path);
    if (!w)
        return berth_wrap(0, "read %s", path);
    HANDLE h = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    free(w);
    if (h == INVALID_HANDLE_VALUE)
        return fail_win(BERTH_ERROR, GetLastError(), "read", path);
    berth_buf b = BERTH_BUF_INIT(max);
    char chunk[1 << 14];
    int rc = 0;
    for (;;) {
        DWORD got = 0;
        if (!ReadFile(h, chunk, (DWORD)sizeof chunk, &got, NULL)) {
            rc = fail_win(BERTH_ERROR, GetLastError(), "read", path);
            break;
        }
        if (got == 0 || (rc = fs_read_append(&b, chunk, got, path)) != 0)
            break;
    }
    if (rc == 0)
        rc = fs_read_finish(out, len_out, &b);
    buf_free(&b);
    CloseHandle(h);
    return rc;
}

/* Depth-first, never through a reparse point (junction, symlink, mount point): those are
 * removed as links, so a hostile layer cannot make us delete outside the tree. */
static int remove_w(wchar_t *w, const char *top)
{
    DWORD a = GetFileAttributesW(w);
    if (a == INVALID_FILE_ATTRIBUTES) {
        DWORD err = GetLastError();
        return err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND ? 0
             : fail_win(BERTH_ERROR, err, "remove (in)", top);
    }
    if (a & FILE_ATTRIBUTE_READONLY)
        SetFileAttributesW(w, a & ~(DWORD)FILE_ATTRIBUTE_READONLY);
    if ((a & FILE_ATTRIBUTE_DIRECTORY) && !(a & FILE_ATTRIBUTE_REPARSE_POINT)) {
        size_t n = wcslen(w);
        wchar_t *pat = malloc((n + 3) * sizeof *pat);
        if (!pat)
            return berth_fail_oom();
        memcpy(pat, w, n * sizeof *pat);
        wcscpy(pat + n, L"\\*");
        WIN32_FIND_DATAW fd;
        HANDLE f = FindFirstFileExW(pat, FindExInfoBasic, &fd, FindExSearchNameMatch, NULL, 0);
        free(pat);
        int rc = 0;
        if (f != INVALID_HANDLE_VALUE) {
            do {
                if (!wcscmp(fd.cFileName, L".") || !wcscmp(fd.cFileName, L".."))
                    continue;
                size_t m = wcslen(fd.cFileName);
                wchar_t *child = malloc((n + m + 2) * sizeof *child);
                if (!child) {
                    rc = berth_fail_oom();
                    break;
                }
                memcpy(child, w, n * sizeof *child);
                child[n] = L'\\';
                memcpy(child + n + 1, fd.cFileName, (m + 1) * sizeof *child);
                rc = remove_w(child, top);
                free(child);
            } while (rc == 0 && FindNextFileW(f, &fd));
            FindClose(f);
        }
        if (rc)
            return rc;
        return RemoveDirectoryW(w) ? 0 : fail_win(BERTH_ERROR, GetLastError(), "remove directory (in)", top);
    }
    if (a & FILE_ATTRIBUTE_DIRECTORY)   /* a directory reparse point: remove the link only */
        return RemoveDirectoryW(w) ? 0 : fail_win(BERTH_ERROR, GetLastError(), "remove link (in)", top);
    return DeleteFileW(w) ? 0 : fail_win(BERTH_ERROR, GetLastError(), "remove file (in)", top);
}

int fs_remove_tree(const char *path)
{
    wchar_t *w = utf8_to_long_path(path);
    if (!w)
        return berth_wrap(0, "remove %s", path);
    int rc = remove_w(w, path);
    free(w);
    return rc;
}
