/* Ctrl+C for the commands that talk to a registry or an archive (pull, push, load): the
 * handler only sets a flag, and the command's progress callback turns the flag into a
 * non-zero return, so the library unwinds to BERTH_ECANCELED and leaves nothing half written.
 * signal(), not sigaction: the same file builds on Windows. */
#include "cli.h"
#include <signal.h>

static volatile sig_atomic_t interrupted;
static volatile sig_atomic_t second_kills;

static void on_sigint(int sig)
{
    interrupted = 1;
    if (second_kills)
        signal(sig, SIG_DFL); /* a second Ctrl+C kills at once */
}

void cli_interrupt_catch(cli_interrupt *s, int second_ctrl_c_kills)
{
    second_kills = second_ctrl_c_kills;
    s->old = signal(SIGINT, on_sigint);
}

void cli_interrupt_release(cli_interrupt *s)
{
    signal(SIGINT, s->old == SIG_ERR ? SIG_DFL : s->old);
}

int cli_interrupted(void)
{
    return interrupted;
}
