/* Cross-process locks and sleeps for the container lifecycle (flock: released by the kernel
 * when a holder dies, so a killed CLI never leaves a container locked). */
#include "container/lock.h"
#include "core/error.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

int container_lock_try(int *fd_out, const char *path, const char *what)
{
    *fd_out = -1;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return berth_fail_errno(BERTH_ERROR, errno, "%s: open lock %s", what, path);
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK)
            return berth_fail(BERTH_EBUSY, "%s: another berth process is starting or removing this container right now — try again when it is done", what);
        return berth_fail_errno(BERTH_ERROR, e, "%s: lock %s", what, path);
    }
    *fd_out = fd;
    return 0;
}

void container_unlock(int fd)
{
    if (fd >= 0)
        close(fd);
}

void container_sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

int64_t container_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
