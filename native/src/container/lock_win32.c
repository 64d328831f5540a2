/* Cross-process locks and sleeps for the container lifecycle on Windows: LockFileEx on a lock
 * file (released by the kernel when the holder dies, like flock). */
#include "container/lock.h"
#include "core/error.h"
#include <windows.h>
#include <fcntl.h>
#include <io.h>

int container_lock_try(int *fd_out, const char *path, const char *what)
{
    *fd_out = -1;
    HANDLE h = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return berth_fail(BERTH_ERROR, "%s: open lock %s (Windows error %lu)", what, path, (unsigned long)GetLastError());
    OVERLAPPED ov = { 0 };
    if (!LockFileEx(h, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ov)) {
        DWORD e = GetLastError();
        CloseHandle(h);
        if (e == ERROR_LOCK_VIOLATION || e == ERROR_IO_PENDING)
            return berth_fail(BERTH_EBUSY, "%s: another berth process is starting or removing this container right now — try again when it is done", what);
        return berth_fail(BERTH_ERROR, "%s: lock %s (Windows error %lu)", what, path, (unsigned long)e);
    }
    int fd = _open_osfhandle((intptr_t)h, _O_RDWR);
    if (fd < 0) {
        CloseHandle(h);
        return berth_fail(BERTH_ERROR, "%s: lock %s: no descriptor for the handle", what, path);
    }
    *fd_out = fd;
    return 0;
}

void container_unlock(int fd)
{
    if (fd >= 0)
        _close(fd);   /* closing the handle releases the lock */
}

void container_sleep_ms(int ms) { Sleep((DWORD)ms); }

int64_t container_clock_ms(void) { return (int64_t)GetTickCount64(); }
