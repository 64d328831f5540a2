/* Per-container locks and waiting, platform files lock_posix.c (lock_win32.c to come). */
#ifndef BERTH_CONTAINER_LOCK_H
#define BERTH_CONTAINER_LOCK_H
#include <stdint.h>

/* Takes the exclusive lock at path without waiting; BERTH_EBUSY when another process holds it. */
int container_lock_try(int *fd_out, const char *path, const char *what);
void container_unlock(int fd);
void container_sleep_ms(int ms);
int64_t container_clock_ms(void);

#endif
