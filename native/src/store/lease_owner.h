/* Who owns a lease: this process's id plus a token of its start time, so that a lease left by
 * a killed process counts as expired even after the pid is reused. POSIX: /proc/<pid>/stat
 * (field 22, start time in clock ticks since boot); elsewhere the token is "" and only the pid
 * is checked. lease_owner_posix.c / lease_owner_win32.c. */
#ifndef BERTH_STORE_LEASE_OWNER_H
#define BERTH_STORE_LEASE_OWNER_H
#include <stddef.h>
#include <stdint.h>

int64_t lease_owner_self(char *token, size_t len);
/* 1 when the process (pid, token) still runs. */
int lease_owner_alive(int64_t pid, const char *token);

#endif
