/* SPDX-License-Identifier: MIT */
/*
 * read_regular_file(): what a profile or a client names is read only when
 * it is a regular file, never blocks and never reads past its cap.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"
#include "util.h"

#include "fake-configfs.h"

static int read_it(const char *root, const char *rel, size_t max, size_t *len,
		   char **data)
{
	char *path = xasprintf("%s/%s", root, rel);
	int r;

	*data = NULL;
	*len = 0;
	r = read_regular_file(path, max, data, len);
	free(path);
	return r;
}

static void test_read_regular_file(void)
{
	char *root = fake_configfs_new();
	char *fifo = xasprintf("%s/fifo", root);
	char *zero = xasprintf("%s/zero", root);
	char *data;
	size_t len;

	fake_write_raw(root, "four", "1234", 4);
	fake_write_raw(root, "empty", "", 0);
	CHECK_INT_EQ(read_it(root, "four", 4, &len, &data), 0);
	CHECK_INT_EQ(len, 4);
	CHECK_STR_EQ(data, "1234");
	free(data);
	CHECK_INT_EQ(read_it(root, "four", 100, &len, &data), 0);
	CHECK_INT_EQ(len, 4);
	free(data);
	CHECK_INT_EQ(read_it(root, "four", 3, &len, &data), -EFBIG);
	CHECK(data == NULL);
	CHECK_INT_EQ(read_it(root, "empty", 3, &len, &data), 0);
	CHECK_INT_EQ(len, 0);
	CHECK_STR_EQ(data, "");
	free(data);
	CHECK_INT_EQ(read_it(root, "missing", 3, &len, &data), -ENOENT);
	CHECK_INT_EQ(read_it(root, "usb_gadget", 3, &len, &data), -EISDIR);

	/* Neither hangs (alarm) nor reads until its cap or memory runs
	 * out: refused before a byte is read. */
	CHECK_INT_EQ(mkfifo(fifo, 0600), 0);
	alarm(10);
	CHECK_INT_EQ(read_it(root, "fifo", 100, &len, &data), -EINVAL);
	alarm(0);
	/* ln -s /dev/zero z.cfg made the libconfig loader run out of
	 * memory. */
	CHECK_INT_EQ(symlink("/dev/zero", zero), 0);
	CHECK_INT_EQ(read_it(root, "zero", 100, &len, &data), -EINVAL);
	CHECK(data == NULL);
	CHECK_INT_EQ(read_regular_file("/dev/null", 100, &data, &len), -EINVAL);
	free(fifo);
	free(zero);
	fake_configfs_free(root);
}

int main(void)
{
	test_read_regular_file();
	return testlib_finish("test-util");
}
