/* ProcessParameters.CommandLine is one string that the process splits again with the Windows
 * rules (CommandLineToArgvW, the MSVC runtime). hcsshim builds it in internal/cmd/cmd.go
 * (escapeArgs: windows.EscapeArg of each argument, joined by spaces); we produce exactly the
 * same bytes so that a plan can be compared with what hcsshim would send. */
#include "runtime/hcs/hcs.h"
#include "core/buf.h"
#include "core/error.h"
#include <stdlib.h>
#include <string.h>

#define CMDLINE_MAX (1u << 20)   /* CreateProcess caps a command line at 32767 UTF-16 units */

static int escape_into(berth_buf *b, const char *s)
{
    if (!*s)
        return buf_append(b, "\"\"", 2);
    int quote = strpbrk(s, " \t") != NULL;
    if (!quote && !strpbrk(s, "\"\\"))
        return buf_append(b, s, strlen(s));
    int rc = quote ? buf_append(b, "\"", 1) : 0;
    size_t slashes = 0;
    for (const char *p = s; *p && rc == 0; p++) {
        if (*p == '\\') {
            slashes++;
        } else if (*p == '"') {
            /* the backslashes before a quote are doubled, and the quote itself escaped */
            for (; slashes > 0 && rc == 0; slashes--)
                rc = buf_append(b, "\\", 1);
            if (rc == 0)
                rc = buf_append(b, "\\", 1);
        } else {
            slashes = 0;
        }
        if (rc == 0)
            rc = buf_append(b, p, 1);
    }
    if (quote) {
        /* backslashes before the closing quote would escape it: double them */
        for (; slashes > 0 && rc == 0; slashes--)
            rc = buf_append(b, "\\", 1);
        if (rc == 0)
            rc = buf_append(b, "\"", 1);
    }
    return rc;
}

int hcs_escape_arg(char **out, const char *arg)
{
    berth_buf b = BERTH_BUF_INIT(CMDLINE_MAX);
    int rc = escape_into(&b, arg ? arg : "");
    if (rc == 0 && !b.data)
        rc = buf_append(&b, "", 0);
    if (rc == 0)
        *out = buf_detach(&b);
    buf_free(&b);
    return rc;
}

int hcs_command_line(char **out, const char *const *args, size_t n)
{
    if (n == 0)
        return berth_fail(BERTH_EINVAL, "command line: the container has no command; give one "
                          "or use an image whose config sets Entrypoint or Cmd");
    berth_buf b = BERTH_BUF_INIT(CMDLINE_MAX);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (i > 0)
            rc = buf_append(&b, " ", 1);
        if (rc == 0)
            rc = escape_into(&b, args[i] ? args[i] : "");
    }
    if (rc != 0) {
        buf_free(&b);
        return berth_wrap(rc, "command line of %zu arguments", n);
    }
    *out = buf_detach(&b);
    return 0;
}
