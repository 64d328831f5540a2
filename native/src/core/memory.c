#include "berth.h"
#include <stdlib.h>

/* Everything the library hands out comes from malloc in this module's C runtime, so it must
 * be released by the same runtime: callers in other languages cannot use their own free(). */
void berth_free(void *p) { free(p); }

const char *berth_version(void) { return "0.1.0"; }
