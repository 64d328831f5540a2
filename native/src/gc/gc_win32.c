/* Windows pieces of garbage collection: tree sizes (reparse points not followed) and ages. */
#include "gc/gc_fs.h"
#include "core/utf16.h"
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>

static int64_t tree_bytes_w(const wchar_t *dir, int depth)
{
    if (depth > 256)
        return 0;
    size_t n = wcslen(dir);
    wchar_t *pattern = malloc((n + 3) * sizeof *pattern);
    if (!pattern)
        return 0;
    memcpy(pattern, dir, n * sizeof *pattern);
    pattern[n] = L'\\';
    pattern[n + 1] = L'*';
    pattern[n + 2] = 0;
    WIN32_FIND_DATAW fd;
    HANDLE h = FindFirstFileW(pattern, &fd);
    free(pattern);
    if (h == INVALID_HANDLE_VALUE)
        return 0;
    int64_t total = 0;
    do {
        if (wcscmp(fd.cFileName, L".") == 0 || wcscmp(fd.cFileName, L"..") == 0)
            continue;
        if (fd.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)
            continue;
        if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
            size_t m = wcslen(fd.cFileName);
            wchar_t *sub = malloc((n + m + 2) * sizeof *sub);
            if (!sub)
                continue;
            memcpy(sub, dir, n * sizeof *sub);
            sub[n] = L'\\';
            memcpy(sub + n + 1, fd.cFileName, (m + 1) * sizeof *sub);
            total += tree_bytes_w(sub, depth + 1);
            free(sub);
        } else {
            total += ((int64_t)fd.nFileSizeHigh << 32) | fd.nFileSizeLow;
        }
    } while (FindNextFileW(h, &fd));
    FindClose(h);
    return total;
}

int64_t gc_tree_bytes(const char *path)
{
    wchar_t *w = utf8_to_long_path(path);
    int64_t total = w ? tree_bytes_w(w, 0) : 0;
    free(w);
    return total;
}

int64_t gc_mtime(const char *path)
{
    wchar_t *w = utf8_to_long_path(path);
    WIN32_FILE_ATTRIBUTE_DATA a;
    int ok = w && GetFileAttributesExW(w, GetFileExInfoStandard, &a);
    free(w);
    if (!ok)
        return -1;
    /* 100 ns ticks since 1601 → seconds since 1970 */
    uint64_t t = ((uint64_t)a.ftLastWriteTime.dwHighDateTime << 32) | a.ftLastWriteTime.dwLowDateTime;
    return (int64_t)(t / 10000000ULL) - 11644473600LL;
}
