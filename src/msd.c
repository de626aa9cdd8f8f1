/* SPDX-License-Identifier: MIT */
/*
 * Media change of a mass-storage LUN at run time.
 *
 * Kernel facts this follows (f_mass_storage / storage_common.c, 6.1):
 *  - lun.N/ro is refused with EBUSY while a medium is in, whoever holds
 *    it; so ro is written before file, and only when it changes.
 *  - lun.N/file is refused with EBUSY when the host has prevented medium
 *    removal (SCSI PREVENT ALLOW MEDIUM REMOVAL, which Linux hosts send
 *    while the block device of a removable LUN is open).  A new file
 *    replaces the old one in a single write.
 *  - lun.N/forced_eject clears the host's prevent flag and closes the
 *    file: it succeeds even while the host holds the medium.  Older
 *    kernels lack it; there an empty file is the eject.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "msd.h"
#include "util.h"

static msd_write_fn msd_write = write_file_string;

void msd_set_write_fn(msd_write_fn fn)
{
	msd_write = fn ? fn : write_file_string;
}

/* LUN numbers refer to the profile's first mass_storage function. */
static const struct profile_function *msd_function(const struct profile *p)
{
	for (size_t i = 0; i < p->n_functions; i++)
		if (p->functions[i].type == FUNCTION_MASS_STORAGE)
			return &p->functions[i];
	return NULL;
}

/*
 * The LUN's configfs directory, or NULL with the reason written to out:
 * no mass_storage function, or no lun.N in the gadget (an optional LUN
 * whose file was absent is never made).
 */
