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

static msd_write_fn msd_writer(const struct msd_target *t)
{
	return t->write_fn ? t->write_fn : write_file_string;
}

/* The mass_storage function a request names ("mass_storage.NAME" or
 * "NAME"), or the profile's first one; NULL with the reason in out. */
static const struct profile_function *msd_function(const char *verb,
						   const struct profile *p,
						   const char *name, FILE *out)
{
	size_t len = name ? strcspn(name, ":") : 0;

	for (size_t i = 0; i < p->n_functions; i++) {
		const struct profile_function *f = &p->functions[i];

		if (f->type != FUNCTION_MASS_STORAGE)
			continue;
		if (!name)
			return f;
		if ((strlen(f->name) == len &&
		     strncmp(f->name, name, len) == 0) ||
		    (strlen(f->instance) == len &&
		     strncmp(f->instance, name, len) == 0))
			return f;
	}
	if (name)
		fprintf(out,
			"%s: profile %s has no mass_storage function %.*s\n",
			verb, p->name, (int)len, name);
	else
		fprintf(out, "%s: profile %s has no mass_storage function\n",
			verb, p->name);
	return NULL;
}

/*
 * The LUN's configfs directory, or NULL with the reason written to out:
 * no such mass_storage function, or no lun.N in the gadget (an optional
 * LUN whose file was absent is never made).
 */
static char *msd_lun_dir(const char *verb, const char *gadget_dir,
			 const struct profile *p, const char *function, int lun,
			 FILE *out)
{
	const struct profile_function *f = msd_function(verb, p, function, out);
	struct stat st;
	char *dir;

	if (!f)
		return NULL;
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

/* Write dir/attr; on failure say so in out (unless quiet). */
static int msd_set(msd_write_fn write_fn, const char *verb, const char *dir,
		   const char *attr, const char *value, bool quiet, FILE *out)
{
	char *path = xasprintf("%s/%s", dir, attr);
	int r = write_fn(path, value);

	if (r < 0 && !quiet)
		fprintf(out, "%s: %s: %s\n", verb, path, msd_strerror(r));
	if (r < 0 && quiet)
		log_warning("msd: cannot restore %s to '%s': %s", path, value,
			    strerror(-r));
	free(path);
	return r;
}

/*
 * A passed file: what the kernel can take (f_mass_storage opens regular
 * files and block devices only).  *read_only when it was not opened for
 * writing.  *medium is what to write into lun.N/file.
 */
static enum msd_outcome msd_passed_medium(const char *verb, const char *file,
					  int fd, bool *read_only,
					  char **medium, FILE *out)
{
	struct stat st;
	int flags;

	if (fstat(fd, &st) < 0 || (flags = fcntl(fd, F_GETFL)) < 0) {
		fprintf(out, "%s: %s: %s\n", verb, file, strerror(errno));
		return MSD_REFUSED;
	}
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		fprintf(out, "%s: %s: not a regular file or block device\n",
			verb, file);
		return MSD_REFUSED;
	}
	if ((flags & O_ACCMODE) == O_WRONLY) {
		fprintf(out, "%s: %s: not opened for reading\n", verb, file);
		return MSD_REFUSED;
	}
	*read_only = (flags & O_ACCMODE) == O_RDONLY;
	/* The kernel resolves the magic link to the open file itself, in
	 * the writer's context: this process's descriptor. */
	*medium = xasprintf("/proc/self/fd/%d", fd);
	return MSD_DONE;
}

/* The medium to write into lun.N/file, or a refusal in out. */
static enum msd_outcome msd_medium(const char *verb,
				   const struct msd_insert_request *req,
				   bool *read_only, char **medium, FILE *out)
{
	struct stat st;

	*read_only = false;
	if (req->fd >= 0)
		return msd_passed_medium(verb, req->file, req->fd, read_only,
					 medium, out);
	if (req->file[0] != '/') {
		fprintf(out, "%s: %s: not an absolute path\n", verb, req->file);
		return MSD_BAD_REQUEST;
	}
	/* The kernel would say ENOENT too, but only after ro was changed. */
	if (stat(req->file, &st) < 0) {
		fprintf(out, "%s: %s: %s\n", verb, req->file, strerror(errno));
		return MSD_REFUSED;
	}
	if (S_ISDIR(st.st_mode)) {
		fprintf(out, "%s: %s: %s\n", verb, req->file, strerror(EISDIR));
		return MSD_REFUSED;
	}
	*medium = xstrdup(req->file);
	return MSD_DONE;
}

