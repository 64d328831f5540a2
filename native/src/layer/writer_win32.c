/* The layer writer on Windows is not written yet: Windows hosts will stage layers through the
 * backup APIs (BackupWrite keeps security descriptors and reparse points), which belongs with the
 * Windows backend. Until then every call says so instead of pretending. */
#include "layer/writer.h"
#include "core/error.h"

static int not_yet(void)
{
    return berth_fail(BERTH_EUNSUPPORTED, "unpacking layers on a Windows host is not implemented yet; "
                      "stage the layer on Linux (berth layer unpack) or wait for the Windows backend");
}

int writer_open(layer_writer **out, const char *dir, writer_mode mode)
{
    (void)dir; (void)mode;
    *out = NULL;
    return not_yet();
}
int writer_entry(layer_writer *w, struct archive *a, struct archive_entry *e, const char *path, const char *hardlink)
{
    (void)w; (void)a; (void)e; (void)path; (void)hardlink;
    return not_yet();
}
int writer_set_lowers(layer_writer *w, const char *const *dirs, size_t n) { (void)w; (void)dirs; (void)n; return not_yet(); }
int writer_whiteout(layer_writer *w, const char *path) { (void)w; (void)path; return not_yet(); }
int writer_opaque(layer_writer *w, const char *dir) { (void)w; (void)dir; return not_yet(); }
int writer_finish(layer_writer *w) { (void)w; return not_yet(); }
void writer_free(layer_writer *w) { (void)w; }