static char *msd_lun_dir(const char *verb, const char *gadget_dir,
			 const struct profile *p, int lun, FILE *out)
{
	const struct profile_function *f = msd_function(p);
	struct stat st;
	char *dir;

	if (!f) {
		fprintf(out, "%s: profile %s has no mass_storage function\n",
			verb, p->name);
		return NULL;
	}
	dir = xasprintf("%s/functions/%s/lun.%d", gadget_dir, f->name, lun);
	if (stat(dir, &st) < 0) {
		fprintf(out, "%s: %s has no LUN %d: %s: %s\n", verb, f->name,
			lun, dir, strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

/*
 * The kernel's own errno for a file too small to be a medium (ETOOSMALL,
 * 525) leaks to user space, where libc has no text for it.
 */
static const char *msd_strerror(int r)
{
	if (r == -525)
		return "too small to be a medium (ETOOSMALL)";
	return strerror(-r);
}

static int msd_read(const char *verb, const char *dir, const char *attr,
		    char **value, FILE *out)
{
	char *path = xasprintf("%s/%s", dir, attr);
	int r = read_file_string(path, value);

	if (r < 0)
		fprintf(out, "%s: cannot read %s: %s\n", verb, path,
			strerror(-r));
	free(path);
	return r;
}

/*
 * A passed file: what the kernel can take (f_mass_storage opens regular
 * files and block devices only), read-only unless it was opened for
 * writing.  *medium is what to write into lun.N/file.
 */
static enum control_status msd_passed_medium(const char *verb, const char *file,
					     int fd, bool *ro, char **medium,
					     FILE *out)
{
	struct stat st;
	int flags;

	if (fstat(fd, &st) < 0 || (flags = fcntl(fd, F_GETFL)) < 0) {
		fprintf(out, "%s: %s: %s\n", verb, file, strerror(errno));
		return CONTROL_FAILED;
	}
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		fprintf(out, "%s: %s: not a regular file or block device\n",
			verb, file);
		return CONTROL_FAILED;
	}
	if ((flags & O_ACCMODE) == O_WRONLY) {
		fprintf(out, "%s: %s: not opened for reading\n", verb, file);
		return CONTROL_FAILED;
	}
	/* The kernel would open it read-write: the client may not. */
	if ((flags & O_ACCMODE) == O_RDONLY)
		*ro = true;
	/* The kernel resolves the magic link to the open file itself, in
	 * the writer's context: this process's descriptor. */
	*medium = xasprintf("/proc/self/fd/%d", fd);
	return CONTROL_OK;
}

enum control_status msd_insert(const char *gadget_dir, const struct profile *p,
			       int lun, const char *file, int fd, bool ro,
			       FILE *out)
{
	const char *verb = "msd insert";
	enum control_status ret = CONTROL_FAILED;
	char *dir = NULL, *old_ro = NULL, *old_file = NULL;
	char *ro_path = NULL, *file_path = NULL, *medium = NULL;
	bool ro_written = false, asked_ro = ro;
	struct stat st;
	int r;

	if (fd >= 0) {
		ret = msd_passed_medium(verb, file, fd, &ro, &medium, out);
		if (ret != CONTROL_OK)
			return ret;
		ret = CONTROL_FAILED;
	} else if (file[0] != '/') {
		fprintf(out, "%s: %s: not an absolute path\n", verb, file);
		return CONTROL_USAGE;
	} else if (stat(file, &st) < 0) {
		/* The kernel would say ENOENT too, but only after ro was
		 * changed. */
		fprintf(out, "%s: %s: %s\n", verb, file, strerror(errno));
		return CONTROL_FAILED;
	} else if (S_ISDIR(st.st_mode)) {
		fprintf(out, "%s: %s: %s\n", verb, file, strerror(EISDIR));
		return CONTROL_FAILED;
	} else {
		medium = xstrdup(file);
	}
	dir = msd_lun_dir(verb, gadget_dir, p, lun, out);
	if (!dir)
		goto out;
	if (msd_read(verb, dir, "ro", &old_ro, out) < 0 ||
	    msd_read(verb, dir, "file", &old_file, out) < 0)
		goto out;
	ro_path = xasprintf("%s/ro", dir);
	file_path = xasprintf("%s/file", dir);

	if (streq(old_ro, "1") != ro) {
		r = msd_write(ro_path, ro ? "1" : "0");
		if (r == -EBUSY && *old_file) {
			fprintf(out,
				"%s: %s: %s: LUN %d has a medium (%s) and ro changes only without one; run 'gadgetd msd eject %d' first\n",
				verb, ro_path, strerror(-r), lun, old_file,
				lun);
			goto out;
		}
		if (r < 0) {
			fprintf(out, "%s: %s: %s\n", verb, ro_path,
				strerror(-r));
			goto out;
		}
		ro_written = true;
	}

	r = msd_write(file_path, medium);
	if (r < 0) {
		if (r == -EBUSY)
			fprintf(out,
				"%s: %s: %s: the host holds the medium (it prevented removal); eject it on the host, or force it out with 'gadgetd msd eject %d'\n",
				verb, file_path, strerror(-r), lun);
		else
			fprintf(out, "%s: %s: %s\n", verb, file_path,
				msd_strerror(r));
		/* Change nothing: ro goes back to what it was. */
		if (ro_written) {
			int r2 = msd_write(ro_path, old_ro);

			if (r2 < 0)
				log_warning(
					"msd insert: cannot restore %s to %s: %s",
					ro_path, old_ro, strerror(-r2));
		}
		goto out;
	}
	log_info("msd: lun.%d: %s inserted%s (was %s)", lun, file,
		 ro ? " read-only" : "", *old_file ? old_file : "no medium");
	fprintf(out, "lun.%d: %s%s\n", lun, file,
		!ro	   ? ""
		: asked_ro ? " (read-only)"
			   : " (read-only: you may not write it)");
	ret = CONTROL_OK;
out:
	free(medium);
	free(dir);
	free(old_ro);
	free(old_file);
	free(ro_path);
	free(file_path);
	return ret;
}

enum control_status msd_eject(const char *gadget_dir, const struct profile *p,
			      int lun, FILE *out)
{
	const char *verb = "msd eject";
	enum control_status ret = CONTROL_FAILED;
	char *dir, *old_file = NULL, *path = NULL;
	struct stat st;
	int r;

	dir = msd_lun_dir(verb, gadget_dir, p, lun, out);
	if (!dir)
		return CONTROL_FAILED;
	if (msd_read(verb, dir, "file", &old_file, out) < 0)
		goto out;
	if (!*old_file) {
		fprintf(out, "lun.%d: no medium\n", lun);
		ret = CONTROL_OK;
		goto out;
	}
	path = xasprintf("%s/forced_eject", dir);
	if (stat(path, &st) == 0) {
		r = msd_write(path, "1");
	} else {
		/* A kernel without forced_eject: an empty file, which the
		 * host can refuse.  The newline is stripped by the kernel; a
		 * write of zero bytes might never reach it. */
		free(path);
		path = xasprintf("%s/file", dir);
		r = msd_write(path, "\n");
	}
	if (r == -EBUSY) {
		fprintf(out,
			"%s: %s: %s: the host holds the medium (it prevented removal); eject it on the host first\n",
			verb, path, strerror(-r));
		goto out;
	}
	if (r < 0) {
		fprintf(out, "%s: %s: %s\n", verb, path, strerror(-r));
		goto out;
	}
	log_info("msd: lun.%d: %s ejected", lun, old_file);
	fprintf(out, "lun.%d: ejected %s\n", lun, old_file);
	ret = CONTROL_OK;
out:
	free(dir);
	free(old_file);
	free(path);
	return ret;
}