/* The LUN's state as the kernel has it. */
struct msd_lun_state {
	char *file;
	bool ro, cdrom, removable;
};

static int msd_lun_read(const char *verb, const char *dir,
			struct msd_lun_state *s, FILE *out)
{
	char *ro = NULL, *cdrom = NULL, *removable = NULL;
	int r;

	memset(s, 0, sizeof(*s));
	r = msd_read(verb, dir, "file", &s->file, out);
	if (r == 0)
		r = msd_read(verb, dir, "ro", &ro, out);
	if (r == 0)
		r = msd_read(verb, dir, "cdrom", &cdrom, out);
	if (r == 0)
		r = msd_read(verb, dir, "removable", &removable, out);
	if (r == 0) {
		s->ro = streq(ro, "1");
		s->cdrom = streq(cdrom, "1");
		s->removable = streq(removable, "1");
	}
	free(ro);
	free(cdrom);
	free(removable);
	return r;
}

int msd_medium_out(const char *lun_dir, msd_write_fn write_fn, char **path_out)
{
	char *path = xasprintf("%s/forced_eject", lun_dir);
	struct stat st;
	int r;

	if (!write_fn)
		write_fn = write_file_string;
	if (stat(path, &st) == 0) {
		r = write_fn(path, "1");
	} else {
		/* The newline is stripped by the kernel; a write of zero
		 * bytes might never reach it. */
		free(path);
		path = xasprintf("%s/file", lun_dir);
		r = write_fn(path, "\n");
	}
	*path_out = path;
	return r;
}

/* msd_medium_out(), saying a refusal in out. */
static int msd_force_out(msd_write_fn write_fn, const char *verb,
			 const char *dir, FILE *out)
{
	char *path;
	int r = msd_medium_out(dir, write_fn, &path);

	if (r == -EBUSY)
		fprintf(out,
			"%s: %s: %s: the host holds the medium (it prevented removal); eject it on the host first\n",
			verb, path, strerror(-r));
	else if (r < 0)
		fprintf(out, "%s: %s: %s\n", verb, path, strerror(-r));
	free(path);
	return r;
}

/* Put the LUN back as it was after a refused insert: what was changed,
 * in reverse. */
static void msd_restore(msd_write_fn write_fn, const char *dir,
			const struct msd_lun_state *old, bool cdrom_changed,
			bool ro_changed, bool ejected)
{
	if (ro_changed && !old->cdrom)
		msd_set(write_fn, NULL, dir, "ro", old->ro ? "1" : "0", true,
			NULL);
	if (cdrom_changed)
		msd_set(write_fn, NULL, dir, "cdrom", old->cdrom ? "1" : "0",
			true, NULL);
	if (ejected)
		msd_set(write_fn, NULL, dir, "file", old->file, true, NULL);
}

