/* Running helper programs (runc, CNI plugins) with chosen stdio, from a library that may live
 * inside pwsh: posix_spawn with every other descriptor closed, waitpid for the status. */
#include "runtime/oci/oci.h"
#include "core/error.h"
#include "core/fs.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CAPTURE_MAX (16u << 10)

char *oci_bundle_path(berth_t *b, const char *id, const char *name)
{
    char rel[512];
    snprintf(rel, sizeof rel, "containers/%s%s%s", id, name ? "/" : "", name ? name : "");
    return fs_join(berth_root(b), rel);
}

char **oci_runc_argv(berth_t *b, const char *const *args)
{
    size_t n = 0;
    while (args[n])
        n++;
    char **argv = calloc(n + 4, sizeof *argv);
    if (!argv)
        return berth_fail_oom(), NULL;
    const char *runc = getenv("BERTH_RUNC");
    argv[0] = strdup(runc && *runc ? runc : "runc");
    argv[1] = strdup("--root");
    argv[2] = fs_join(berth_root(b), "runc");
    int ok = argv[0] && argv[1] && argv[2];
    for (size_t i = 0; ok && i < n; i++)
        ok = (argv[3 + i] = strdup(args[i])) != NULL;
    if (!ok) {
        oci_argv_free(argv);
        berth_fail_oom();
        return NULL;
    }
    return argv;
}

void oci_argv_free(char **argv)
{
    if (!argv)
        return;
    for (char **p = argv; *p; p++)
        free(*p);
    free(argv);
}

int oci_run(int *status, char *const *argv, int infd, int outfd, int errfd, char **err_out)
{
    int cap[2] = { -1, -1 };
    if (err_out) {
        *err_out = NULL;
        if (errfd < 0 && pipe2(cap, O_CLOEXEC) != 0)
            return berth_fail_errno(BERTH_ERROR, errno, "run %s: pipe", argv[0]);
        if (errfd < 0)
            errfd = cap[1];
    }
    /* posix_spawn (vfork-like) rather than fork + exec: no copy of this process's page
     * tables, and safe in a threaded host. The child gets infd/outfd/errfd (or /dev/null) on
     * 0-2, every other descriptor closed, SIGPIPE at its default — as the fork child had.
     * Sources in 0..2 are moved to >= 10 first so no dup2 clobbers another or is a no-op. */
    int fds[3] = { infd, outfd, errfd }, moved[3] = { -1, -1, -1 };
    for (int i = 0; i < 3; i++)
        if (fds[i] >= 0 && fds[i] < 3)
            fds[i] = moved[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 10);
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t def;
    sigemptyset(&def);
    sigaddset(&def, SIGPIPE);
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    for (int i = 0; i < 3; i++) {
        if (fds[i] < 0)
            posix_spawn_file_actions_addopen(&fa, i, "/dev/null", O_RDWR, 0);
        else
            posix_spawn_file_actions_adddup2(&fa, fds[i], i);
    }
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);
    posix_spawnattr_setsigdefault(&attr, &def);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
    pid_t pid = -1;
    int se = posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    for (int i = 0; i < 3; i++)
        if (moved[i] >= 0)
            close(moved[i]);
    if (se != 0) {
        /* what the fork child reported when its exec failed: a message on its stderr, 127 */
        if (cap[0] >= 0) {
            close(cap[0]);
            close(cap[1]);
            if (!(*err_out = malloc(512)))
                return berth_fail_oom();
            snprintf(*err_out, 512, "cannot run %s: %s", argv[0], strerror(se));
        } else if (errfd >= 0) {
            dprintf(errfd, "cannot run %s: %s\n", argv[0], strerror(se));
        }
        *status = 127;
        return 0;
    }
    if (cap[1] >= 0)
        close(cap[1]);
    char *buf = NULL;
    size_t len = 0;
    if (cap[0] >= 0) {
        buf = malloc(CAPTURE_MAX + 1);
        ssize_t r;
        while (buf && (r = read(cap[0], buf + len, CAPTURE_MAX - len)) != 0) {
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0)
                break;
            len += (size_t)r;
            if (len == CAPTURE_MAX) {   /* keep draining so the child never blocks on us */
                char sink[4096];
                while ((r = read(cap[0], sink, sizeof sink)) > 0 || (r < 0 && errno == EINTR))
                    ;
                break;
            }
        }
        close(cap[0]);
        if (buf) {
            buf[len] = '\0';
            while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
                buf[--len] = '\0';
        }
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR) {
            free(buf);
            return berth_fail_errno(BERTH_ERROR, errno, "run %s: wait", argv[0]);
        }
    }
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    if (err_out)
        *err_out = buf;
    else
        free(buf);
    return 0;
}

int oci_exec_failure_code(const char *msg)
{
    if (!msg)
        return 125;
    if (strstr(msg, "executable file not found") || strstr(msg, "no such file or directory"))
        return 127;
    if (strstr(msg, "permission denied") || strstr(msg, "exec format error") || strstr(msg, "is a directory"))
        return 126;
    return 125;
}
