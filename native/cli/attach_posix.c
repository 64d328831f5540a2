/* The POSIX part of staying attached: stdin into the container's FIFO on a thread, SIGINT,
 * SIGTERM and SIGHUP passed to the container (docker's --sig-proxy) by a sigwait thread, and
 * the terminal raw while a -it container has it. */
#include "cli.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

struct attach_io {
    berth_t *b;
    char id[80];
    char fifo[4200];
    struct termios saved;
    int raw;
};

/* The signals passed to the container (docker's --sig-proxy). */
static void passed_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGHUP);
}

static void *pump_stdin(void *arg)
{
    struct attach_io *a = arg;
    int fd = open(a->fifo, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    char buf[4096];
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0 && write(fd, buf, (size_t)n) < 0)
            break;
    close(fd);
    return NULL;
}

static void *proxy_signals(void *arg)
{
    struct attach_io *a = arg;
    sigset_t set;
    passed_signals(&set);
    for (;;) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0)
            continue;
        berth_t *b2 = NULL;
        if (berth_open(&b2, berth_root(a->b)) == 0) {
            char name[16];
            snprintf(name, sizeof name, "%d", sig);
            berth_container_kill(b2, a->id, name);
            berth_close(b2);
        }
    }
    return NULL;
}

void cli_attach_block_signals(void)
{
    sigset_t set;
    passed_signals(&set);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}

void *attach_io_begin(berth_t *b, const char *id, int interactive, int tty)
{
    /* lives until the process ends: the detached threads below keep using it */
    struct attach_io *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->b = b;
    snprintf(a->id, sizeof a->id, "%s", id);
    snprintf(a->fifo, sizeof a->fifo, "%s/containers/%s/stdin.fifo", berth_root(b), id);
    pthread_t t;
    if (pthread_create(&t, NULL, proxy_signals, a) == 0)
        pthread_detach(t);
    if (tty && interactive && isatty(0) && tcgetattr(0, &a->saved) == 0) {
        struct termios r = a->saved;
        cfmakeraw(&r);
        a->raw = tcsetattr(0, TCSANOW, &r) == 0;
    }
    if (interactive && pthread_create(&t, NULL, pump_stdin, a) == 0)
        pthread_detach(t);
    return a;
}

void attach_io_end(void *io)
{
    struct attach_io *a = io;
    if (a && a->raw)
        tcsetattr(0, TCSANOW, &a->saved);
}