enum msd_outcome msd_insert(const struct msd_target *t, const struct profile *p,
			    const struct msd_insert_request *req, bool *replug,
			    FILE *out)
{
	const char *verb = "msd insert";
	msd_write_fn write_fn = msd_writer(t);
	enum msd_outcome ret;
	struct msd_lun_state old = { 0 };
	char *dir = NULL, *medium = NULL, *file_path = NULL;
	bool read_only, cdrom, ro, changes, ejected = false;
	bool cdrom_set = false, ro_set = false;
	int r;

	*replug = false;
	ret = msd_medium(verb, req, &read_only, &medium, out);
	if (ret != MSD_DONE)
		return ret;
	ret = MSD_REFUSED;
	if (read_only && req->rw) {
		fprintf(out, "%s: %s: --rw, but you may not write it\n", verb,
			req->file);
		goto out;
	}
	dir = msd_lun_dir(verb, t->gadget_dir, p, req->function, req->lun, out);
	if (!dir || msd_lun_read(verb, dir, &old, out) < 0)
		goto out;

	cdrom = req->cdrom || (old.cdrom && !req->disk);
	if (cdrom && req->rw) {
		fprintf(out,
			"%s: lun.%d is a cdrom, which is read-only: add --disk to make it a disk\n",
			verb, req->lun);
		ret = MSD_BAD_REQUEST;
		goto out;
	}
	/* The kernel sets ro with cdrom: a cdrom is read-only. */
	ro = cdrom || req->ro || read_only;
	changes = cdrom != old.cdrom || ro != old.ro;

	/* The kernel changes cdrom and ro only without a medium. */
	if (changes && *old.file) {
		if (msd_force_out(write_fn, verb, dir, out) < 0)
			goto out;
		ejected = true;
	}
	if (cdrom != old.cdrom) {
		if (msd_set(write_fn, verb, dir, "cdrom", cdrom ? "1" : "0",
			    false, out) < 0)
			goto restore;
		cdrom_set = true;
	}
	if (!cdrom && ro != old.ro) {
		if (msd_set(write_fn, verb, dir, "ro", ro ? "1" : "0", false,
			    out) < 0)
			goto restore;
		ro_set = true;
	}
	file_path = xasprintf("%s/file", dir);
	r = write_fn(file_path, medium);
	if (r < 0) {
		if (r == -EBUSY)
			fprintf(out,
				"%s: %s: %s: the host holds the medium (it prevented removal); eject it on the host, or force it out with 'gadgetd msd eject %d'\n",
				verb, file_path, strerror(-r), req->lun);
		else
			fprintf(out, "%s: %s: %s\n", verb, file_path,
				msd_strerror(r));
		goto restore;
	}

	/* The host learns a new medium from the sense data (UNIT
	 * ATTENTION), but reads the type only when it enumerates, and a
	 * fixed disk's write protection only then too. */
	*replug = cdrom != old.cdrom || (ro != old.ro && !old.removable);
	log_info("msd: lun.%d: %s inserted%s%s (was %s)", req->lun, req->file,
		 cdrom ? " as a cdrom" : "", ro ? " read-only" : "",
		 *old.file ? old.file : "no medium");
	fprintf(out, "lun.%d: %s%s%s%s\n", req->lun, req->file,
		cdrom	  ? " (cdrom, read-only)"
		: !ro	  ? ""
		: req->ro ? " (read-only)"
			  : " (read-only: you may not write it)",
		cdrom != old.cdrom && !cdrom ? " (disk)" : "",
		*replug ? "; the host enumerates the gadget again to see it"
			: "");
	ret = MSD_DONE;
	goto out;
restore:
	msd_restore(write_fn, dir, &old, cdrom_set, ro_set, ejected);
out:
	free(medium);
	free(dir);
	free(file_path);
	free(old.file);
	return ret;
}

enum msd_outcome msd_eject(const struct msd_target *t, const struct profile *p,
			   const char *function, int lun, FILE *out)
{
	const char *verb = "msd eject";
	msd_write_fn write_fn = msd_writer(t);
	enum msd_outcome ret = MSD_REFUSED;
	char *dir, *old_file = NULL;

	dir = msd_lun_dir(verb, t->gadget_dir, p, function, lun, out);
	if (!dir)
		return MSD_REFUSED;
	if (msd_read(verb, dir, "file", &old_file, out) < 0)
		goto out;
	if (!*old_file) {
		fprintf(out, "lun.%d: no medium\n", lun);
		ret = MSD_DONE;
		goto out;
	}
	if (msd_force_out(write_fn, verb, dir, out) < 0)
		goto out;
	log_info("msd: lun.%d: %s ejected", lun, old_file);
	fprintf(out, "lun.%d: ejected %s\n", lun, old_file);
	ret = MSD_DONE;
out:
	free(dir);
	free(old_file);
	return ret;
}
