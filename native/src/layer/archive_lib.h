/* libarchive, loaded at first use (core/dynlib.h says why). Include this, never <archive.h>. */
#ifndef BERTH_LAYER_ARCHIVE_LIB_H
#define BERTH_LAYER_ARCHIVE_LIB_H
#include <archive.h>
#include <archive_entry.h>

#ifdef _WIN32
/* Windows: the linker delay-loads the DLL (NMakefile /DELAYLOAD); nothing to do here. */
static inline int archive_lib_load(void) { return 0; }
#else
/* Loads libarchive once per process; call before the first archive call of an operation (the
 * functions that create handles do). 0, or BERTH_EUNSUPPORTED with a message naming the package. */
int archive_lib_load(void);

/* One pointer per function the library calls, named like the function. */
#define ARCHIVE_LIB_SYMBOLS(X) \
    X(archive_entry_atime) X(archive_entry_atime_is_set) X(archive_entry_atime_nsec) \
    X(archive_entry_birthtime) X(archive_entry_birthtime_is_set) X(archive_entry_birthtime_nsec) \
    X(archive_entry_filetype) X(archive_entry_free) X(archive_entry_gid) \
    X(archive_entry_hardlink) X(archive_entry_mode) X(archive_entry_mtime) \
    X(archive_entry_mtime_is_set) X(archive_entry_mtime_nsec) X(archive_entry_new) \
    X(archive_entry_pathname) X(archive_entry_perm) X(archive_entry_rdev) \
    X(archive_entry_rdevmajor) X(archive_entry_rdevminor) X(archive_entry_set_filetype) \
    X(archive_entry_set_mtime) X(archive_entry_set_pathname) X(archive_entry_set_perm) \
    X(archive_entry_set_size) X(archive_entry_size) X(archive_entry_symlink) \
    X(archive_entry_uid) X(archive_entry_xattr_next) X(archive_entry_xattr_reset) \
    X(archive_error_string) X(archive_read_data) X(archive_read_data_block) X(archive_read_free) \
    X(archive_read_new) X(archive_read_next_header) X(archive_read_open) \
    X(archive_read_open_filename) X(archive_read_support_filter_gzip) \
    X(archive_read_support_filter_zstd) X(archive_read_support_format_empty) \
    X(archive_read_support_format_gnutar) X(archive_read_support_format_raw) \
    X(archive_read_support_format_tar) X(archive_set_error) X(archive_write_close) \
    X(archive_write_data) X(archive_write_free) X(archive_write_header) X(archive_write_new) \
    X(archive_write_open_FILE) X(archive_write_set_bytes_in_last_block) \
    X(archive_write_set_format_pax_restricted)
struct archive_lib {
#define X(name) __typeof__(name) *name;
    ARCHIVE_LIB_SYMBOLS(X)
#undef X
};
const struct archive_lib *archive_lib(void);

/* Every call below goes through the table, except in archive_lib_posix.c (which fills it) and in
 * tests that link the library directly to build their fixtures (they define the _DIRECT macro). */
#ifndef ARCHIVE_LIB_DIRECT
#define archive_entry_atime (archive_lib()->archive_entry_atime)
#define archive_entry_atime_is_set (archive_lib()->archive_entry_atime_is_set)
#define archive_entry_atime_nsec (archive_lib()->archive_entry_atime_nsec)
#define archive_entry_birthtime (archive_lib()->archive_entry_birthtime)
#define archive_entry_birthtime_is_set (archive_lib()->archive_entry_birthtime_is_set)
#define archive_entry_birthtime_nsec (archive_lib()->archive_entry_birthtime_nsec)
#define archive_entry_filetype (archive_lib()->archive_entry_filetype)
#define archive_entry_free (archive_lib()->archive_entry_free)
#define archive_entry_gid (archive_lib()->archive_entry_gid)
#define archive_entry_hardlink (archive_lib()->archive_entry_hardlink)
#define archive_entry_mode (archive_lib()->archive_entry_mode)
#define archive_entry_mtime (archive_lib()->archive_entry_mtime)
#define archive_entry_mtime_is_set (archive_lib()->archive_entry_mtime_is_set)
#define archive_entry_mtime_nsec (archive_lib()->archive_entry_mtime_nsec)
#define archive_entry_new (archive_lib()->archive_entry_new)
#define archive_entry_pathname (archive_lib()->archive_entry_pathname)
#define archive_entry_perm (archive_lib()->archive_entry_perm)
#define archive_entry_rdev (archive_lib()->archive_entry_rdev)
#define archive_entry_rdevmajor (archive_lib()->archive_entry_rdevmajor)
#define archive_entry_rdevminor (archive_lib()->archive_entry_rdevminor)
#define archive_entry_set_filetype (archive_lib()->archive_entry_set_filetype)
#define archive_entry_set_mtime (archive_lib()->archive_entry_set_mtime)
#define archive_entry_set_pathname (archive_lib()->archive_entry_set_pathname)
#define archive_entry_set_perm (archive_lib()->archive_entry_set_perm)
#define archive_entry_set_size (archive_lib()->archive_entry_set_size)
#define archive_entry_size (archive_lib()->archive_entry_size)
#define archive_entry_symlink (archive_lib()->archive_entry_symlink)
#define archive_entry_uid (archive_lib()->archive_entry_uid)
#define archive_entry_xattr_next (archive_lib()->archive_entry_xattr_next)
#define archive_entry_xattr_reset (archive_lib()->archive_entry_xattr_reset)
#define archive_error_string (archive_lib()->archive_error_string)
#define archive_read_data (archive_lib()->archive_read_data)
#define archive_read_data_block (archive_lib()->archive_read_data_block)
#define archive_read_free (archive_lib()->archive_read_free)
#define archive_read_new (archive_lib()->archive_read_new)
#define archive_read_next_header (archive_lib()->archive_read_next_header)
#define archive_read_open (archive_lib()->archive_read_open)
#define archive_read_open_filename (archive_lib()->archive_read_open_filename)
#define archive_read_support_filter_gzip (archive_lib()->archive_read_support_filter_gzip)
#define archive_read_support_filter_zstd (archive_lib()->archive_read_support_filter_zstd)
#define archive_read_support_format_empty (archive_lib()->archive_read_support_format_empty)
#define archive_read_support_format_gnutar (archive_lib()->archive_read_support_format_gnutar)
#define archive_read_support_format_raw (archive_lib()->archive_read_support_format_raw)
#define archive_read_support_format_tar (archive_lib()->archive_read_support_format_tar)
#define archive_set_error (archive_lib()->archive_set_error)
#define archive_write_close (archive_lib()->archive_write_close)
#define archive_write_data (archive_lib()->archive_write_data)
#define archive_write_free (archive_lib()->archive_write_free)
#define archive_write_header (archive_lib()->archive_write_header)
#define archive_write_new (archive_lib()->archive_write_new)
#define archive_write_open_FILE (archive_lib()->archive_write_open_FILE)
#define archive_write_set_bytes_in_last_block (archive_lib()->archive_write_set_bytes_in_last_block)
#define archive_write_set_format_pax_restricted (archive_lib()->archive_write_set_format_pax_restricted)
#endif
#endif
#endif
