/* The Windows part of staying attached. Ctrl+C and Ctrl+Break go to the container as SIGINT
 * instead of ending this command; runtime/hcs has no signals and asks the compute system for a
 * graceful shutdown (docker on Windows stops the container too). stdin and the console mode are
 * not passed yet: the Windows monitor has no stdin channel (docs/windows.md), so -i shows the
 * output only. */
#include "cli.h"
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

struct attach_io {
    berth_t *b;
    char id[80];
};

/* The console handler runs on its own thread and cannot take a parameter: the one attachment
 * of this process is kept here, set before the handler is installed and never changed after. */
static struct attach_io *attached;

static BOOL WINAPI on_console_event(DWORD event)
{
    if ((event != CTRL_C_EVENT && event != CTRL_BREAK_EVENT) || !attached)
        return FALSE;
    berth_t *b2 = NULL;
    if (berth_open(&b2, berth_root(attached->b)) == 0) {
        berth_container_kill(b2, attached->id, "SIGINT");
        berth_close(b2);
    }
    return TRUE;
}

void cli_attach_block_signals(void)
{
}

void *attach_io_begin(berth_t *b, const char *id, int interactive, int tty)
{
    (void)interactive;
    (void)tty;
    struct attach_io *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->b = b;
    snprintf(a->id, sizeof a->id, "%s", id);
    attached = a;
    SetConsoleCtrlHandler(on_console_event, TRUE);
    return a;
}

void attach_io_end(void *io)
{
    SetConsoleCtrlHandler(on_console_event, FALSE);
    attached = NULL;
    free(io);
}
